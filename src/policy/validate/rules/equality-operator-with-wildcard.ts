import type { PolicyIssue } from '../../../model/issue.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

const EQUALITY = new Set([
  'stringequals',
  'stringnotequals',
  'stringequalsignorecase',
  'stringnotequalsignorecase',
]);
// ArnEquals is not here: AWS documents ArnEquals and ArnLike as the same wildcard match.

export const equalityOperatorWithWildcard: LintRule = {
  code: 'equality-operator-with-wildcard',
  severity: 'WARNING',
  title: 'Wildcard in an equality condition',
  description:
    'StringEquals and its variants compare literally: a * or ? in the value is an ordinary ' +
    'character, not a wildcard. If a pattern was meant, the condition does not match as intended.',
  fix: 'Use StringLike (or StringNotLike) for patterns.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String',
  accessAnalyzerCode: 'WILDCARD_WITHOUT_LIKE_OPERATOR',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (!EQUALITY.has(clause.baseOperator.toLowerCase())) continue;
        // ${*} and ${?} are the documented way to write a literal * or ?: not a mistake.
        const value = clause.values.find((v) => /[*?]/.test(v.replaceAll('${*}', '').replaceAll('${?}', '')));
        if (value === undefined) continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `"${value.slice(0, 100)}" contains * or ?, which ${clause.operator} compares literally.`,
          ),
        );
      }
    }
    return issues;
  },
};
