import { elementPath, elementPos, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const allowWithNotResource: LintRule = {
  code: 'allow-with-not-resource',
  severity: 'SECURITY_WARNING',
  title: 'Allow with NotResource',
  description:
    'An Allow with NotResource grants the actions on every resource except those listed, including resources ' +
    'created later and resources in other accounts that trust this one.',
  fix: 'List the resources in Resource instead.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html',
  check(policy) {
    return policy.statements
      .filter((s) => s.effect === 'Allow' && s.notResource !== undefined)
      .map((s) =>
        makeIssue(
          this,
          elementPath(s, 'NotResource'),
          elementPos(s, 'NotResource'),
          'This Allow statement uses NotResource: it grants access to every resource that is not listed.',
        ),
      );
  },
};
