/** Documented in the README: scripts and CI jobs depend on these. */
export const EXIT_OK = 0;
/** Findings at or above `--fail-on`. */
export const EXIT_FINDINGS = 1;
/** A usage error or bad input. */
export const EXIT_USAGE = 2;
