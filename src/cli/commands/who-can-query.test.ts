import { beforeAll, describe, expect, it } from 'vitest';
import { whoCan } from '../../analysis/access/query.js';
import { makeTree } from '../../collect/files/test-fixtures.js';
import { loadSnapshot } from '../../collect/index.js';
import type { OrgSnapshot } from '../../model/account.js';
import { whoCanAction } from './who-can-query.js';

const ACME = new URL('../../../examples/acme', import.meta.url).pathname;
const ACCOUNT = '111122223333';

const doc = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });

function user(name: string, statements: unknown[], extra: Record<string, unknown> = {}) {
  return {
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    Path: '/',
    GroupList: [],
    AttachedManagedPolicies: [],
    UserPolicyList:
      statements.length === 0 ? [] : [{ PolicyName: `${name}-inline`, PolicyDocument: doc(...statements) }],
    ...extra,
  };
}

/**
 * Statements that stress the "does this statement name the action?" shortcut: literal names in any
 * case, wildcards, NotAction, Deny on `*` with and without conditions, statements without Resource,
 * permissions boundaries, shared managed policies, and a document the parser reports errors in.
 * Statement elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * NotAction: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 * Boundaries: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
const tagStatement = {
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } },
};
const selfStatement = {
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: 'arn:aws:iam::111122223333:role/${aws:username}',
};

function syntheticExport() {
  const shared = 'arn:aws:iam::111122223333:policy/shared-pass';
  const boundaryArn = 'arn:aws:iam::111122223333:policy/boundary-s3';
  return {
    Policies: [
      {
        PolicyName: 'shared-pass',
        Arn: shared,
        DefaultVersionId: 'v1',
        PolicyVersionList: [
          {
            VersionId: 'v1',
            IsDefaultVersion: true,
            Document: doc(
              { Sid: 'Pass', Effect: 'Allow', Action: ['iam:PassRole', 's3:GetObject'], Resource: '*' },
              { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
            ),
          },
        ],
      },
      {
        PolicyName: 'boundary-s3',
        Arn: boundaryArn,
        DefaultVersionId: 'v1',
        PolicyVersionList: [
          {
            VersionId: 'v1',
            IsDefaultVersion: true,
            Document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
          },
        ],
      },
    ],
    UserDetailList: [
      user('literal', [{ Effect: 'Allow', Action: 'IAM:PASSROLE', Resource: '*' }]),
      user('wild', [
        { Effect: 'Allow', Action: 'iam:Pass*', Resource: 'arn:aws:iam::111122223333:role/app-*' },
      ]),
      user('qmark', [{ Effect: 'Allow', Action: ['iam:P?ssRole', 's3:Get*'], Resource: '*' }]),
      user('not-action', [{ Effect: 'Allow', NotAction: ['s3:*', 'kms:*'], Resource: '*' }]),
      user('not-action-excludes', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
      user('conditional', [
        {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
        },
      ]),
      user('denied', [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' },
      ]),
      user('denied-conditionally', [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'iam:*',
          Resource: '*',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ]),
      user('no-resource', [{ Effect: 'Allow', Action: 'iam:PassRole' }]),
      user('broken', [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { NoSuchOperator: { a: 'b' } } },
      ]),
      user('shared-1', [], { AttachedManagedPolicies: [{ PolicyName: 'shared-pass', PolicyArn: shared }] }),
      user('shared-2', [], { AttachedManagedPolicies: [{ PolicyName: 'shared-pass', PolicyArn: shared }] }),
      user('bounded', [], {
        AttachedManagedPolicies: [{ PolicyName: 'shared-pass', PolicyArn: shared }],
        PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundaryArn },
      }),
      // Principals whose statements naming the action read alike share one compiled set; the
      // answer is shared only when no statement reads the caller (tags, ${aws:username}).
      // Policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
      // aws:PrincipalTag: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag
      user('tagged-ops', [tagStatement], { Tags: [{ Key: 'team', Value: 'ops' }] }),
      user('tagged-dev', [tagStatement], { Tags: [{ Key: 'team', Value: 'dev' }] }),
      user('self-1', [selfStatement]),
      user('self-2', [selfStatement]),
      user('stamped-1', [
        { Sid: 'One', Effect: 'Allow', Action: ['iam:PassRole', 'iam:GetRole'], Resource: '*' },
      ]),
      user('stamped-2', [
        { Sid: 'Two', Effect: 'Allow', Action: ['iam:ListRoles', 'iam:PassRole'], Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
      ]),
      // Plain role ARNs other than the one asked about read alike (they cannot match it).
      user('pinned-runner', [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/app-runner' },
      ]),
      user('pinned-other', [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/other' },
      ]),
      user('pinned-prefix', [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/app-*' },
      ]),
      user('missing-policy', [], {
        AttachedManagedPolicies: [{ PolicyName: 'gone', PolicyArn: 'arn:aws:iam::111122223333:policy/gone' }],
      }),
    ],
    GroupDetailList: [],
    RoleDetailList: [
      {
        RoleName: 'app-runner',
        RoleId: 'AROAAPP',
        Arn: `arn:aws:iam::${ACCOUNT}:role/app-runner`,
        Path: '/',
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/literal` },
          Action: 'sts:AssumeRole',
        }),
        AttachedManagedPolicies: [{ PolicyName: 'shared-pass', PolicyArn: shared }],
        RolePolicyList: [],
      },
    ],
  };
}

/** Every question `who-can` may be asked of these snapshots, with and without a resource. */
const QUESTIONS: readonly { action: string; resource?: string }[] = [
  { action: 'iam:PassRole' },
  { action: 'iam:passrole' },
  { action: 's3:GetObject' },
  { action: 'ec2:RunInstances' },
  { action: 'iam:CreateUser' },
  { action: 'kms:Decrypt' },
  { action: 'sts:AssumeRole' },
  { action: 'iam:PassRole', resource: 'arn:aws:iam::111122223333:role/app-runner' },
  { action: 'iam:PassRole', resource: 'arn:aws:iam::111122223333:role/other' },
  { action: 'iam:PassRole', resource: 'arn:aws:iam::111122223333:role/self-1' },
  { action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/app-runner' },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::some-bucket/key' },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::acme-prod-app-data/report.csv' },
  { action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::acme-prod-app-data' },
  { action: 'notaservice:DoThing' },
];

describe('who-can for one action gives the library answer', () => {
  const snapshots: { name: string; snapshot: OrgSnapshot }[] = [];
  beforeAll(async () => {
    const dir = await makeTree({
      [`account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`]: syntheticExport(),
    });
    snapshots.push({ name: 'synthetic', snapshot: (await loadSnapshot([dir])).snapshot });
    snapshots.push({ name: 'acme', snapshot: (await loadSnapshot([ACME])).snapshot });
  });

  it.each(QUESTIONS)(
    '$action $resource: same principals, decisions, evidence and counts',
    ({ action, resource }) => {
      for (const { snapshot } of snapshots) {
        const expected = whoCan(snapshot, action, resource);
        expect(whoCanAction(snapshot, action, resource)).toEqual(expected);
      }
    },
  );

  it('the synthetic snapshot exercises grants of every kind and refusals', () => {
    const snapshot = snapshots[0]!.snapshot;
    const result = whoCanAction(snapshot, 'iam:PassRole');
    const by = new Map(result.principals.map((p) => [p.principal.split('/').pop(), p.grant]));
    expect(by.get('literal')).toBe('all');
    expect(by.get('wild')).toBe('scoped');
    expect(by.get('conditional')).toBe('conditional');
    expect(by.get('not-action')).toBe('all');
    expect(by.has('not-action-excludes')).toBe(false);
    expect(by.has('denied')).toBe(false);
    expect(by.has('no-resource')).toBe(false);
    expect(by.has('bounded')).toBe(false);
    expect(by.get('shared-1')).toBe('all');
    expect(result.total).toBe(24);
  });

  it('principals with alike statements share a decision only when nothing of the caller or the resource tells them apart', () => {
    const snapshot = snapshots[0]!.snapshot;
    const grant = (resource?: string) =>
      new Map(
        whoCanAction(snapshot, 'iam:PassRole', resource).principals.map((p) => [
          p.principal.split('/').pop(),
          p,
        ]),
      );
    const any = grant();
    expect(any.get('tagged-ops')?.decision).toBe('Allowed');
    expect(any.get('tagged-dev')?.decision).not.toBe('Allowed');
    const self = grant('arn:aws:iam::111122223333:role/self-1');
    expect(self.get('self-1')?.decision).toBe('Allowed');
    expect(self.has('self-2')).toBe(false);
    const runner = grant('arn:aws:iam::111122223333:role/app-runner');
    expect(runner.get('pinned-runner')?.decision).toBe('Allowed');
    expect(runner.get('pinned-prefix')?.decision).toBe('Allowed');
    expect(runner.has('pinned-other')).toBe(false);
    const other = grant('arn:aws:iam::111122223333:role/other');
    expect(other.get('pinned-other')?.decision).toBe('Allowed');
    expect(other.has('pinned-runner')).toBe(false);
    expect(other.has('pinned-prefix')).toBe(false);
    // Same decision, but each row cites its own policy and statement.
    expect(any.get('stamped-1')?.how.map((h) => [h.policy, h.sid])).toEqual([['stamped-1-inline', 'One']]);
    expect(any.get('stamped-2')?.how.map((h) => [h.policy, h.sid])).toEqual([['stamped-2-inline', 'Two']]);
  });
});
