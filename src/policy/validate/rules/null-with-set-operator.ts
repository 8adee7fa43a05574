import type { PolicyIssue } from '../../../model/issue.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const nullWithSetOperator: LintRule = {
  code: 'null-with-set-operator',
  severity: 'SUGGESTION',
  title: 'Null with ForAllValues or ForAnyValue',
  description:
    'Null checks whether a key is present; the ForAllValues / ForAnyValue qualifiers make it always true or ' +
    'always false respectively, so the condition does not test what it seems to.',
  fix: 'Remove the ForAllValues:/ForAnyValue: prefix from Null.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
  accessAnalyzerCode: 'NULL_WITH_QUALIFIER',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (!clause.setOperator || clause.baseOperator.toLowerCase() !== 'null') continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `"${clause.operator}" mixes Null with a set qualifier.`,
          ),
        );
      }
    }
    return issues;
  },
};
