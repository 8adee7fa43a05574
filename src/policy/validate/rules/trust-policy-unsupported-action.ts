import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath } from '../support/issue.js';
import type { LintRule } from '../types.js';

/** The actions a role trust policy can grant or deny: assuming the role and what comes with a session. */
const TRUST_ACTIONS = new Set([
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]);

export const trustPolicyUnsupportedAction: LintRule = {
  code: 'trust-policy-unsupported-action',
  severity: 'ERROR',
  title: 'Trust policy with an action other than sts:AssumeRole*',
  description:
    'A role trust policy only controls who may assume the role: sts:AssumeRole, sts:AssumeRoleWithSAML, ' +
    'sts:AssumeRoleWithWebIdentity and the session actions sts:TagSession, sts:SetSourceIdentity and ' +
    'sts:SetContext. IAM rejects trust policies naming other actions.',
  fix: "Keep only sts:AssumeRole* and session actions in the trust policy; grant other permissions in the role's permissions policies.",
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy',
  appliesTo: ['trust'],
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const entry of context.facts(statement.index).actions) {
        const lower = entry.value.toLowerCase();
        if (TRUST_ACTIONS.has(lower)) continue;
        if (entry.hasWildcard) {
          // A pattern is only certain to be wrong when it matches no trust action at all.
          let matchesTrustAction = false;
          for (const name of TRUST_ACTIONS) {
            const info = context.catalog.lookupAction(name);
            if (info && entry.expansion.set.has(info.index)) matchesTrustAction = true;
          }
          if (matchesTrustAction || entry.expansion.unknownService) continue;
        }
        issues.push(
          makeIssue(
            this,
            valuePath(statement, 'Action', entry.index),
            entry.pos,
            `"${entry.value}" cannot be used in a role trust policy.`,
          ),
        );
      }
    }
    return issues;
  },
};
