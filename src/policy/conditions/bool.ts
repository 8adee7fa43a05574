/**
 * Bool: `true`/`false`, compared ignoring case. The condition operators page allows policy
 * variables with Bool (the variables page does not list it; we follow the operators page).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
 */
import { compileLiteralTemplate, hasVariables, type TemplateMatcher } from '../match/index.js';
import type { ConditionOperator } from './operator.js';

function isBooleanText(raw: string): boolean {
  const lower = raw.toLowerCase();
  return lower === 'true' || lower === 'false';
}

export const Bool: ConditionOperator<string, TemplateMatcher> = {
  name: 'Bool',
  valueType: 'bool',
  negated: false,
  variables: true,
  compileValue: (raw, variables) =>
    (variables && hasVariables(raw)) || isBooleanText(raw)
      ? compileLiteralTemplate(raw, { variables, caseInsensitive: true })
      : undefined,
  parseRequest: (raw) => raw,
  matches: (_r, p, raw, context) => p.test(raw, context),
  phrase: { yes: 'is', no: 'is not' },
  expects: 'true or false',
};

export const BOOL_OPERATORS: readonly ConditionOperator[] = [Bool] as readonly ConditionOperator[];
