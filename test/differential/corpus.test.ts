/**
 * Corpus-derived differential cases: real AWS managed policies (iam-dataset) as identity policies
 * and AWS's sample SCPs, RCPs and VPC endpoint policies as guardrails, evaluated by both engines on
 * the generator's request fixtures. Same rule as differential.test.ts: every disagreement must be a
 * documented divergence (docs/divergences.md) or a known engine bug.
 * Skips when ../shared is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, SimulateRequest } from './case.js';
import { compareOne, Tally } from './compare.js';
import { ACCOUNT_A, ACTIONS, fullAccess, ORG_ID, PRINCIPALS, principalContext } from './generators.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = resolve(repoRoot, '..', 'shared');
const corpus = join(shared, 'corpus');
const present = existsSync(corpus);
if (!present)
  console.warn(`corpus differential skipped: ${corpus} not found (the shared corpus sits beside the repo)`);

const alice = PRINCIPALS[0]!;
const allowAll: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** Perimeter-relevant request contexts: inside and outside the organization and network. */
const CONTEXTS: readonly Record<string, string>[] = [
  {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': 'us-east-1',
    'aws:SourceIp': '203.0.113.5',
    'aws:ResourceOrgID': ORG_ID,
    'aws:MultiFactorAuthPresent': 'true',
  },
  {
    'aws:SecureTransport': 'false',
    'aws:RequestedRegion': 'ap-south-1',
    'aws:SourceIp': '198.51.100.7',
    'aws:ResourceOrgID': 'o-other',
  },
];

function request(
  action: (typeof ACTIONS)[number],
  i: number,
  policies: SimulateRequest['policies'],
): SimulateRequest {
  const [resource, account] = action.resources[i % action.resources.length] as readonly [
    string,
    string | undefined,
  ];
  return {
    principal: alice.arn,
    action: action.action,
    resource,
    resourceAccount: account ?? ACCOUNT_A,
    context: { ...CONTEXTS[i % CONTEXTS.length], ...principalContext(alice, i % 3 !== 0) },
    policies,
  };
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name));
}

function readJson(file: string): PolicyDocument | undefined {
  try {
    const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc)
      ? (doc as PolicyDocument)
      : undefined;
  } catch {
    return undefined; // one sample is invalid on purpose
  }
}

function report(name: string, tally: Tally): void {
  const lines = [...tally.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${k}: ${v}`);
  console.log(`${name}:\n${lines.join('\n')}`);
  for (const [cls, { example }] of tally.disagreements) {
    if (cls.startsWith('unexplained')) console.log(`  ${cls}: ${JSON.stringify(example)}`);
  }
}

describe.skipIf(!present)('differential on the shared corpus', () => {
  it('AWS managed policies as identity policies', async () => {
    const lines = gunzipSync(
      readFileSync(join(corpus, 'managed-policies/iam-dataset/aws-managed-policies.jsonl.gz')),
    )
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const tally = new Tally();
    let i = 0;
    for (const line of lines) {
      const { document } = JSON.parse(line) as { document?: PolicyDocument };
      if (!document) continue;
      // Two requests per policy, cycling through every action fixture.
      for (let k = 0; k < 2; k++, i++) {
        const action = ACTIONS[i % ACTIONS.length]!;
        tally.add(await compareOne(request(action, i, { identity: [document] })));
      }
    }
    report('managed policies', tally);
    expect(lines.length).toBeGreaterThan(1_000);
    // engine-refused here: our parser applies the 6,144-character customer-managed quota to AWS
    // managed policies (reported to the parse owner); those cases are counted, not compared.
    expect(tally.count('agree')).toBeGreaterThan(lines.length);
    expect(tally.count('agree:Allowed')).toBeGreaterThan(50);
    expect(tally.unexplained()).toBe(0);
  });

  it('AWS sample SCPs, RCPs and endpoint policies as guardrails', async () => {
    const org = join(corpus, 'org-policies');
    const tally = new Tally();
    let files = 0;
    for (const file of jsonFiles(org)) {
      const doc = readJson(file);
      if (!doc) continue;
      files++;
      const kind = /resource_control|resource-control/i.test(file)
        ? 'rcp'
        : /endpoint/i.test(file)
          ? 'endpoint'
          : 'scp';
      for (let i = 0; i < ACTIONS.length * 2; i++) {
        const policies: SimulateRequest['policies'] =
          kind === 'rcp'
            ? { identity: [allowAll], rcp: [[fullAccess('rcp'), doc]] }
            : kind === 'endpoint'
              ? { identity: [allowAll], endpoint: [doc] }
              : { identity: [allowAll], scp: [[fullAccess('scp')], [fullAccess('scp'), doc]] };
        tally.add(await compareOne(request(ACTIONS[i % ACTIONS.length]!, i, policies)));
      }
    }
    report('org policies', tally);
    expect(files).toBeGreaterThan(100);
    expect(tally.count('agree:ExplicitlyDenied')).toBeGreaterThan(20);
    expect(tally.unexplained()).toBe(0);
  });
});
