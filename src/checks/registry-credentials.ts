import type { Check } from './types.js';

/** The credentials checks, listed explicitly (one file per check, named by its id). */
export const CREDENTIALS_CHECKS: readonly Check[] = [];
