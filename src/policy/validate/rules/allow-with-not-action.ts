import { elementPath, elementPos, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const allowWithNotAction: LintRule = {
  code: 'allow-with-not-action',
  severity: 'SECURITY_WARNING',
  title: 'Allow with NotAction',
  description:
    'An Allow with NotAction grants every action of every service except those listed, including actions of ' +
    'services released later. AWS recommends NotAction with Allow only with great care.',
  fix: 'List the allowed actions in Action, or use NotAction in a Deny statement.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html',
  check(policy) {
    return policy.statements
      .filter((s) => s.effect === 'Allow' && s.notAction !== undefined)
      .map((s) =>
        makeIssue(
          this,
          elementPath(s, 'NotAction'),
          elementPos(s, 'NotAction'),
          'This Allow statement uses NotAction: it grants every action that is not listed.',
        ),
      );
  },
};
