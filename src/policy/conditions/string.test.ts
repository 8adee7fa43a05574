// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import { describe, expect, it } from 'vitest';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
const OPERATORS_PAGE = 'reference_policies_elements_condition_operators.html#Conditions_String';

const context = createRequestContext({
  'aws:username': 'john',
  'aws:PrincipalTag/team': 'blue',
  's3:prefix': 'home/john/docs',
  'aws:userid': 'AIDAEXAMPLE',
});

function verdict(operator: string, key: string, values: string[], variablesEnabled = true): string {
  return compileCondition(clauseOf(operator, key, values), { variablesEnabled }).evaluate(context, false)
    .verdict;
}

describe(`string operators (${OPERATORS_PAGE})`, () => {
  it.each([
    // StringEquals: exact, case-sensitive ("Users named John are denied access").
    ['StringEquals', 'aws:username', ['john'], 'match'],
    ['StringEquals', 'aws:username', ['John'], 'no-match'],
    ['StringEquals', 'aws:username', ['jo*'], 'no-match'],
    // Several values for one key are ORed.
    ['StringEquals', 'aws:username', ['alice', 'john'], 'match'],
    // Keys are case-insensitive (reference_policies_elements_condition.html).
    ['StringEquals', 'AWS:UserName', ['john'], 'match'],
    ['StringEqualsIgnoreCase', 'aws:username', ['JOHN'], 'match'],
    ['StringEqualsIgnoreCase', 'aws:username', ['jon'], 'no-match'],
    ['StringLike', 'aws:userid', ['AIDA*'], 'match'],
    ['StringLike', 'aws:userid', ['AROA*', 'AIDA*'], 'match'],
    ['StringLike', 'aws:userid', ['aida*'], 'no-match'],
    ['StringLike', 's3:prefix', ['home/*/docs'], 'match'],
    ['StringLike', 's3:prefix', ['home/?ohn/docs'], 'match'],
    // Negated operators with several values: the request must equal none of them (an AND).
    ['StringNotEquals', 'aws:username', ['alice', 'bob'], 'match'],
    ['StringNotEquals', 'aws:username', ['alice', 'john'], 'no-match'],
    ['StringNotEqualsIgnoreCase', 'aws:username', ['JOHN'], 'no-match'],
    ['StringNotEqualsIgnoreCase', 'aws:username', ['alice'], 'match'],
    ['StringNotLike', 'aws:userid', ['AROA*'], 'match'],
    ['StringNotLike', 'aws:userid', ['AROA*', 'AIDA*'], 'no-match'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(verdict(operator, key, values)).toBe(expected);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-conditionelement
  it.each([
    ['StringLike', 's3:prefix', ['home/${aws:username}/*'], 'match'],
    ['StringEquals', 'aws:username', ['${aws:username}'], 'match'],
    ['StringEquals', 'aws:PrincipalTag/team', ["${aws:PrincipalTag/missing, 'blue'}"], 'match'],
    // A variable the request cannot fill never matches ("any attempt to match it fails")...
    ['StringEquals', 'aws:username', ['${aws:missing}'], 'no-match'],
    ['StringEquals', 'aws:username', ['${aws:missing}', 'john'], 'match'],
    // ...and a negated operator cannot be satisfied through it.
    ['StringNotEquals', 'aws:username', ['${aws:missing}'], 'no-match'],
  ])('with variables: %s %s %j → %s', (operator, key, values, expected) => {
    expect(verdict(operator, key, values)).toBe(expected);
  });

  it('treats ${...} as literal text under Version 2008-10-17', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-intro
    expect(verdict('StringEquals', 'aws:username', ['${aws:username}'], false)).toBe('no-match');
  });

  it('explains a failed comparison in one sentence', () => {
    const result = compileCondition(clauseOf('StringEquals', 'aws:username', ['alice', 'bob']), {
      variablesEnabled: true,
    }).evaluate(context, true);
    expect(result.explanation?.reason).toBe('aws:username john does not equal any of alice, bob');
    expect(result.explanation?.requestValues).toEqual(['john']);
  });

  it('reports substituted policy values in explanations', () => {
    const result = compileCondition(clauseOf('StringLike', 's3:prefix', ['home/${aws:username}/*']), {
      variablesEnabled: true,
    }).evaluate(context, true);
    expect(result.explanation?.policyValues).toEqual(['home/john/*']);
    expect(result.explanation?.reason).toBe('s3:prefix home/john/docs matches home/john/*');
  });
});
