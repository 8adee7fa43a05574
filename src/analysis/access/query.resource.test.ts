/**
 * Which stored resource's policy and account a request is judged with (findResource, and through
 * it `can`, `whoCan`, the CLI's `whoCanAction` and the `can` / `who-can` commands):
 *
 * - the resource with exactly the requested ARN;
 * - for an S3 object (`arn:PARTITION:s3:::BUCKET/KEY`), its bucket in the same partition: a bucket
 *   policy grants and denies access to the bucket's objects, its Resource element naming
 *   `arn:aws:s3:::BUCKET/*` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html,
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-policy-language-overview.html);
 * - nothing else: a Lambda version or alias ARN is not its function (a permission on a qualifier is
 *   that version's or alias's own, https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html,
 *   https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html).
 *
 * Cross-account requests need an Allow on both sides, same-account ones on either
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 * an explicit Deny anywhere wins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allow,
  FIXTURE_ACCOUNT,
  FIXTURE_OTHER_ACCOUNT,
  resourceArn,
  SnapshotBuilder,
  statements,
} from '../../checks/testing/snapshot-builder.js';
import { whoCanAction } from '../../cli/commands/who-can-query.js';
import { run } from '../../cli/main.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import type { Decision } from '../../model/request.js';
import { can, findPrincipal, findResource, resourceHasPolicy, whoCan } from './query.js';

const BUCKET = 'arn:aws:s3:::shared-data';
const PLAIN_BUCKET = 'arn:aws:s3:::plain-data';
const FUNCTION = resourceArn('lambda', 'worker');
const user = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;
const OBJECT = `${BUCKET}/reports/2026/01.csv`;

/**
 * Account A owns the buckets and the function. `reader` (A) and `partner` (B) are named by the
 * bucket policy; `partner-nogrant` (B) is named too but has no identity policy; `plain` (A),
 * `outsider` (B) and `blocked` (A) have an identity grant on `*` only. The bucket policy denies
 * `blocked` every object, and everyone the `private/` prefix.
 */
