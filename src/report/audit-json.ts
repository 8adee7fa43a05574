import type { Gap, OrgSnapshot, SnapshotLayout } from '../model/account.js';
import type { InputError } from '../model/errors.js';
import {
  type CheckMetadata,
  COMPLIANCE_FRAMEWORKS,
  type ComplianceFramework,
  type Finding,
  type Severity,
  type Suppression,
} from '../model/finding.js';
import { jsonChunks } from './json-chunks.js';

/**
 * The `leastpriv audit --format json` document (docs/audit-format.md). A pure function of the audit
 * result, so other formats (SARIF, HTML, OCSF) can be built from the same object. Versioned by
 * `schemaVersion`: fields are added, never renamed or removed, within a version.
 */
export const AUDIT_SCHEMA_VERSION = 1;

/** What the report needs from an audit run (structurally the checks module's AuditResult). */
export interface AuditReportInput {
  readonly checks: readonly CheckMetadata[];
  readonly findings: readonly Finding[];
  readonly expiredSuppressions: readonly {
    readonly suppression: Suppression;
    readonly index: number;
    readonly matchedFindings: readonly string[];
  }[];
  readonly unusedSuppressions: readonly { readonly suppression: Suppression; readonly index: number }[];
  readonly checkErrors: readonly { readonly checkId: string; readonly message: string }[];
  readonly compliance?: {
    readonly framework: ComplianceFramework;
    readonly controls: readonly ComplianceControl[];
  };
}

export interface ComplianceControl {
  readonly control: string;
  readonly checks: readonly string[];
  readonly failed: number;
  readonly unknown: number;
  readonly suppressed: number;
  readonly status: 'pass' | 'fail' | 'unknown';
}

export interface AuditJsonOptions {
  readonly tool: { readonly name: string; readonly version: string };
  /** When the report was made (ISO); also the "now" of every age in it. */
  readonly generatedAt: string;
  readonly loadErrors?: readonly InputError[];
  /** The third-party access register, when the exposure analysis provides one. */
  readonly thirdPartyAccess?: readonly unknown[];
  /** The configuration file used, if any. */
  readonly configFile?: string;
}

export interface RiskyPrincipal {
  readonly principal: string;
  readonly account: string;
  /** Sum of severity weights of its unsuppressed failures (critical 10, high 5, medium 2, low 1). */
  readonly score: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

export interface AuditJson {
  readonly schemaVersion: typeof AUDIT_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly generatedAt: string;
  readonly configFile: string | null;
  readonly snapshot: {
    readonly layout: SnapshotLayout;
    readonly paths: readonly string[];
    readonly collectedAt: string | null;
    readonly organizationId: string | null;
    readonly accounts: readonly { readonly id: string; readonly name: string | null }[];
  };
  readonly summary: {
    readonly accounts: number;
    readonly identities: { readonly human: number; readonly nonHuman: number };
    readonly findings: {
      readonly total: number;
      readonly bySeverity: Readonly<Record<Severity, number>>;
      readonly byCheck: Readonly<Record<string, number>>;
      readonly suppressed: number;
      readonly unknown: number;
    };
    readonly riskiestPrincipals: readonly RiskyPrincipal[];
  };
  readonly compliance?: {
    readonly framework: ComplianceFramework;
    readonly title: string;
    readonly controls: readonly ComplianceControl[];
  };
  readonly checks: readonly CheckMetadata[];
  readonly findings: readonly Finding[];
  readonly expiredSuppressions: readonly (Suppression & {
    readonly index: number;
    readonly matchedFindings: readonly string[];
  })[];
  readonly unusedSuppressions: readonly (Suppression & { readonly index: number })[];
  readonly checkErrors: readonly { readonly checkId: string; readonly message: string }[];
  readonly gaps: readonly Gap[];
  readonly loadErrors: readonly {
    readonly message: string;
    readonly file: string | null;
    readonly line: number | null;
    readonly column: number | null;
    readonly hint: string | null;
  }[];
  readonly thirdPartyAccess?: readonly unknown[];
}

const WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };
const RISKIEST = 10;

