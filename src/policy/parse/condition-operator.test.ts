import { describe, expect, it } from 'vitest';
import { parseConditionOperator } from './condition-operator.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
describe('parseConditionOperator', () => {
  it.each([
    ['StringEquals', 'StringEquals', undefined, false],
    ['StringLikeIfExists', 'StringLike', undefined, true],
    ['ForAnyValue:StringLike', 'StringLike', 'ForAnyValue', false],
    ['ForAllValues:StringEqualsIgnoreCaseIfExists', 'StringEqualsIgnoreCase', 'ForAllValues', true],
    ['forallvalues:StringEquals', 'StringEquals', 'ForAllValues', false],
    ['Null', 'Null', undefined, false],
    ['NotAnOperatorButWellFormed', 'NotAnOperatorButWellFormed', undefined, false],
  ])('splits %s', (operator, baseOperator, setOperator, ifExists) => {
    const parsed = parseConditionOperator(operator);
    expect(parsed).toEqual({ ok: true, baseOperator, ifExists, ...(setOperator ? { setOperator } : {}) });
  });

  it.each([
    [''],
    ['ForSomeValues:StringEquals'],
    ['ForAnyValue:'],
    ['ForAnyValue:A:B'],
    ['IfExists'],
    ['String Equals'],
    [':StringEquals'],
  ])('rejects %j', (operator) => {
    expect(parseConditionOperator(operator).ok).toBe(false);
  });
});
