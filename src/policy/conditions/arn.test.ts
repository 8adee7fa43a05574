// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import { describe, expect, it } from 'vitest';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
// Six colon-delimited components checked separately, case-sensitive, wildcards allowed; ArnEquals
// and ArnLike behave identically; policy variables allowed.
const context = createRequestContext({
  'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:topic-a',
  'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/admin',
  'aws:PrincipalAccount': '123456789012',
  'x:odd': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
});

function verdict(operator: string, key: string, values: string[]): string {
  return compileCondition(clauseOf(operator, key, values), { variablesEnabled: true }).evaluate(
    context,
    false,
  ).verdict;
}

describe('ARN operators (Conditions_ARN)', () => {
  it.each([
    ['ArnEquals', 'aws:SourceArn', ['arn:aws:sns:us-east-1:123456789012:topic-a'], 'match'],
    ['ArnEquals', 'aws:SourceArn', ['arn:aws:sns:*:123456789012:topic-*'], 'match'],
    ['ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:123456789012:topic-?'], 'match'],
    ['ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:123456789012:TOPIC-A'], 'no-match'],
    ['ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:210987654321:*'], 'no-match'],
    ['ArnLike', 'x:odd', ['arn:aws:someservice:*:111122223333:finance/*'], 'no-match'],
    ['StringLike', 'x:odd', ['arn:aws:someservice:*:111122223333:finance/*'], 'match'],
    ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::${aws:PrincipalAccount}:role/*'], 'match'],
    ['ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/admin'], 'no-match'],
    ['ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/dev', 'arn:aws:iam::*:user/*'], 'match'],
    ['ArnNotEquals', 'aws:PrincipalArn', ['arn:aws:iam::*:role/admin'], 'no-match'],
    // "If the policy condition requires that the key is not matched, such as ... ArnNotLike, and
    // the right key is not present, the condition is true."
    ['ArnNotLike', 'aws:missing', ['arn:aws:iam::*:role/admin'], 'match'],
    ['ArnLike', 'aws:missing', ['arn:aws:iam::*:role/admin'], 'no-match'],
    // A pattern that is not a six-part ARN cannot be compared: no match, and the negated
    // operator cannot be satisfied through it either.
    ['ArnLike', 'aws:PrincipalArn', ['*'], 'no-match'],
    ['ArnNotLike', 'aws:PrincipalArn', ['*'], 'no-match'],
    ['ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/dev', 'arn:aws:iam'], 'no-match'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(verdict(operator, key, values)).toBe(expected);
  });
});
