/**
 * String operators. Values are compared case-sensitively except the IgnoreCase pair; only the
 * Like pair treats `*` and `?` as wildcards. Policy variables are allowed.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 */
import { compileLiteralTemplate, compileWildcardTemplate, type TemplateMatcher } from '../match/index.js';
import { type ConditionOperator, negate } from './operator.js';

const identity = (raw: string): string => raw;
const testTemplate = (
  _r: string,
  p: TemplateMatcher,
  raw: string,
  context: Parameters<TemplateMatcher['test']>[1],
): boolean | string => p.test(raw, context);

export const StringEquals: ConditionOperator<string, TemplateMatcher> = {
  name: 'StringEquals',
  valueType: 'string',
  negated: false,
  variables: true,
  compileValue: (raw, variables) => compileLiteralTemplate(raw, { variables }),
  parseRequest: identity,
  matches: testTemplate,
  phrase: { yes: 'equals', no: 'does not equal' },
  expects: 'a string',
};

export const StringEqualsIgnoreCase: ConditionOperator<string, TemplateMatcher> = {
  ...StringEquals,
  name: 'StringEqualsIgnoreCase',
  compileValue: (raw, variables) => compileLiteralTemplate(raw, { variables, caseInsensitive: true }),
  phrase: { yes: 'equals (ignoring case)', no: 'does not equal (ignoring case)' },
};

export const StringLike: ConditionOperator<string, TemplateMatcher> = {
  ...StringEquals,
  name: 'StringLike',
  compileValue: (raw, variables) => compileWildcardTemplate(raw, { variables }),
  phrase: { yes: 'matches', no: 'does not match' },
};

export const StringNotEquals = negate(StringEquals, 'StringNotEquals');
export const StringNotEqualsIgnoreCase = negate(StringEqualsIgnoreCase, 'StringNotEqualsIgnoreCase');
export const StringNotLike = negate(StringLike, 'StringNotLike');

export const STRING_OPERATORS: readonly ConditionOperator[] = [
  StringEquals,
  StringNotEquals,
  StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase,
  StringLike,
  StringNotLike,
] as readonly ConditionOperator[];