function builder(): SnapshotBuilder {
  const getAnything = { inline: { read: allow(['s3:GetObject', 's3:ListBucket']) } };
  return (
    new SnapshotBuilder()
      .user('reader')
      .user('plain', getAnything)
      .user('blocked', getAnything)
      .resource('s3', 'shared-data', {
        policy: statements(
          {
            Sid: 'ReadObjects',
            Effect: 'Allow',
            Principal: {
              AWS: [
                user(FIXTURE_ACCOUNT, 'reader'),
                user(FIXTURE_OTHER_ACCOUNT, 'partner'),
                user(FIXTURE_OTHER_ACCOUNT, 'partner-nogrant'),
              ],
            },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/*`,
          },
          {
            Sid: 'ListBucket',
            Effect: 'Allow',
            Principal: { AWS: user(FIXTURE_ACCOUNT, 'reader') },
            Action: 's3:ListBucket',
            Resource: BUCKET,
          },
          {
            Sid: 'DenyBlocked',
            Effect: 'Deny',
            Principal: { AWS: user(FIXTURE_ACCOUNT, 'blocked') },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/*`,
          },
          {
            Sid: 'DenyPrivate',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `${BUCKET}/private/*`,
          },
        ),
      })
      .resource('s3', 'plain-data')
      .resource('lambda', 'worker', {
        policy: statements({
          Sid: 'Invoke',
          Effect: 'Allow',
          Principal: { AWS: user(FIXTURE_ACCOUNT, 'reader') },
          Action: 'lambda:InvokeFunction',
          Resource: FUNCTION,
        }),
      })
      // The builder attaches FullAWSAccess to the root only; AWS attaches it to every account too.
      .scp({ name: 'FullAWSAccess-account', document: allow('*'), targets: [FIXTURE_OTHER_ACCOUNT] })
      .account(FIXTURE_OTHER_ACCOUNT)
      .user('partner', getAnything)
      .user('partner-nogrant')
      .user('outsider', getAnything)
  );
}

let snapshot: OrgSnapshot;
let tmp: string;
let dir: string;

beforeAll(async () => {
  snapshot = await builder().build();
  tmp = mkdtempSync(join(tmpdir(), 'leastpriv-query-resource-'));
  dir = await builder().write(join(tmp, 'snapshot'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function identity(name: string): Identity {
  const found = findPrincipal(snapshot, name);
  if (!found.ok) throw new Error(`no principal ${name}`);
  return found.identity;
}

describe('findResource', () => {
  it.each([
    // Exact ARNs, as before.
    [BUCKET, BUCKET],
    [PLAIN_BUCKET, PLAIN_BUCKET],
    [FUNCTION, FUNCTION],
    // An object is its bucket's (bucket-policies.html, access-policy-language-overview.html).
    [OBJECT, BUCKET],
    [`${BUCKET}/k`, BUCKET],
    [`${PLAIN_BUCKET}/k`, PLAIN_BUCKET],
    // Another partition's bucket of that name is another bucket (access-policy-language-overview.html: ARNs name the partition).
    ['arn:aws-cn:s3:::shared-data/k', undefined],
    // A bucket the snapshot does not hold, or whose name only starts like a stored one.
    ['arn:aws:s3:::elsewhere/k', undefined],
    ['arn:aws:s3:::shared-data-2/k', undefined],
    ['arn:aws:s3:::shared/data/k', undefined],
    // A Lambda version or alias has its own resource policy (API_AddPermission.html, using-aliases.html).
    [`${FUNCTION}:PROD`, undefined],
    [`${FUNCTION}:7`, undefined],
  ])('%s -> %s', (arn, expected) => {
    expect(findResource(snapshot, arn)?.arn).toBe(expected);
  });

  it.each([
    ['s3:GetObject', OBJECT, true],
    ['s3:GetObject', BUCKET, true],
    ['s3:GetObject', `${PLAIN_BUCKET}/k`, false],
    ['s3:GetObject', 'arn:aws:s3:::elsewhere/k', false],
    ['lambda:InvokeFunction', FUNCTION, true],
    ['lambda:InvokeFunction', `${FUNCTION}:PROD`, false],
  ])('resourceHasPolicy(%s, %s) is %s', (action, arn, expected) => {
    expect(resourceHasPolicy(snapshot, action, arn)).toBe(expected);
  });
});

interface CanCase {
  readonly who: string;
  readonly action?: string;
  readonly resource: string;
  readonly decision: Decision;
  /** The policy that decided, when one did. */
  readonly by?: string;
  /** The account the request was judged against; undefined: none known. */
  readonly resourceAccount?: string;
}

const POLICY = 'shared-data resource policy';
const CAN: readonly CanCase[] = [
  // Same account: the bucket policy alone grants (reference_policies_evaluation-logic.html).
  { who: 'reader', resource: OBJECT, decision: 'Allowed', by: POLICY, resourceAccount: FIXTURE_ACCOUNT },
  // Identity grant alone, same account: still allowed.
  { who: 'plain', resource: OBJECT, decision: 'Allowed', resourceAccount: FIXTURE_ACCOUNT },
  // Explicit Deny in the bucket policy for the object (bucket-policies.html).
  { who: 'blocked', resource: OBJECT, decision: 'ExplicitlyDenied', by: POLICY },
  { who: 'plain', resource: `${BUCKET}/private/x`, decision: 'ExplicitlyDenied', by: POLICY },
  { who: 'reader', resource: `${BUCKET}/private/x`, decision: 'ExplicitlyDenied', by: POLICY },
  // Cross-account: both sides must allow (reference_policies_evaluation-logic-cross-account.html).
  { who: 'partner', resource: OBJECT, decision: 'Allowed', resourceAccount: FIXTURE_ACCOUNT },
  { who: 'outsider', resource: OBJECT, decision: 'ImplicitlyDenied', resourceAccount: FIXTURE_ACCOUNT },
  {
    who: 'partner-nogrant',
    resource: OBJECT,
    decision: 'ImplicitlyDenied',
    resourceAccount: FIXTURE_ACCOUNT,
  },
  // A bucket without a policy: its account is known, nothing grants across accounts.
  {
    who: 'outsider',
    resource: `${PLAIN_BUCKET}/k`,
    decision: 'ImplicitlyDenied',
    resourceAccount: FIXTURE_ACCOUNT,
  },
  { who: 'plain', resource: `${PLAIN_BUCKET}/k`, decision: 'Allowed', resourceAccount: FIXTURE_ACCOUNT },
  // The bucket ARN itself, as before.
  {
    who: 'reader',
    action: 's3:ListBucket',
    resource: BUCKET,
    decision: 'Allowed',
    by: POLICY,
    resourceAccount: FIXTURE_ACCOUNT,
  },
  { who: 'outsider', action: 's3:ListBucket', resource: BUCKET, decision: 'ImplicitlyDenied' },
  // An object of a bucket not in the snapshot: no resource side, as before.
  { who: 'reader', resource: 'arn:aws:s3:::elsewhere/k', decision: 'ImplicitlyDenied' },
  { who: 'outsider', resource: 'arn:aws:s3:::elsewhere/k', decision: 'Allowed' },
  { who: 'reader', resource: 'arn:aws-cn:s3:::shared-data/k', decision: 'ImplicitlyDenied' },
  // Lambda: the function's policy, not for its aliases (API_AddPermission.html).
  {
    who: 'reader',
    action: 'lambda:InvokeFunction',
    resource: FUNCTION,
    decision: 'Allowed',
    by: 'worker resource policy',
  },
  {
    who: 'reader',
    action: 'lambda:InvokeFunction',
    resource: `${FUNCTION}:PROD`,
    decision: 'ImplicitlyDenied',
  },
];

describe('can', () => {
  it.each(CAN.map((c) => ({ ...c, action: c.action ?? 's3:GetObject' })))(
    '$who $action on $resource: $decision',
    (c) => {
      const r = can(snapshot, { identity: identity(c.who), action: c.action, resource: c.resource });
      expect(r.decision).toBe(c.decision);
      if (c.by !== undefined) expect(r.explanation.decidedBy?.policy).toBe(c.by);
      if (c.resourceAccount !== undefined) expect(r.request.resourceAccount).toBe(c.resourceAccount);
      if (c.resource.startsWith('arn:aws:s3:::elsewhere') || c.resource.startsWith('arn:aws-cn:'))
        expect(r.request.resourceAccount).toBeUndefined();
    },
  );

  it('shows the bucket policy among the layers for an object', () => {
    const r = can(snapshot, { identity: identity('reader'), action: 's3:GetObject', resource: OBJECT });
    const layer = r.explanation.layers.find((l) => l.type === 'resource');
    expect(layer?.applies).toBe(true);
    expect(layer?.policies.map((p) => p.name)).toEqual([POLICY]);
  });
});

interface WhoCanCase {
  readonly action: string;
  readonly resource: string;
  readonly principals: readonly string[];
}

const WHO_CAN: readonly WhoCanCase[] = [
  {
    action: 's3:GetObject',
    resource: OBJECT,
    principals: [
      user(FIXTURE_ACCOUNT, 'plain'),
      user(FIXTURE_ACCOUNT, 'reader'),
      user(FIXTURE_OTHER_ACCOUNT, 'partner'),
    ],
  },
  { action: 's3:GetObject', resource: `${BUCKET}/private/x`, principals: [] },
  {
    action: 's3:GetObject',
    resource: `${PLAIN_BUCKET}/k`,
    principals: [user(FIXTURE_ACCOUNT, 'blocked'), user(FIXTURE_ACCOUNT, 'plain')],
  },
  {
    action: 's3:ListBucket',
    resource: BUCKET,
    principals: [
      user(FIXTURE_ACCOUNT, 'blocked'),
      user(FIXTURE_ACCOUNT, 'plain'),
      user(FIXTURE_ACCOUNT, 'reader'),
    ],
  },
  {
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::elsewhere/k',
    principals: [
      user(FIXTURE_ACCOUNT, 'blocked'),
      user(FIXTURE_ACCOUNT, 'plain'),
      user(FIXTURE_OTHER_ACCOUNT, 'outsider'),
      user(FIXTURE_OTHER_ACCOUNT, 'partner'),
    ],
  },
];

describe('who-can', () => {
  // Within one account a resource policy alone grants; its deciding statement is the evidence.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  it('names the bucket policy statement as how a principal only it grants can', () => {
    for (const result of [
      whoCan(snapshot, 's3:GetObject', OBJECT),
      whoCanAction(snapshot, 's3:GetObject', OBJECT),
    ]) {
      const reader = result.principals.find((p) => p.principal === user(FIXTURE_ACCOUNT, 'reader'));
      expect(reader?.decision).toBe('Allowed');
      expect(reader?.how).toHaveLength(1);
      expect(reader?.how[0]).toMatchObject({ sid: 'ReadObjects' });
      expect(reader?.how[0]?.policy).toMatch(/shared-data/);
      // Principals with identity grants keep those as their evidence.
      for (const p of result.principals.filter((x) => x.principal !== reader?.principal))
        expect(p.how.every((h) => !/shared-data/.test(h.policy))).toBe(true);
    }
  });

  it.each(WHO_CAN)('$action on $resource', (c) => {
    const expected = [...c.principals].sort();
    const engine = whoCan(snapshot, c.action, c.resource);
    const cli = whoCanAction(snapshot, c.action, c.resource);
    expect(engine.principals.map((p) => p.principal)).toEqual(expected);
    expect(cli.principals).toEqual(engine.principals);
    expect(cli.candidates).toBe(engine.candidates);
  });
});

async function cli(argv: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: async (path) => {
      throw new Error(`unexpected write to ${path}`);
    },
    color: false,
  });
  return { code, stdout };
}

describe('the commands of the report', () => {
  it('`can PRINCIPAL s3:GetObject OBJECT` allows by the bucket policy', async () => {
    const r = await cli(['can', 'reader', 's3:GetObject', OBJECT, '--snapshot', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.decision).toBe('Allowed');
    expect(body.explanation.decidedBy.policy).toBe(POLICY);
    expect(body.explanation.decidedBy.sid).toBe('ReadObjects');
  });

  it('`who-can s3:GetObject OBJECT` lists who the bucket policy grants', async () => {
    const r = await cli([
      'who-can',
      's3:GetObject',
      OBJECT,
      '--snapshot',
      dir,
      '--format',
      'json',
      '--no-index',
    ]);
    expect(r.code).toBe(0);
    const names = JSON.parse(r.stdout).principals.map((p: { principal: string }) => p.principal);
    expect(names).toEqual(
      expect.arrayContaining([user(FIXTURE_ACCOUNT, 'reader'), user(FIXTURE_OTHER_ACCOUNT, 'partner')]),
    );
    expect(names).not.toContain(user(FIXTURE_OTHER_ACCOUNT, 'outsider'));
    expect(names).not.toContain(user(FIXTURE_ACCOUNT, 'blocked'));
  });
});
