import { elementPath, elementPos, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const allowWithNotPrincipal: LintRule = {
  code: 'allow-with-not-principal',
  severity: 'SECURITY_WARNING',
  title: 'Allow with NotPrincipal',
  description:
    'An Allow with NotPrincipal grants access to every principal except those listed, including anonymous ' +
    'users and principals in other accounts.',
  fix: 'List the principals that need access in Principal instead.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
  accessAnalyzerCode: 'ALLOW_WITH_NOT_PRINCIPAL',
  check(policy) {
    return policy.statements
      .filter((s) => s.effect === 'Allow' && s.notPrincipal !== undefined)
      .map((s) =>
        makeIssue(
          this,
          elementPath(s, 'NotPrincipal'),
          elementPos(s, 'NotPrincipal'),
          'This Allow statement uses NotPrincipal: it grants access to everyone not listed.',
        ),
      );
  },
};
