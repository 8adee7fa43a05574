import type { OrgSnapshot } from '../../model/account.js';
import { type AuditConfig, DEFAULT_CONFIG } from '../../model/config.js';
import type { Finding } from '../../model/finding.js';
import { runChecks } from '../run.js';
import type { Check } from '../types.js';
import { FIXTURE_NOW } from './snapshot-builder.js';

export interface RunCheckOptions {
  readonly now?: Date;
  /** Merged over DEFAULT_CONFIG (thresholds merged key by key). */
  readonly config?: Partial<Omit<AuditConfig, 'thresholds'>> & {
    readonly thresholds?: Partial<AuditConfig['thresholds']>;
  };
}

export function fixtureConfig(overrides: RunCheckOptions['config'] = {}): AuditConfig {
  return {
    ...DEFAULT_CONFIG,
    ...overrides,
    thresholds: { ...DEFAULT_CONFIG.thresholds, ...overrides.thresholds },
  };
}

/**
 * Runs one check through the framework (ids, severity, sorting) as `audit` does, and throws if the
 * check itself threw, so a test never mistakes a crash for an `unknown`.
 */
export function runCheck(check: Check, snapshot: OrgSnapshot, options: RunCheckOptions = {}): Finding[] {
  const result = runChecks([check], {
    snapshot,
    config: fixtureConfig(options.config),
    now: options.now ?? FIXTURE_NOW,
  });
  const error = result.errors[0];
  if (error) throw new Error(`${error.checkId} threw: ${error.message}`);
  return [...result.findings];
}

/** `{resourceArn: status}` for compact assertions; several findings on one resource join (`fail,fail`). */
export function verdicts(findings: readonly Finding[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const f of findings)
    out[f.resourceArn] = out[f.resourceArn] ? `${out[f.resourceArn]},${f.status}` : f.status;
  return { ...out };
}
