import type { PolicyIssue } from '../../../model/issue.js';
import { hasVariables } from '../../match/index.js';
import { conditionPath, makeIssue, valuePath, valuePos } from '../support/issue.js';
import type { LintRule } from '../types.js';

/**
 * Without `"Version": "2012-10-17"` a `${...}` is plain text, so the value never matches what the
 * author meant. Access Analyzer reports this as an ERROR (Variable unsupported in version).
 */
export const variablesWithoutVersion: LintRule = {
  code: 'variables-without-version',
  severity: 'ERROR',
  title: 'Policy variables need Version 2012-10-17',
  description:
    'Policy variables such as ${aws:username} are only substituted under "Version": "2012-10-17". With no Version ' +
    'or 2008-10-17 they are taken literally, so the Resource or condition value cannot match what was intended.',
  fix: 'Add "Version": "2012-10-17" at the top of the policy.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
  accessAnalyzerCode: 'VARIABLE_UNSUPPORTED_IN_VERSION',
  check(policy) {
    if (policy.variablesEnabled) return [];
    const issues: PolicyIssue[] = [];
    const version = policy.version === undefined ? 'no Version' : `Version ${policy.version}`;
    for (const statement of policy.statements) {
      for (const element of ['Resource', 'NotResource'] as const) {
        const values = element === 'Resource' ? statement.resource : statement.notResource;
        values?.forEach((value, i) => {
          if (hasVariables(value)) {
            issues.push(
              makeIssue(
                this,
                valuePath(statement, element, i),
                valuePos(statement, element, i),
                `"${value}" holds a policy variable, but with ${version} it is taken literally.`,
              ),
            );
          }
        });
      }
      for (const clause of statement.conditions) {
        const value = clause.values.find(hasVariables);
        if (value !== undefined) {
          issues.push(
            makeIssue(
              this,
              conditionPath(statement, clause),
              clause.pos,
              `Condition value "${value}" holds a policy variable, but with ${version} it is taken literally.`,
            ),
          );
        }
      }
    }
    return issues;
  },
};
