import { describe, expect, it } from 'vitest';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
// `true`: the key doesn't exist; `false`: the key exists. No IfExists form.
const context = createRequestContext({ 'aws:TokenIssueTime': '2024-05-01T00:00:00Z', 'aws:TagKeys': [] });

function verdict(operator: string, key: string, values: string[]): string {
  return compileCondition(clauseOf(operator, key, values), { variablesEnabled: true }).evaluate(
    context,
    false,
  ).verdict;
}

describe('Null (Conditions_Null)', () => {
  it.each([
    ['Null', 'aws:TokenIssueTime', ['true'], 'no-match'],
    ['Null', 'aws:TokenIssueTime', ['false'], 'match'],
    ['Null', 'AWS:TOKENISSUETIME', ['false'], 'match'],
    ['Null', 'aws:MultiFactorAuthAge', ['true'], 'match'],
    ['Null', 'aws:MultiFactorAuthAge', ['false'], 'no-match'],
    ['Null', 'aws:MultiFactorAuthAge', ['TRUE'], 'match'],
    ['Null', 'aws:MultiFactorAuthAge', ['maybe'], 'no-match'],
    // An empty multivalued key counts as null: AWS recommends Null=false to stop "context keys
    // with empty values" from satisfying ForAllValues
    // (reference_policies_condition_examples-multi-valued-context-keys.html).
    ['Null', 'aws:TagKeys', ['true'], 'match'],
    ['Null', 'aws:TagKeys', ['false'], 'no-match'],
    // "You can add IfExists to the end of any condition operator name except the Null condition."
    ['NullIfExists', 'aws:TokenIssueTime', ['false'], 'unknown'],
    ['ForAnyValue:Null', 'aws:TokenIssueTime', ['false'], 'unknown'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(verdict(operator, key, values)).toBe(expected);
  });

  it('explains presence', () => {
    const result = compileCondition(clauseOf('Null', 'aws:MultiFactorAuthAge', ['false']), {
      variablesEnabled: true,
    }).evaluate(context, true);
    expect(result.explanation?.reason).toBe(
      'aws:MultiFactorAuthAge is not present in the request, so Null false is not satisfied',
    );
    expect(result.explanation?.requestValues).toBeUndefined();
  });
});
