import type { OrgSnapshot } from '../model/account.js';
import type { AuditConfig } from '../model/config.js';
import type { CheckMetadata, ComplianceFramework, Finding, Suppression } from '../model/finding.js';
import { ALL_CHECKS } from './registry.js';
import {
  type CheckError,
  type CheckProgress,
  type CheckSelection,
  type RunResult,
  runChecks,
  selectChecks,
  selectionFrom,
} from './run.js';
import { applySuppressions, type ExpiredSuppression } from './suppress.js';
import type { Check } from './types.js';

export interface AuditOptions {
  /** "Now" for every age and expiry: fixed per run so results are reproducible. */
  readonly now: Date;
  /** Overrides the configuration's selection (the CLI's --checks/--skip-checks/--compliance). */
  readonly selection?: CheckSelection;
  /** The catalogue to select from; defaults to every registered check. */
  readonly catalogue?: readonly Check[];
  /** Called after each check (progress, timings); results do not depend on it. */
  readonly onCheck?: (progress: CheckProgress) => void;
}

export interface ControlSummary {
  /** `1.4`, `CC6.1`, … */
  readonly control: string;
  readonly checks: readonly string[];
  readonly failed: number;
  readonly unknown: number;
  readonly suppressed: number;
  /** `fail` when an unsuppressed failure maps to it, `unknown` when only undecided ones do, else `pass`. */
  readonly status: 'pass' | 'fail' | 'unknown';
}

export interface ComplianceSummary {
  readonly framework: ComplianceFramework;
  readonly controls: readonly ControlSummary[];
}

export interface AuditResult {
  readonly now: Date;
  readonly config: AuditConfig;
  /** Metadata of every check that ran, by id. */
  readonly checks: readonly CheckMetadata[];
  /** Sorted: severity, check id, account, resource ARN. Suppressed ones are kept, marked. */
  readonly findings: readonly Finding[];
  readonly expiredSuppressions: readonly ExpiredSuppression[];
  readonly unusedSuppressions: readonly { readonly suppression: Suppression; readonly index: number }[];
  readonly checkErrors: readonly CheckError[];
  readonly compliance?: ComplianceSummary;
}

/** The checks an audit runs: the configuration's selection with the command line's overrides. */
export interface AuditPlan {
  readonly selection: CheckSelection;
  /** In id order. */
  readonly checks: readonly Check[];
}

/** Throws UnknownCheckError for an id or glob that names no check. */
export function planAudit(config: AuditConfig, options: Omit<AuditOptions, 'now'>): AuditPlan {
  const selection = selectionFrom(config, options.selection);
  return { selection, checks: selectChecks(options.catalogue ?? ALL_CHECKS, selection) };
}

/**
 * Runs the selected checks over a snapshot and applies the configuration's suppressions. Pure given
 * `now`: the same snapshot, configuration and time give the same result, byte for byte.
 */
export function audit(snapshot: OrgSnapshot, config: AuditConfig, options: AuditOptions): AuditResult {
  const plan = planAudit(config, options);
  const run = runChecks(plan.checks, { snapshot, config, now: options.now }, options.onCheck);
  return finishAudit(plan, run, config, options.now);
}

/**
 * The result of a plan's checks, however they were run (in one thread, or split between threads
 * and merged with mergeRuns): suppressions applied, compliance summarised.
 */
export function finishAudit(plan: AuditPlan, run: RunResult, config: AuditConfig, now: Date): AuditResult {
  const suppressed = applySuppressions(run.findings, config.suppressions, now);
  const metas = plan.checks.map((c) => c.meta);
  return {
    now,
    config,
    checks: metas,
    findings: suppressed.findings,
    expiredSuppressions: suppressed.expired,
    unusedSuppressions: suppressed.unused,
    checkErrors: run.errors,
    ...(plan.selection.compliance !== undefined
      ? { compliance: complianceSummary(plan.selection.compliance, metas, suppressed.findings) }
      : {}),
  };
}

/** Per control of a framework: which checks map to it and how they came out. */
export function complianceSummary(
  framework: ComplianceFramework,
  checks: readonly CheckMetadata[],
  findings: readonly Finding[],
): ComplianceSummary {
  const controls = new Map<
    string,
    { checks: Set<string>; failed: number; unknown: number; suppressed: number }
  >();
  const checksOfControl = new Map<string, string[]>();
  for (const c of checks)
    for (const control of c.compliance[framework] ?? []) {
      const entry = controls.get(control) ?? { checks: new Set(), failed: 0, unknown: 0, suppressed: 0 };
      entry.checks.add(c.id);
      controls.set(control, entry);
      checksOfControl.set(c.id, [...(checksOfControl.get(c.id) ?? []), control]);
    }
  for (const f of findings)
    for (const control of checksOfControl.get(f.checkId) ?? []) {
      const entry = controls.get(control);
      if (!entry) continue;
      if (f.suppressed) entry.suppressed++;
      else if (f.status === 'fail') entry.failed++;
      else entry.unknown++;
    }
  return {
    framework,
    controls: [...controls.entries()]
      .sort(([a], [b]) => compareControls(a, b))
      .map(([control, e]) => ({
        control,
        checks: [...e.checks].sort(),
        failed: e.failed,
        unknown: e.unknown,
        suppressed: e.suppressed,
        status: e.failed > 0 ? 'fail' : e.unknown > 0 ? 'unknown' : 'pass',
      })),
  };
}

/** `1.2` before `1.10`; `CC6.1` before `CC6.10`: compare numeric runs as numbers. */
export function compareControls(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}
