import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const wildcardOnlyActionWithResource: LintRule = {
  code: 'wildcard-only-action-with-resource',
  severity: 'WARNING',
  title: 'Action that only supports "*" used with specific resources',
  description:
    'The action has no resource types in the Service Authorization Reference: it does not support ' +
    'resource-level permissions and only matches "Resource": "*". With specific ARNs the statement never ' +
    'applies to it.',
  fix: 'Move the action to a statement with "Resource": "*" (narrowed with conditions if needed).',
  docs: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      if (!statement.resource || statement.resource.includes('*')) continue;
      for (const entry of context.facts(statement.index).actions) {
        if (!entry.info || context.catalog.resourceArnTemplatesForAction(entry.info).length > 0) continue;
        issues.push(
          makeIssue(
            this,
            valuePath(statement, 'Action', entry.index),
            entry.pos,
            `${entry.info.fullName} only supports "Resource": "*", but this statement names specific resources.`,
          ),
        );
      }
    }
    return issues;
  },
};
