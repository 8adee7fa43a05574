import type { Suppression } from './finding.js';

/** The audit configuration (`.leastpriv.yaml` or `--config`), after validation and defaults. */
export interface AuditConfig {
  /** Check ids to run; empty = all. */
  readonly checks: readonly string[];
  readonly skipChecks: readonly string[];
  readonly thresholds: {
    /** Credentials (passwords, keys) unused for more than this many days are findings (CIS: 45). */
    readonly credentialUnusedDays: number;
    /** Access keys older than this many days must be rotated (CIS: 90). */
    readonly keyMaxAgeDays: number;
    /** Roles, users and services unused for this many days (default 90). */
    readonly unusedDays: number;
    /**
     * Root used within this many days is a finding. CIS asks that root not be used for daily work and
     * gives no number; 30 days flags recent use without re-flagging a yearly break-glass exercise.
     */
    readonly rootRecentUseDays: number;
  };
  /** Tag key every principal should carry to name its owner. */
  readonly ownerTagKey: string;
  /** Accounts inside the zone of trust besides the snapshot's own (and its organization's). */
  readonly trustedAccounts: readonly string[];
  readonly trustedOrganizations: readonly string[];
  readonly suppressions: readonly Suppression[];
}

export const DEFAULT_CONFIG: AuditConfig = {
  checks: [],
  skipChecks: [],
  thresholds: { credentialUnusedDays: 45, keyMaxAgeDays: 90, unusedDays: 90, rootRecentUseDays: 30 },
  ownerTagKey: 'owner',
  trustedAccounts: [],
  trustedOrganizations: [],
  suppressions: [],
};
