import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const unknownService: LintRule = {
  code: 'unknown-service',
  severity: 'ERROR',
  title: 'Action names an unknown service',
  description:
    'The service prefix of an Action or NotAction value is not a known AWS service prefix, so the value matches ' +
    'no action. This is usually a typo or a value not in service:action form.',
  fix: 'Use a service prefix from the Service Authorization Reference (e.g. s3, ec2, iam), in service:action form.',
  docs: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
  accessAnalyzerCode: 'INVALID_SERVICE_IN_ACTION',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      const facts = context.facts(statement.index);
      for (const [element, entries] of [
        ['Action', facts.actions],
        ['NotAction', facts.notActions],
      ] as const) {
        for (const entry of entries) {
          if (!entry.expansion.unknownService) continue;
          const colon = entry.value.indexOf(':');
          const message =
            colon === -1
              ? `"${entry.value}" is not in service:action form.`
              : `The service "${entry.value.slice(0, colon)}" in "${entry.value}" does not exist.`;
          issues.push(makeIssue(this, valuePath(statement, element, entry.index), entry.pos, message));
        }
      }
    }
    return issues;
  },
};
