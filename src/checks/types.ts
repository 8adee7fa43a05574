import type { OrgSnapshot } from '../model/account.js';
import type { AuditConfig } from '../model/config.js';
import type { CheckMetadata, Evidence, FindingStatus } from '../model/finding.js';

/**
 * A check is data plus a pure function: `run(ctx)` returns what it found, and the framework turns
 * outcomes into findings (stable ids, severity, remediation, compliance from the metadata).
 * Analyses a check needs are memoised per snapshot by the analysis modules themselves.
 */
export interface CheckContext {
  readonly snapshot: OrgSnapshot;
  readonly config: AuditConfig;
  /** "Now" for every age computation: fixed per run so results are reproducible. */
  readonly now: Date;
}

export interface CheckOutcome {
  readonly status: FindingStatus;
  readonly account: string;
  readonly resourceArn: string;
  /** Defaults to the check's `resourceType`. */
  readonly resourceType?: string;
  readonly principal?: string;
  readonly message: string;
  readonly evidence?: Evidence;
  /** Distinguishes several findings of one check on one resource (e.g. key slot `1`); part of the id. */
  readonly discriminator?: string;
}

export interface Check {
  readonly meta: CheckMetadata;
  run(ctx: CheckContext): readonly CheckOutcome[];
}
