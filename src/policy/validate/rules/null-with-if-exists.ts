import type { PolicyIssue } from '../../../model/issue.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const nullWithIfExists: LintRule = {
  code: 'null-with-if-exists',
  severity: 'ERROR',
  title: 'Null cannot take IfExists',
  description:
    'IfExists can be added to every condition operator except Null: Null itself tests whether the key exists.',
  fix: 'Use Null without the IfExists suffix.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists',
  accessAnalyzerCode: 'NULL_WITH_IF_EXISTS',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (!clause.ifExists || clause.baseOperator.toLowerCase() !== 'null') continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `"${clause.operator}" is not a valid operator.`,
          ),
        );
      }
    }
    return issues;
  },
};
