// How long the real CLI takes to answer N requests from a file, start-up included.
// Run: npm run build && npx tsx bench/cli-simulate.bench.ts [--count 10000] [--format json|text]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--count') + 1] ?? 10_000) || 10_000;
const format = args.includes('--format') ? args[args.indexOf('--format') + 1]! : 'json';
const root = new URL('..', import.meta.url).pathname;

const identity = [
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Read',
        Effect: 'Allow',
        Action: ['s3:Get*', 's3:List*'],
        Resource: ['arn:aws:s3:::data-*', 'arn:aws:s3:::data-*/*'],
      },
      {
        Sid: 'Ec2',
        Effect: 'Allow',
        Action: 'ec2:Describe*',
        Resource: '*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
      { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
      {
        Sid: 'Own',
        Effect: 'Allow',
        Action: 'iam:*AccessKey*',
        Resource: 'arn:aws:iam::111122223333:user/${aws:username}',
      },
    ],
  },
];
const boundary = [
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'organizations:*', Resource: '*' }] },
];
const scp = [
  [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
  [
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
        },
      ],
    },
  ],
];
const actions = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:ListBucket',
  'ec2:DescribeInstances',
  'iam:CreateAccessKey',
  'kms:Decrypt',
];
const users = ['alice', 'bob', 'carol', 'dave'];
const lines: string[] = [];
for (let i = 0; i < count; i++) {
  const user = users[i % users.length]!;
  const action = actions[i % actions.length]!;
  const resource = action.startsWith('iam:')
    ? `arn:aws:iam::111122223333:user/${users[(i >> 2) % users.length]}`
    : action.startsWith('s3:')
      ? `arn:aws:s3:::data-${i % 13}/obj/${i}`
      : '*';
  lines.push(
    JSON.stringify({
      principal: `arn:aws:iam::111122223333:user/${user}`,
      action,
      resource,
      context: {
        'aws:RequestedRegion': i % 5 === 0 ? 'ap-south-1' : 'eu-west-1',
        'aws:MultiFactorAuthPresent': i % 3 === 0,
      },
      policies: { identity, boundary, scp },
    }),
  );
}
const dir = mkdtempSync(join(tmpdir(), 'leastpriv-bench-'));
const file = join(dir, 'requests.jsonl');
writeFileSync(file, `${lines.join('\n')}\n`);
const bytes = statSync(file).size;

const runs: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  const out = spawnSync(
    process.execPath,
    [join(root, 'bin/leastpriv.js'), 'simulate', '--request', file, '--format', format],
    {
      maxBuffer: 1 << 30,
    },
  );
  runs.push(performance.now() - t0);
  if (out.status !== 0) {
    console.error(out.stderr.toString());
    process.exit(1);
  }
}
const empty: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  spawnSync(process.execPath, [join(root, 'bin/leastpriv.js'), '--version']);
  empty.push(performance.now() - t0);
}
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`input: ${count} requests, ${(bytes / 1e6).toFixed(1)} MB of JSON lines, --format ${format}`);
console.log(`leastpriv simulate (wall, incl. start-up), median of 5: ${median(runs).toFixed(0)} ms`);
console.log(`leastpriv --version (start-up alone), median of 5: ${median(empty).toFixed(0)} ms`);
console.log(
  `throughput: ${Math.round(count / (median(runs) / 1000)).toLocaleString('en-US')} requests/s end to end`,
);
