import type { PolicyIssue } from '../../../model/issue.js';
import { familyForKeyType, type OperatorFamily, operatorFamily } from '../support/condition-operators.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

const OPERATOR_FOR_FAMILY: Readonly<Record<OperatorFamily, string>> = {
  String: 'a String operator (StringEquals, StringLike, ...)',
  Numeric: 'a Numeric operator (NumericEquals, NumericLessThan, ...)',
  Date: 'a Date operator (DateGreaterThan, DateLessThan, ...)',
  Bool: 'Bool',
  Binary: 'BinaryEquals',
  IpAddress: 'IpAddress or NotIpAddress',
  Arn: 'an ARN operator (ArnEquals, ArnLike, ...)',
  Null: 'Null',
};

/**
 * Operators that can compare a key of each type. String operators on ARN keys work (and get their
 * own suggestion, string-operator-on-arn-key); everything else must use its own family. Null works
 * on any key.
 */
function compatible(keyFamily: OperatorFamily, opFamily: OperatorFamily): boolean {
  if (opFamily === 'Null' || keyFamily === opFamily) return true;
  return keyFamily === 'Arn' && opFamily === 'String';
}

export const conditionOperatorTypeMismatch: LintRule = {
  code: 'condition-operator-type-mismatch',
  severity: 'WARNING',
  title: "Condition operator does not fit the key's type",
  description:
    'The condition key has a documented data type (String, Numeric, Date, Bool, IPAddress, ARN, Binary) and ' +
    'the operator compares another type, e.g. NumericEquals on a String key or StringEquals on a Date key. ' +
    'The comparison does not behave as the author expects.',
  fix: "Use an operator of the key's data type.",
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  accessAnalyzerCode: 'TYPE_MISMATCH',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        const opFamily = operatorFamily(clause.baseOperator);
        if (!opFamily) continue;
        const key = context.catalog.lookupConditionKey(clause.key);
        const keyFamily = key ? familyForKeyType(key.type) : undefined;
        if (!key || !keyFamily || compatible(keyFamily, opFamily)) continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `"${clause.key}" is of type ${key.type}, but ${clause.operator} compares ${opFamily} values.`,
            `Use ${OPERATOR_FOR_FAMILY[keyFamily]} for ${clause.key}.`,
          ),
        );
      }
    }
    return issues;
  },
};
