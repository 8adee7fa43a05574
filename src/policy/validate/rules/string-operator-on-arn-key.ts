import type { PolicyIssue } from '../../../model/issue.js';
import { familyForKeyType, operatorFamily } from '../support/condition-operators.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const stringOperatorOnArnKey: LintRule = {
  code: 'string-operator-on-arn-key',
  severity: 'SUGGESTION',
  title: 'String operator on an ARN key',
  description:
    'The key holds an ARN and the condition compares it with a String operator. This works, but ARN operators ' +
    'compare the ARN segment by segment, which AWS recommends for ARN keys.',
  fix: 'Use ArnEquals or ArnLike (ArnNotEquals / ArnNotLike for the negated forms).',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (operatorFamily(clause.baseOperator) !== 'String') continue;
        const key = context.catalog.lookupConditionKey(clause.key);
        if (!key || familyForKeyType(key.type) !== 'Arn') continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `"${clause.key}" is an ARN key compared with ${clause.operator}.`,
          ),
        );
      }
    }
    return issues;
  },
};
