// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import { describe, expect, it } from 'vitest';
import type { ContextValueInput } from '../../model/request.js';
import { compileNamedPolicy } from './compile.js';
import { PlannedContext, planContext } from './context-plan.js';
import { buildContext, principalState } from './request-state.js';
import { ACCT, allow, policy, USER } from './test-helpers.js';

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

describe('planned context over many requests (remembered key lists)', () => {
  const who = principalState(USER);
  const fresh = planContext([conditioned]);
  class Given {
    'aws:SourceVpc' = 'vpc-class';
  }
  const contexts: Record<string, ContextValueInput>[] = [
    { 'aws:SourceVpc': 'vpc-1', 'aws:userid': 'u1' },
    { 'aws:SourceVpc': 'vpc-2', 'aws:userid': 'u2', 'aws:PrincipalTag/team': 'blue' },
    { 'aws:SourceVpc': 'vpc-3' },
    { 'aws:userid': 'u4', 'aws:SourceVpc': 'vpc-4' },
    { 'aws:SourceVpc': 'vpc-5', 'aws:userid': 'u5', 'aws:PrincipalTag/team': 'red' },
    { 'AWS:SOURCEVPC': 'vpc-6', 'aws:SourceVpc': 'vpc-6b' },
    Object.assign(Object.create(null) as Record<string, ContextValueInput>, { 'aws:SourceVpc': 'vpc-7' }),
    new Given() as unknown as Record<string, ContextValueInput>,
    { 'aws:SourceVpc': 'vpc-1', 'aws:userid': 'u1' },
  ];
  it('answers each request as the full context does, whatever the order of key lists', () => {
    for (let round = 0; round < 3; round++) {
      for (const given of contexts) {
        const planned = new PlannedContext(fresh, given, who, ACCT);
        const full = buildContext(given, who.info, ACCT);
        for (const key of ['aws:sourcevpc', 'aws:userid', 'aws:PrincipalTag/team', 'aws:username']) {
          expect(planned.get(key), `${JSON.stringify(given)} ${key}`).toEqual(full.get(key));
        }
      }
    }
  });
});
