import type { Check } from './types.js';

/** The access checks, listed explicitly (one file per check, named by its id). */
export const ACCESS_CHECKS: readonly Check[] = [];
