/**
 * The one findings model every check produces and every report renders. Its JSON form is the
 * `leastpriv audit --format json` contract (see docs/audit-format.md): extend, never rename.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** `fail`: the problem is there. `unknown`: the data to decide is missing (a gap) — never a silent pass. */
export type FindingStatus = 'fail' | 'unknown';

/** Compliance frameworks we map to, with the ids of their controls. */
export type ComplianceFramework = 'cis-aws' | 'soc2' | 'iso27001' | 'pci-dss' | 'hipaa';

export const COMPLIANCE_FRAMEWORKS: Readonly<Record<ComplianceFramework, string>> = {
  'cis-aws': 'CIS Amazon Web Services Foundations Benchmark v5.0.0',
  soc2: 'SOC 2 (2017 Trust Services Criteria)',
  iso27001: 'ISO/IEC 27001:2022 Annex A',
  'pci-dss': 'PCI DSS v4.0.1',
  hipaa: 'HIPAA Security Rule (45 CFR 164)',
};

export interface CheckMetadata {
  /** kebab-case, equal to the check's file name; never renamed. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** What the check looks for. */
  readonly description: string;
  /** Why it matters. */
  readonly risk: string;
  /** What to do: concrete steps, and the CLI command or policy change. */
  readonly remediation: string;
  readonly references: readonly string[];
  readonly compliance: Readonly<Partial<Record<ComplianceFramework, readonly string[]>>>;
  /** What kind of thing a finding of this check is about. */
  readonly resourceType: string;
  readonly tags?: readonly string[];
}

/** A policy statement that contributed to a finding, pointing back into the snapshot. */
export interface PolicyEvidence {
  readonly policy: string;
  readonly arn?: string;
  /** `file#JSON.path` as the loader recorded it. */
  readonly source?: string;
  readonly statement?: number;
  readonly sid?: string;
  readonly line?: number;
  readonly column?: number;
}

/** One step of a privilege-escalation path: `from` can become or act as `to` by `technique`. */
export interface PathHop {
  readonly from: string;
  readonly to: string;
  /** Technique id (pathfinding.cloud id where one exists, e.g. `iam-createpolicyversion`). */
  readonly technique: string;
  /** The actions the hop needs, each allowed for `from`. */
  readonly actions: readonly string[];
  readonly explanation: string;
}

export interface Evidence {
  readonly policies?: readonly PolicyEvidence[];
  readonly path?: readonly PathHop[];
  /** For exposure: who outside the zone of trust can act, and what they can do. */
  readonly externalPrincipals?: readonly string[];
  readonly actions?: readonly string[];
  /** Plain facts behind the verdict (`keyAgeDays: 412`), for reports and scripts. */
  readonly facts?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface Suppression {
  readonly checkId: string;
  /** A glob over resource ARNs (`*` any run); absent: every resource of the check. */
  readonly resource?: string;
  readonly reason: string;
  readonly owner?: string;
  /** ISO date; after it the suppression stops suppressing and is reported as expired. */
  readonly expires?: string;
}

export interface Finding {
  /** Stable: a hash of check id and resource (and a discriminator when one check finds several things on one resource). */
  readonly id: string;
  readonly checkId: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly account: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly principal?: string;
  /** One line. */
  readonly message: string;
  readonly evidence: Evidence;
  readonly remediation: string;
  /** `cis-aws:1.4`, `soc2:CC6.1`, … */
  readonly compliance: readonly string[];
  readonly suppressed?: Suppression;
}
