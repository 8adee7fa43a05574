/**
 * Matcher and condition benchmark: `npx tsx bench/match.bench.ts`
 *
 * Single-threaded ops/s for the wildcard engine (including the adversarial 20-wildcard pattern
 * against a 10,000-character value), Resource/ARN matchers, and compiled conditions on the
 * non-explain path. Each case prints the pattern and value sizes it ran with.
 */

import { clauseOf } from '../src/policy/conditions/fixtures.js';
import { compileCondition, createRequestContext } from '../src/policy/conditions/index.js';
import {
  compileActionPattern,
  compileArnPattern,
  compileResourcePattern,
  compileWildcard,
} from '../src/policy/match/index.js';

function bench(name: string, sizes: string, run: () => boolean, minMs = 300): void {
  for (let i = 0; i < 1000; i++) run(); // warm-up
  let ops = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1000; i++) if (run()) sink++;
    ops += 1000;
    elapsed = performance.now() - start;
  }
  const perOpUs = (elapsed * 1000) / ops;
  const rate = Math.round((ops / elapsed) * 1000).toLocaleString('en-US');
  console.log(
    `${name.padEnd(44)} ${sizes.padEnd(30)} ${rate.padStart(14)} ops/s  ${perOpUs.toFixed(3)} µs/op ${sink > 0 ? '' : '(all false)'}`,
  );
}

function benchSlow(name: string, sizes: string, run: () => boolean): void {
  bench(name, sizes, run, 1000);
}

// Ends in `*` so the last anchor cannot short-cut: the final `b` is searched across the whole value.
const adversarialPattern = `${'*a'.repeat(20)}*b*`;
const adversarialValue = 'a'.repeat(10_000);
const adversarial = compileWildcard(adversarialPattern, false);
const adversarialQ = compileWildcard(`${'*a?'.repeat(20)}*a?b*`, false);
const worstOnce = performance.now();
adversarial(adversarialValue);
console.log(`adversarial single call: ${(performance.now() - worstOnce).toFixed(3)} ms (budget 10 ms)`);

console.log('wildcard');
bench(
  'exact',
  'p=13 v=13',
  (
    (m) => () =>
      m('s3:GetObject!')
  )(compileWildcard('s3:GetObject!', false)),
);
bench(
  'prefix*',
  'p=7 v=12',
  (
    (m) => () =>
      m('s3:GetObject')
  )(compileWildcard('s3:Get*', false)),
);
bench(
  '*',
  'p=1 v=12',
  (
    (m) => () =>
      m('s3:GetObject')
  )(compileWildcard('*', false)),
);
bench(
  'action iam:*AccessKey* (case-insensitive)',
  'p=16 v=19',
  (
    (m) => () =>
      m('iam:CreateAccessKey')
  )(compileActionPattern('iam:*AccessKey*')),
);
benchSlow(
  'adversarial 20 x "*a" + "*b*"',
  `p=${adversarialPattern.length} v=${adversarialValue.length}`,
  () => adversarial(adversarialValue),
);
benchSlow('adversarial 20 x "*a?" + "*a?b*"', `p=65 v=${adversarialValue.length}`, () =>
  adversarialQ(adversarialValue),
);

console.log('resource / arn');
const bucketObject = 'arn:aws:s3:::my-bucket/home/alice/reports/2024/q1.pdf';
bench(
  'Resource arn:aws:s3:::my-bucket/home/*',
  `p=36 v=${bucketObject.length}`,
  (
    (m) => () =>
      m(bucketObject)
  )(compileResourcePattern('arn:aws:s3:::my-bucket/home/*')),
);
bench(
  'Resource arn:aws:s3:::*/home/*/*.pdf',
  `p=34 v=${bucketObject.length}`,
  (
    (m) => () =>
      m(bucketObject)
  )(compileResourcePattern('arn:aws:s3:::*/home/*/*.pdf')),
);
const role = 'arn:aws:iam::123456789012:role/admin';
bench(
  'ArnLike arn:aws:iam::*:role/*',
  `p=28 v=${role.length}`,
  (
    (m) => () =>
      m(role)
  )(compileArnPattern('arn:aws:iam::*:role/*')),
);

console.log('conditions (non-explain path)');
const context = createRequestContext({
  'aws:SourceIp': '198.51.100.7',
  'aws:username': 'alice',
  'aws:TagKeys': ['env', 'team', 'cost-center'],
  'aws:CurrentTime': '2024-05-01T12:00:00Z',
  'aws:PrincipalArn': role,
});
const cases: [string, string, string[]][] = [
  ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '198.51.100.0/24']],
  ['NotIpAddress', 'aws:SourceIp', ['2001:db8::/32']],
  ['StringEquals', 'aws:username', ['bob', 'alice']],
  ['StringLike', 'aws:username', ['a*']],
  ['ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'cost-center', 'owner']],
  ['DateLessThan', 'aws:CurrentTime', ['2030-01-01T00:00:00Z']],
  ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/admin']],
  ['StringNotEqualsIfExists', 'aws:PrincipalTag/team', ['red']],
  ['Null', 'aws:TokenIssueTime', ['true']],
];
for (const [operator, key, values] of cases) {
  const condition = compileCondition(clauseOf(operator, key, values), { variablesEnabled: true });
  bench(
    `${operator} ${key}`,
    `${values.length} policy value(s)`,
    () => condition.evaluate(context, false).verdict === 'match',
  );
}
