import type { Check } from './types.js';

/** The exposure checks, listed explicitly (one file per check, named by its id). */
export const EXPOSURE_CHECKS: readonly Check[] = [];
