import { describe, expect, it } from 'vitest';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
function verdict(operator: string, values: string[], secure: string | boolean | undefined): string {
  const context = createRequestContext(secure === undefined ? {} : { 'aws:SecureTransport': secure });
  return compileCondition(clauseOf(operator, 'aws:SecureTransport', values), {
    variablesEnabled: true,
  }).evaluate(context, false).verdict;
}

describe('Bool (Conditions_Boolean)', () => {
  it.each([
    ['Bool', ['false'], 'false', 'match'],
    ['Bool', ['false'], 'true', 'no-match'],
    ['Bool', ['true'], true, 'match'],
    ['Bool', ['TRUE'], 'true', 'match'],
    ['Bool', ['true'], 'True', 'match'],
    ['Bool', ['yes'], 'true', 'no-match'],
    ['Bool', ['true'], 'yes', 'no-match'],
    // The documented deny-without-TLS pattern: the key is always present; if it were missing,
    // Bool would not match and BoolIfExists would.
    ['Bool', ['false'], undefined, 'no-match'],
    ['BoolIfExists', ['false'], undefined, 'match'],
  ])('%s %j with aws:SecureTransport=%j → %s', (operator, values, secure, expected) => {
    expect(verdict(operator, values, secure)).toBe(expected);
  });
});
