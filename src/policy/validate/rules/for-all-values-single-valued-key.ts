import type { PolicyIssue } from '../../../model/issue.js';
import { isMultiValuedType } from '../support/condition-operators.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const forAllValuesSingleValuedKey: LintRule = {
  code: 'for-all-values-single-valued-key',
  severity: 'SECURITY_WARNING',
  title: 'ForAllValues with a single-valued key',
  description:
    "ForAllValues is true when every value in the request is in the policy's set, and also when the key is " +
    'missing or empty. On a single-valued key that makes an Allow match requests that lack the key entirely.',
  fix: 'Remove the ForAllValues: prefix (and add a Null check if the key must be present).',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
  accessAnalyzerCode: 'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (clause.setOperator !== 'ForAllValues') continue;
        const key = context.catalog.lookupConditionKey(clause.key);
        if (!key || isMultiValuedType(key.type)) continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `ForAllValues on the single-valued key "${clause.key}" also matches requests without the key.`,
          ),
        );
      }
    }
    return issues;
  },
};
