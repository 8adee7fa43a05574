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
import type { Decision } from '../../src/model/request.js';
import { compilePolicySet, evaluate } from '../../src/policy/evaluate/index.js';
import { compileActionPattern } from '../../src/policy/match/index.js';
import { parsePolicy } from '../../src/policy/parse/index.js';
import type { PolicyDocument, SimulateRequest } from './case.js';
import { classifyDisagreement, compareOne, type Outcome, Tally } from './compare.js';
import { authorizationRequest } from './engine.js';
import { ACCOUNT_A, ACTIONS, fullAccess, ORG_ID, PRINCIPALS, principalContext } from './generators.js';
import { runOracle, withoutContextKeys } from './oracle.js';

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

/**
 * compareOne for one AWS managed policy as the only identity policy, parsed as what it is: AWS
 * does not hold its own managed policies to the customer-managed size quota, so neither do we.
 */
async function compareManaged(input: SimulateRequest, document: PolicyDocument): Promise<Outcome> {
  const oracle = await runOracle(input);
  if (!oracle.ok) return { kind: 'oracle-refused', error: oracle.error };
  const request = withoutContextKeys(input, oracle.ignoredContextKeys);
  const parsed = parsePolicy(document, { type: 'identity', attachedTo: 'aws-managed' });
  if (!parsed.ok || !parsed.policy) {
    const codes = parsed.issues.filter((i) => i.severity === 'ERROR').map((i) => i.code);
    return { kind: 'engine-refused', error: codes.join(', '), oracle: oracle.decision };
  }
  const ours = managedDecision(request, document);
  if (ours === oracle.decision) return { kind: 'agree', decision: ours };
  // The counterfactuals re-parse with the customer quota, so classify the same disagreement on
  // the policy cut down to the statements that can apply to the action, when both engines still
  // decide as before on it.
  const reduced = { ...request, policies: { identity: [onlyStatementsFor(document, request.action)] } };
  const reducedOracle = await runOracle(reduced);
  const same =
    reducedOracle.ok &&
    reducedOracle.decision === oracle.decision &&
    managedDecision(reduced, reduced.policies.identity[0]!) === ours;
  return {
    kind: 'disagree',
    ours,
    oracle: oracle.decision,
    divergence: same ? await classifyDisagreement(reduced, ours, oracle.decision) : 'unexplained',
    request: same ? reduced : request,
  };
}

function managedDecision(request: SimulateRequest, document: PolicyDocument): Decision {
  const parsed = parsePolicy(document, { type: 'identity', attachedTo: 'aws-managed' });
  if (!parsed.policy) throw new Error('managed policy no longer parses');
  const set = compilePolicySet({ identity: [{ name: 'identity-0', policy: parsed.policy }] });
  return evaluate(set, authorizationRequest(request));
}

/** The document with only the statements whose Action/NotAction can match `action`. */
function onlyStatementsFor(document: PolicyDocument, action: string): PolicyDocument {
  const list = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const matches = (patterns: unknown) =>
    [patterns].flat().some((p) => typeof p === 'string' && compileActionPattern(p)(action));
  const kept = list.filter((st) => {
    const s = st as Record<string, unknown>;
    return s.Action !== undefined ? matches(s.Action) : s.NotAction !== undefined && !matches(s.NotAction);
  });
  return { ...document, Statement: kept.length > 0 ? kept : list.slice(0, 1) };
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
        tally.add(await compareManaged(request(action, i, { identity: [document] }), document));
      }
    }
    report('managed policies', tally);
    expect(lines.length).toBeGreaterThan(1_000);
    // Parsed with the aws-managed quota: every AWS managed policy is read and compared.
    expect(tally.count('engine-refused')).toBe(0);
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
