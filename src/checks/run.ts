import { globMatch, hasWildcard } from '../catalog/glob.js';
import type { AuditConfig } from '../model/config.js';
import type { CheckMetadata, ComplianceFramework, Finding, Severity } from '../model/finding.js';
import { SEVERITIES } from '../model/finding.js';
import { findingId } from './finding-id.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

/** A check id (or glob) in `checks`/`skipChecks` that names no check: a configuration or usage error. */
export class UnknownCheckError extends Error {
  constructor(
    readonly ids: readonly string[],
    readonly known: readonly string[],
  ) {
    super(`unknown check${ids.length === 1 ? '' : 's'}: ${ids.join(', ')} (see \`leastpriv checks list\`)`);
    this.name = 'UnknownCheckError';
  }
}

export interface CheckSelection {
  /** Ids or globs (`root-*`) to run; empty = all. */
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
  /** Only checks mapped to this framework. */
  readonly compliance?: ComplianceFramework;
}

function matchesAny(patterns: readonly string[], id: string): boolean {
  return patterns.some((p) => (hasWildcard(p) ? globMatch(p, id) : p === id));
}

/** The checks to run, in id order. Throws UnknownCheckError for an id or glob that matches nothing. */
export function selectChecks(all: readonly Check[], selection: CheckSelection): Check[] {
  const ids = all.map((c) => c.meta.id);
  const only = selection.only ?? [];
  const skip = selection.skip ?? [];
  const unknown = [...only, ...skip].filter((p) => !ids.some((id) => matchesAny([p], id)));
  if (unknown.length > 0) throw new UnknownCheckError([...new Set(unknown)], ids);
  return all
    .filter((c) => only.length === 0 || matchesAny(only, c.meta.id))
    .filter((c) => !matchesAny(skip, c.meta.id))
    .filter(
      (c) => selection.compliance === undefined || (c.meta.compliance[selection.compliance]?.length ?? 0) > 0,
    )
    .sort((a, b) => compareStrings(a.meta.id, b.meta.id));
}

const COMPLIANCE_IDS = new WeakMap<CheckMetadata, readonly string[]>();

/** `cis-aws:1.4`, `soc2:CC6.1`, … in a fixed framework order. */
export function complianceIds(meta: CheckMetadata): string[] {
  const out: string[] = [];
  for (const fw of ['cis-aws', 'soc2', 'iso27001', 'pci-dss', 'hipaa'] as const)
    for (const control of meta.compliance[fw] ?? []) out.push(`${fw}:${control}`);
  return out;
}

export function toFinding(meta: CheckMetadata, o: CheckOutcome): Finding {
  return {
    id: findingId(meta.id, o.resourceArn, o.discriminator),
    checkId: meta.id,
    severity: meta.severity,
    status: o.status,
    account: o.account,
    resourceArn: o.resourceArn,
    resourceType: o.resourceType ?? meta.resourceType,
    ...(o.principal !== undefined ? { principal: o.principal } : {}),
    message: o.message,
    evidence: o.evidence ?? {},
    remediation: meta.remediation,
    // One frozen list per check, shared by its findings (a large audit has tens of thousands).
    compliance: sharedComplianceIds(meta),
  };
}

function sharedComplianceIds(meta: CheckMetadata): readonly string[] {
  let ids = COMPLIANCE_IDS.get(meta);
  if (ids === undefined) {
    ids = Object.freeze(complianceIds(meta));
    COMPLIANCE_IDS.set(meta, ids);
  }
  return ids;
}

/** Plain code-unit order: locale-independent, so output is byte-identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SEVERITY_RANK: ReadonlyMap<Severity, number> = new Map(SEVERITIES.map((s, i) => [s, i]));

export function severityRank(s: Severity): number {
  return SEVERITY_RANK.get(s) ?? SEVERITIES.length;
}

/** The documented output order: severity (worst first), check id, account, resource ARN, then id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareStrings(a.checkId, b.checkId) ||
    compareStrings(a.account, b.account) ||
    compareStrings(a.resourceArn, b.resourceArn) ||
    compareStrings(a.id, b.id)
  );
}

export interface CheckError {
  readonly checkId: string;
  readonly message: string;
}

/** Reported after each check: for progress on long audits and `--timings`. */
export interface CheckProgress {
  readonly id: string;
  /** Zero-based position among the selected checks, and how many there are. */
  readonly index: number;
  readonly total: number;
  /** Wall-clock milliseconds the check took, including analyses it was first to need (they are memoised). */
  readonly ms: number;
  readonly outcomes: number;
}

export interface RunResult {
  /** Sorted by `compareFindings`, one per id. */
  readonly findings: readonly Finding[];
  /** Checks that threw (a bug): each also produced an `unknown` finding per account, never a pass. */
  readonly errors: readonly CheckError[];
}

/**
 * Runs checks over a snapshot. A check that throws is a bug, but one bug must not hide the other
 * checks' results nor read as a pass: its accounts get an `unknown` finding and the error is returned.
 */
export function runChecks(
  checks: readonly Check[],
  ctx: CheckContext,
  onCheck?: (progress: CheckProgress) => void,
): RunResult {
  const byId = new Map<string, Finding>();
  const errors: CheckError[] = [];
  for (const [index, check] of checks.entries()) {
    const started = performance.now();
    let outcomes: readonly CheckOutcome[];
    try {
      outcomes = check.run(ctx);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      errors.push({ checkId: check.meta.id, message });
      outcomes = [...ctx.snapshot.accounts.values()].map((a) => ({
        status: 'unknown' as const,
        account: a.id,
        resourceArn: `arn:${a.partition}:iam::${a.id}:root`,
        resourceType: 'AWS::::Account',
        message: `The check failed and could not decide: ${message}`,
        discriminator: 'check-error',
      }));
    }
    for (const o of outcomes) {
      const f = toFinding(check.meta, o);
      const prior = byId.get(f.id);
      // One resource, one verdict: a definite failure outranks "could not decide".
      if (prior === undefined || (prior.status === 'unknown' && f.status === 'fail')) byId.set(f.id, f);
    }
    onCheck?.({
      id: check.meta.id,
      index,
      total: checks.length,
      ms: performance.now() - started,
      outcomes: outcomes.length,
    });
  }
  return { findings: [...byId.values()].sort(compareFindings), errors };
}

/** The selection a configuration asks for, with command-line flags taking precedence when given. */
export function selectionFrom(config: AuditConfig, overrides: CheckSelection = {}): CheckSelection {
  return {
    only: overrides.only && overrides.only.length > 0 ? overrides.only : config.checks,
    skip: [...config.skipChecks, ...(overrides.skip ?? [])],
    ...(overrides.compliance !== undefined ? { compliance: overrides.compliance } : {}),
  };
}
