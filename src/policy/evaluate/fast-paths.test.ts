// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
/**
 * The shortcuts evaluate() takes (candidate statements by action, statements that match whatever
 * the request, stopping at the first explicit deny) must never change a decision: each case is
 * checked against explain(), which visits every statement.
 */
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/index.js';
import type { AuthorizationRequest } from '../../model/request.js';
import type { EvaluablePolicy } from './compile.js';
import { compileNamedPolicy, statementsForAction } from './compile.js';
import { compilePolicySet, evaluate, explain, type PolicySet } from './index.js';
import { ACCT, ALLOW_ALL, allow, deny, policy, SESSION, USER } from './test-helpers.js';

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
  ])('%s visits statements %j', (action, indexes) => {
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

describe('decision-only shortcuts agree with the full explanation', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
  // (an explicit deny in any policy overrides any allow; every SCP level must allow)
  const scp = (statements: Record<string, unknown>[]) => policy('scp', 'scp', statements);
  const cases: readonly {
    name: string;
    set: PolicySet<EvaluablePolicy>;
    request: AuthorizationRequest;
    decision: string;
  }[] = [
    {
      name: 'an action the catalog does not know is not matched by a NotAction "*" statement',
      set: { identity: [policy('id', 'identity', [{ Effect: 'Allow', NotAction: '*', Resource: '*' }])] },
      request: { principal: USER, action: 'madeup:DoThing', resource: '*' },
      decision: 'ImplicitlyDenied',
    },
    {
      name: 'an unknown action still meets an unconditional Allow "*"',
      set: { identity: [policy('id', 'identity', [ALLOW_ALL])] },
      request: { principal: USER, action: 'madeup:DoThing', resource: '*' },
      decision: 'Allowed',
    },
    {
      name: 'a Deny in a later SCP level decides even after a level failed to allow',
      set: {
        identity: [policy('id', 'identity', [ALLOW_ALL])],
        scp: [[scp([allow('ec2:*')])], [scp([ALLOW_ALL, deny('s3:*')])]],
      },
      request: {
        principal: USER,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        resourceAccount: ACCT,
      },
      decision: 'ExplicitlyDenied',
    },
    {
      name: 'a resource policy without Principal "*" is not an unconditional grant',
      set: {
        resource: [
          policy('bucket', 'resource', [
            allow('s3:GetObject', '*', { Principal: { AWS: `arn:aws:iam::${ACCT}:user/bob` } }),
          ]),
        ],
      },
      request: {
        principal: USER,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        resourceAccount: ACCT,
      },
      decision: 'ImplicitlyDenied',
    },
    {
      name: 'a Principal "*" grant in a resource policy allows a same-account session',
      set: { resource: [policy('bucket', 'resource', [allow('s3:GetObject', '*', { Principal: '*' })])] },
      request: {
        principal: SESSION,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        resourceAccount: ACCT,
      },
      decision: 'Allowed',
    },
    {
      name: 'a conditional Deny is evaluated after an unconditional Allow',
      set: {
        identity: [
          policy('id', 'identity', [
            ALLOW_ALL,
            deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        ],
      },
      request: {
        principal: USER,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        resourceAccount: ACCT,
        context: { 'aws:SecureTransport': 'false' },
      },
      decision: 'ExplicitlyDenied',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = compilePolicySet(c.set);
      expect(evaluate(set, c.request)).toBe(c.decision);
      expect(explain(set, c.request).decision).toBe(c.decision);
    });
  }
});
