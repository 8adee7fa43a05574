import type { PrincipalSet } from '../../../model/policy.js';
import { elementPath, elementPos, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

function isEveryone(principal: PrincipalSet): boolean {
  return principal.wildcard || principal.aws.includes('*');
}

export const publicPrincipalWithoutCondition: LintRule = {
  code: 'public-principal-without-condition',
  severity: 'SECURITY_WARNING',
  title: 'Allow to every principal without a condition',
  description:
    'An Allow with Principal "*" (or {"AWS": "*"}) and no Condition grants access to anyone, including ' +
    'anonymous users and every AWS account. Narrow it with conditions such as aws:PrincipalOrgID, ' +
    'aws:SourceAccount, aws:SourceArn or aws:SourceVpce.',
  fix: 'Name the principals, or add a condition such as aws:PrincipalOrgID or aws:SourceAccount.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous',
  appliesTo: ['resource', 'trust'],
  check(policy) {
    return policy.statements
      .filter(
        (s) =>
          s.effect === 'Allow' &&
          s.principal !== undefined &&
          isEveryone(s.principal) &&
          s.conditions.length === 0,
      )
      .map((s) =>
        makeIssue(
          this,
          elementPath(s, 'Principal'),
          elementPos(s, 'Principal'),
          'This Allow statement grants access to every principal, with no condition.',
        ),
      );
  },
};
