// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import { describe, expect, it } from 'vitest';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';
import { parseDecimal } from './numeric.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
const context = createRequestContext({ 's3:max-keys': '10', 'x:decimal': '2.5', 'x:bad': 'ten', 'x:num': 7 });

function verdict(operator: string, key: string, values: string[]): string {
  return compileCondition(clauseOf(operator, key, values), { variablesEnabled: true }).evaluate(
    context,
    false,
  ).verdict;
}

describe('numeric operators (Conditions_Numeric)', () => {
  it.each([
    ['NumericEquals', 's3:max-keys', ['10'], 'match'],
    ['NumericEquals', 's3:max-keys', ['10.0'], 'match'],
    ['NumericEquals', 's3:max-keys', ['11'], 'no-match'],
    ['NumericNotEquals', 's3:max-keys', ['11', '12'], 'match'],
    ['NumericNotEquals', 's3:max-keys', ['11', '10'], 'no-match'],
    ['NumericLessThan', 's3:max-keys', ['10'], 'no-match'],
    ['NumericLessThan', 's3:max-keys', ['10.5'], 'match'],
    ['NumericLessThanEquals', 's3:max-keys', ['10'], 'match'],
    ['NumericGreaterThan', 'x:decimal', ['2'], 'match'],
    ['NumericGreaterThan', 'x:decimal', ['2.5'], 'no-match'],
    ['NumericGreaterThanEquals', 'x:decimal', ['2.5'], 'match'],
    ['NumericGreaterThanEquals', 'x:num', ['-1'], 'match'],
    // Values that are not numbers never compare: no match, and a negated operator fails too.
    ['NumericEquals', 'x:bad', ['10'], 'no-match'],
    ['NumericNotEquals', 'x:bad', ['10'], 'no-match'],
    ['NumericLessThan', 's3:max-keys', ['abc'], 'no-match'],
    ['NumericNotEquals', 's3:max-keys', ['abc'], 'no-match'],
    ['NumericEquals', 's3:max-keys', ['abc', '10'], 'match'],
    // "You can not use a policy variable with the Numeric condition operator".
    ['NumericEquals', 's3:max-keys', ['${s3:max-keys}'], 'no-match'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(verdict(operator, key, values)).toBe(expected);
  });

  it('explains an uninterpretable policy value', () => {
    const result = compileCondition(clauseOf('NumericLessThan', 's3:max-keys', ['abc']), {
      variablesEnabled: true,
    }).evaluate(context, true);
    expect(result.explanation?.reason).toContain('abc is not a number');
  });
});

describe('parseDecimal', () => {
  it.each([
    ['0', 0],
    ['-3', -3],
    ['+4', 4],
    ['1.25', 1.25],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
  ])('%j → %d', (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });

  it.each(['', ' 1', '1 ', '0x10', '1e', 'e3', '1e+', 'Infinity', 'NaN', '-', '.', '1.2.3'])(
    'rejects %j',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );
});
