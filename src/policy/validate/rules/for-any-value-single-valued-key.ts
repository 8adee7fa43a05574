import type { PolicyIssue } from '../../../model/issue.js';
import { isMultiValuedType } from '../support/condition-operators.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const forAnyValueSingleValuedKey: LintRule = {
  code: 'for-any-value-single-valued-key',
  severity: 'WARNING',
  title: 'ForAnyValue with a single-valued key',
  description:
    'ForAnyValue is meant for multivalued keys. On a single-valued key it behaves like the plain operator ' +
    'when the key is present, but the qualifier misleads readers and behaves differently for negated operators.',
  fix: 'Remove the ForAnyValue: prefix.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (clause.setOperator !== 'ForAnyValue') continue;
        const key = context.catalog.lookupConditionKey(clause.key);
        if (!key || isMultiValuedType(key.type)) continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `ForAnyValue on the single-valued key "${clause.key}".`,
          ),
        );
      }
    }
    return issues;
  },
};
