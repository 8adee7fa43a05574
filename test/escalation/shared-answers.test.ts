/**
 * The graph asks the engine once per account when no statement that could match an action looks
 * at the resource, and once per target otherwise. These fixtures make the answer differ between
 * targets (a Resource list, a Deny on one target, a condition on the target's tags, NotResource) or
 * not at all (a boundary or SCP that never allows the action), and check each target's edge.
 * Resource and NotResource: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 * iam:ResourceTag on IAM users and roles: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html
 * Explicit deny wins: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * SCPs limit member accounts: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
import { describe, expect, it } from 'vitest';
import { escalationGraph } from '../../src/analysis/escalation/index.js';
import {
  FIXTURE_ACCOUNT as A,
  allow,
  FIXTURE_OTHER_ACCOUNT as B,
  type PolicyDocument,
  SnapshotBuilder,
  statements,
} from '../../src/checks/testing/snapshot-builder.js';

const victim = (account: string, name: string): string => `arn:aws:iam::${account}:user/${name}`;

interface Case {
  readonly name: string;
  readonly policy: PolicyDocument;
  readonly boundary?: PolicyDocument;
  /** SCP on the attacker's account (a member account: B). */
  readonly scp?: PolicyDocument;
  /** Victims (blue, green, red) reached with iam:CreateAccessKey. */
  readonly reached: readonly string[];
}

const cases: readonly Case[] = [
  { name: 'any user', policy: allow('iam:CreateAccessKey'), reached: ['blue', 'green', 'red'] },
  {
    name: 'a Resource list',
    policy: allow('iam:CreateAccessKey', [victim(B, 'blue'), victim(B, 'red')]),
    reached: ['blue', 'red'],
  },
  {
    name: 'a Deny on one user',
    policy: statements(
      { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: victim(B, 'green') },
    ),
    reached: ['blue', 'red'],
  },
  {
    name: "a condition on the target's tag",
    policy: allow('iam:CreateAccessKey', '*', {
      Condition: { StringEquals: { 'iam:ResourceTag/team': 'blue' } },
    }),
    reached: ['blue'],
  },
  {
    name: 'a Deny on a tag value',
    policy: statements(
      { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 'iam:CreateAccessKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/team': 'red' } },
      },
    ),
    reached: ['blue', 'green'],
  },
  {
    name: 'NotResource',
    policy: statements({ Effect: 'Allow', Action: 'iam:CreateAccessKey', NotResource: victim(B, 'blue') }),
    reached: ['green', 'red'],
  },
  {
    name: 'a boundary without the action',
    policy: allow('iam:CreateAccessKey'),
    boundary: allow('s3:GetObject'),
    reached: [],
  },
  {
    name: 'a boundary naming one user',
    policy: allow('iam:CreateAccessKey'),
    boundary: allow('iam:CreateAccessKey', victim(B, 'red')),
    reached: ['red'],
  },
  {
    name: 'an SCP denying the action',
    policy: allow('iam:CreateAccessKey'),
    scp: statements(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' },
    ),
    reached: [],
  },
  {
    name: 'an SCP denying one user',
    policy: allow('iam:CreateAccessKey'),
    scp: statements(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: victim(B, 'blue') },
    ),
    reached: ['green', 'red'],
  },
];

describe('answers shared across targets only when no statement reads the resource', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // The attacker lives in a member account so that SCPs apply to it.
    const b = new SnapshotBuilder(A).account(B);
    if (c.boundary) b.policy('limit', c.boundary);
    b.user('attacker', { inline: { p: c.policy }, ...(c.boundary ? { boundary: 'limit' } : {}) });
    for (const team of ['blue', 'green', 'red'])
      b.user(team, { tags: { team }, credentials: { password: false, keys: [] } });
    b.scp({ name: 'account-b', document: c.scp ?? allow('*', '*'), targets: [B] });
    const graph = escalationGraph(await b.build());
    const reached = (graph.out.get(victim(B, 'attacker')) ?? [])
      .filter((e) => e.technique === 'iam-002')
      .map((e) => e.to.split('/').at(-1))
      .sort();
    expect(reached).toEqual(c.reached);
  });
});
