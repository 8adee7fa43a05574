import { describe, expect, it } from 'vitest';
import { canonicalBase64 } from './binary.js';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
// "compares the value of the specified key byte for byte against a base-64 encoded representation".
function verdict(values: string[], requestValue: string | undefined): string {
  const context = createRequestContext(requestValue === undefined ? {} : { 'x:blob': requestValue });
  return compileCondition(clauseOf('BinaryEquals', 'x:blob', values), { variablesEnabled: true }).evaluate(
    context,
    false,
  ).verdict;
}

describe('BinaryEquals (Conditions_BinaryEquals)', () => {
  it.each([
    [['QmluYXJ5VmFsdWVJbkJhc2U2NA=='], 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'match'],
    [['QmluYXJ5VmFsdWVJbkJhc2U2NA=='], 'QmluYXJ5VmFsdWVJbkJhc2U2NQ==', 'no-match'],
    [['AAAA', 'QUJD'], 'QUJD', 'match'],
    [['not base64!'], 'not base64!', 'no-match'],
    [['QUJD'], undefined, 'no-match'],
  ])('%j vs %j → %s', (values, requestValue, expected) => {
    expect(verdict(values, requestValue)).toBe(expected);
  });

  it('canonicalises strict base64 only', () => {
    expect(canonicalBase64('QUJD')).toBe('QUJD');
    expect(canonicalBase64('QUI=')).toBe('QUI=');
    expect(canonicalBase64('QUI')).toBeUndefined();
    expect(canonicalBase64('Q$JD')).toBeUndefined();
    expect(canonicalBase64('')).toBeUndefined();
  });
});
