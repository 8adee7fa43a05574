import type { PolicyIssue } from '../../../model/issue.js';
import { operatorFamily, suggestOperator } from '../support/condition-operators.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const unknownConditionOperator: LintRule = {
  code: 'unknown-condition-operator',
  severity: 'ERROR',
  title: 'Unknown condition operator',
  description:
    'The condition operator (after removing ForAnyValue:/ForAllValues: and IfExists) is not one AWS defines. ' +
    'AWS rejects the policy, or the condition cannot be evaluated as intended.',
  fix: 'Use a documented condition operator such as StringEquals, ArnLike, NumericLessThan, Bool or IpAddress.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  accessAnalyzerCode: 'INVALID_CONDITION_OPERATOR',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      const seen = new Set<string>();
      for (const clause of statement.conditions) {
        if (operatorFamily(clause.baseOperator) !== undefined || seen.has(clause.operator)) continue;
        seen.add(clause.operator);
        const suggestion = suggestOperator(clause.baseOperator);
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `The condition operator "${clause.operator}" is not valid.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
            suggestion ? `Replace "${clause.baseOperator}" with ${suggestion}.` : this.fix,
          ),
        );
      }
    }
    return issues;
  },
};
