// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import { describe, expect, it } from 'vitest';
import type { ContextValueInput } from '../../model/request.js';
import { compileNamedPolicy, statementsForAction } from './compile.js';
import { PlannedContext, planContext } from './context-plan.js';
import { compilePolicySet, evaluate, explain } from './index.js';
import { buildContext, principalState } from './request-state.js';
import { ACCT, allow, deny, policy, SESSION, USER } from './test-helpers.js';

// Condition keys are case-insensitive, and AWS fills in aws:PrincipalArn, aws:username, ... itself.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
const KEYS_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

const conditioned = compileNamedPolicy(
  policy('p', 'identity', [
    allow('s3:GetObject', 'arn:aws:s3:::b/${aws:username}/*', {
      Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1', 'aws:PrincipalTag/team': '${aws:userid}' } },
    }),
  ]),
);
const plan = planContext([conditioned]);

describe('planned request context (same answers as the full context)', () => {
  const who = principalState(USER);
  const cases: readonly {
    name: string;
    given: Record<string, ContextValueInput> | undefined;
    keys: readonly string[];
  }[] = [
    { name: 'keys spelled as in the policy', given: { 'aws:SourceVpc': 'vpc-1' }, keys: ['aws:sourcevpc'] },
    { name: 'keys in another case', given: { 'AWS:SOURCEVPC': 'vpc-2' }, keys: ['aws:SourceVpc'] },
    { name: 'derived keys (aws:username)', given: {}, keys: ['aws:username', 'aws:PrincipalArn'] },
    {
      name: 'a supplied key wins over the derived one',
      given: { 'aws:Username': 'bob' },
      keys: ['aws:username'],
    },
    { name: 'numbers and booleans read as text', given: { 'aws:SourceVpc': 7 }, keys: ['aws:sourcevpc'] },
    { name: 'multi-valued keys', given: { 'aws:userid': ['a', true] }, keys: ['aws:userid'] },
    {
      name: 'a key no policy reads (answered from the full context)',
      given: { 'aws:RequestedRegion': 'eu-west-1' },
      keys: ['aws:requestedregion', 'aws:CurrentTime'],
    },
    { name: 'no context given', given: undefined, keys: ['aws:username', 'aws:sourcevpc'] },
    {
      name: 'the last of two spellings wins, as in the full context',
      given: { 'aws:sourcevpc': 'vpc-a', 'aws:SourceVpc': 'vpc-b' },
      keys: ['aws:SourceVpc'],
    },
  ];
  for (const c of cases) {
    it(`${c.name} (${KEYS_DOC})`, () => {
      const planned = new PlannedContext(plan, c.given, who, ACCT);
      const full = buildContext(c.given, who.info, ACCT);
      for (const key of c.keys) expect(planned.get(key), key).toEqual(full.get(key));
      expect([...planned.keys()].sort()).toEqual([...full.keys()].sort());
    });
  }

  it('reads the caller-supplied aws:PrincipalArn only', () => {
    expect(new PlannedContext(plan, {}, who, ACCT).givenPrincipalArn).toBeUndefined();
    const role = `arn:aws:iam::${ACCT}:role/path/AppRole`;
    expect(new PlannedContext(plan, { 'AWS:PrincipalArn': role }, who, ACCT).givenPrincipalArn).toBe(role);
  });
});

describe('statements indexed by action', () => {
  // NotAction matches every action it does not list.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
  const p = compileNamedPolicy(
    policy('p', 'identity', [
      allow('s3:GetObject'),
      { Effect: 'Deny', NotAction: 's3:*', Resource: '*' },
      allow('s3:*'),
      allow('ec2:*'),
    ]),
  );
  it.each([
    ['s3:GetObject', [0, 2]],
    ['s3:PutObject', [2]],
    ['ec2:RunInstances', [1, 3]],
    ['iam:GetUser', [1]],
  ])('%s visits statements %j', async (action, indexes) => {
    const { getCatalog } = await import('../../catalog/index.js');
    const index = getCatalog().lookupAction(action)?.index ?? -1;
    const found = statementsForAction(p, index);
    expect(found.all.map((s) => s.index)).toEqual(indexes);
    expect(found.deny.map((s) => s.index)).toEqual(indexes.filter((i) => i === 1));
  });
});

describe('Resource variables re-resolved when the request changes', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  const set = compilePolicySet({
    identity: [
      policy('home', 'identity', [
        allow('s3:GetObject', 'arn:aws:s3:::b/home/${aws:username}/*'),
        deny('s3:GetObject', 'arn:aws:s3:::b/home/${aws:username}/secret'),
      ]),
    ],
  });
  const bob = `arn:aws:iam::${ACCT}:user/bob`;
  it.each([
    [USER, 'arn:aws:s3:::b/home/alice/x', 'Allowed'],
    [bob, 'arn:aws:s3:::b/home/alice/x', 'ImplicitlyDenied'],
    [bob, 'arn:aws:s3:::b/home/bob/x', 'Allowed'],
    [USER, 'arn:aws:s3:::b/home/bob/x', 'ImplicitlyDenied'],
    [USER, 'arn:aws:s3:::b/home/alice/secret', 'ExplicitlyDenied'],
    [SESSION, 'arn:aws:s3:::b/home/alice/x', 'ImplicitlyDenied'],
  ])('%s on %s: %s', (principal, resource, decision) => {
    const request = { principal, action: 's3:GetObject', resource, resourceAccount: ACCT };
    expect(evaluate(set, request)).toBe(decision);
    expect(explain(set, request).decision).toBe(decision);
  });
});