function zeroBySeverity(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Counted: unsuppressed failures. Unknown and suppressed findings are counted on their own. */
export function summariseFindings(findings: readonly Finding[]): AuditJson['summary']['findings'] {
  const bySeverity = zeroBySeverity();
  const byCheck = new Map<string, number>();
  let suppressed = 0;
  let unknown = 0;
  let total = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else if (f.status === 'unknown') unknown++;
    else {
      total++;
      bySeverity[f.severity]++;
      byCheck.set(f.checkId, (byCheck.get(f.checkId) ?? 0) + 1);
    }
  }
  return {
    total,
    bySeverity,
    byCheck: Object.fromEntries([...byCheck].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    suppressed,
    unknown,
  };
}

export function riskiestPrincipals(findings: readonly Finding[], limit = RISKIEST): RiskyPrincipal[] {
  const by = new Map<
    string,
    { account: string; score: number; findings: number; bySeverity: Record<Severity, number> }
  >();
  for (const f of findings) {
    if (f.suppressed || f.status !== 'fail' || f.principal === undefined) continue;
    const e = by.get(f.principal) ?? {
      account: f.account,
      score: 0,
      findings: 0,
      bySeverity: zeroBySeverity(),
    };
    e.score += WEIGHT[f.severity];
    e.findings++;
    e.bySeverity[f.severity]++;
    by.set(f.principal, e);
  }
  return [...by]
    .map(([principal, e]) => ({ principal, ...e }))
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || b.findings - a.findings || (a.principal < b.principal ? -1 : 1))
    .slice(0, limit);
}

export function countIdentities(snapshot: OrgSnapshot): { human: number; nonHuman: number } {
  let human = 0;
  let nonHuman = 0;
  for (const a of snapshot.accounts.values()) {
    for (const p of [...a.users.values(), ...a.roles.values()]) {
      if (p.human) human++;
      else nonHuman++;
    }
  }
  return { human, nonHuman };
}

export function auditJson(
  snapshot: OrgSnapshot,
  result: AuditReportInput,
  options: AuditJsonOptions,
): AuditJson {
  const accounts = [...snapshot.accounts.values()]
    .map((a) => ({ id: a.id, name: a.name ?? a.alias ?? null }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    tool: options.tool,
    generatedAt: options.generatedAt,
    configFile: options.configFile ?? null,
    snapshot: {
      layout: snapshot.source.layout,
      paths: snapshot.source.paths,
      collectedAt: snapshot.collectedAt ?? null,
      organizationId: snapshot.organization?.id ?? null,
      accounts,
    },
    summary: {
      accounts: accounts.length,
      identities: countIdentities(snapshot),
      findings: summariseFindings(result.findings),
      riskiestPrincipals: riskiestPrincipals(result.findings),
    },
    ...(result.compliance
      ? {
          compliance: {
            framework: result.compliance.framework,
            title: COMPLIANCE_FRAMEWORKS[result.compliance.framework],
            controls: result.compliance.controls,
          },
        }
      : {}),
    checks: result.checks,
    findings: result.findings,
    expiredSuppressions: result.expiredSuppressions.map((e) => ({
      ...e.suppression,
      index: e.index,
      matchedFindings: e.matchedFindings,
    })),
    unusedSuppressions: result.unusedSuppressions.map((u) => ({ ...u.suppression, index: u.index })),
    checkErrors: result.checkErrors,
    gaps: snapshot.gaps,
    loadErrors: (options.loadErrors ?? []).map((e) => ({
      message: e.message,
      file: e.details.file ?? null,
      line: e.details.line ?? null,
      column: e.details.column ?? null,
      hint: e.details.hint ?? null,
    })),
    ...(options.thirdPartyAccess ? { thirdPartyAccess: options.thirdPartyAccess } : {}),
  };
}

export function auditJsonText(report: AuditJson): string {
  return [...auditJsonChunks(report)].join('');
}

/** `auditJsonText` in pieces: one per finding, written as they come. */
export function* auditJsonChunks(report: AuditJson): Generator<string> {
  yield* jsonChunks(report, '  ');
  yield '\n';
}
