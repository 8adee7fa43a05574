export {
  type AuditOptions,
  type AuditResult,
  audit,
  type ComplianceSummary,
  type ControlSummary,
  compareControls,
  complianceSummary,
} from './audit.js';
export { FINDING_ID_LENGTH, findingId } from './finding-id.js';
export { ALL_CHECKS } from './registry.js';
export {
  type CheckError,
  type CheckSelection,
  compareFindings,
  complianceIds,
  runChecks,
  selectChecks,
  severityRank,
  toFinding,
  UnknownCheckError,
} from './run.js';
export { applySuppressions, type ExpiredSuppression, isExpired, suppressionMatches } from './suppress.js';
export type { Check, CheckContext, CheckOutcome } from './types.js';

import { ALL_CHECKS } from './registry.js';
import type { Check } from './types.js';

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.meta.id === id);
}
