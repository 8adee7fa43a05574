import { ACCESS_CHECKS } from './registry-access.js';
import { CREDENTIALS_CHECKS } from './registry-credentials.js';
import { ESCALATION_CHECKS } from './registry-escalation.js';
import { EXPOSURE_CHECKS } from './registry-exposure.js';
import type { Check } from './types.js';
import { unusedPermissions } from './unused-permissions.js';

/** Every check, in a stable order (by id). Each group's list lives beside it. */
export const ALL_CHECKS: readonly Check[] = [
  ...CREDENTIALS_CHECKS,
  ...ACCESS_CHECKS,
  ...ESCALATION_CHECKS,
  ...EXPOSURE_CHECKS,
  // Action-level usage from CloudTrail: reports only when `audit --activity` attached the data.
  unusedPermissions,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
