import type { PolicyIssue } from '../../../model/issue.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

/**
 * aws:MultiFactorAuthPresent is absent from requests signed with long-term access keys, and a Bool
 * condition on an absent key does not match (BoolIfExists does).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
 */
export const mfaConditionBypassable: LintRule = {
  code: 'mfa-condition-bypassable',
  severity: 'SECURITY_WARNING',
  title: 'MFA condition that long-term credentials bypass',
  description:
    'aws:MultiFactorAuthPresent is not in the request context at all when long-term access keys are used. ' +
    'So a Deny with Bool "false" does not deny access-key requests; an Allow with BoolIfExists "true" allows ' +
    'access-key requests without MFA; and an Allow with "false" grants access precisely when MFA was not used.',
  fix: 'Deny with "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}, or Allow with "Bool": {"aws:MultiFactorAuthPresent": "true"}.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        if (clause.key.toLowerCase() !== 'aws:multifactorauthpresent') continue;
        if (clause.baseOperator.toLowerCase() !== 'bool' || clause.setOperator) continue;
        const values = new Set(clause.values.map((v) => v.toLowerCase()));
        let message: string | undefined;
        if (statement.effect === 'Deny' && !clause.ifExists && values.has('false')) {
          message =
            'This Deny uses Bool "false" on aws:MultiFactorAuthPresent: requests made with long-term access keys do not carry the key, so they are not denied.';
        } else if (statement.effect === 'Allow' && values.has('false')) {
          message = 'This Allow grants access when MFA was not used (aws:MultiFactorAuthPresent is "false").';
        } else if (statement.effect === 'Allow' && clause.ifExists && values.has('true')) {
          message =
            'BoolIfExists "true" on aws:MultiFactorAuthPresent also matches requests made with long-term access keys, which never use MFA.';
        }
        if (message) issues.push(makeIssue(this, conditionPath(statement, clause), clause.pos, message));
      }
    }
    return issues;
  },
};
