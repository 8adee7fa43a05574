/**
 * ARN operators: the six colon-delimited parts are compared separately, case-sensitively, with
 * wildcards in every operator ("ArnEquals and ArnLike behave identically"). Variables allowed.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
import { compileArnTemplate, isArnPattern, type TemplateMatcher } from '../match/index.js';
import { type ConditionOperator, negate } from './operator.js';

export const ArnLike: ConditionOperator<string, TemplateMatcher> = {
  name: 'ArnLike',
  valueType: 'arn',
  negated: false,
  variables: true,
  // A value that is not a six-part ARN can never be compared: it matches nothing, and (like any
  // uninterpretable value) it blocks the negated operators.
  compileValue: (raw, variables) =>
    isArnPattern(raw, variables) ? compileArnTemplate(raw, { variables }) : undefined,
  parseRequest: (raw) => raw,
  matches: (_r, p, raw, context) => p.test(raw, context),
  phrase: { yes: 'matches', no: 'does not match' },
  expects: 'an ARN',
};

export const ArnEquals: ConditionOperator<string, TemplateMatcher> = { ...ArnLike, name: 'ArnEquals' };
export const ArnNotLike = negate(ArnLike, 'ArnNotLike');
export const ArnNotEquals = negate(ArnLike, 'ArnNotEquals');

export const ARN_OPERATORS: readonly ConditionOperator[] = [
  ArnEquals,
  ArnLike,
  ArnNotEquals,
  ArnNotLike,
] as readonly ConditionOperator[];
