import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const unknownAction: LintRule = {
  code: 'unknown-action',
  severity: 'ERROR',
  title: 'Unknown action',
  description:
    'The action names a known service but no action of that service has this name, so the value grants or ' +
    'denies nothing. Often a typo, or an API operation name that differs from its IAM action name.',
  fix: 'Use an action name from the Service Authorization Reference.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
  accessAnalyzerCode: 'INVALID_ACTION',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      const facts = context.facts(statement.index);
      for (const [element, entries] of [
        ['Action', facts.actions],
        ['NotAction', facts.notActions],
      ] as const) {
        for (const entry of entries) {
          if (entry.hasWildcard || entry.expansion.unknownService || entry.info !== undefined) continue;
          const suggestions = context.catalog.suggestActions(entry.value, 3);
          const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
          const fix = suggestions.length > 0 ? `Replace it with ${suggestions[0]}.` : this.fix;
          issues.push(
            makeIssue(
              this,
              valuePath(statement, element, entry.index),
              entry.pos,
              `The action "${entry.value}" does not exist.${hint}`,
              fix,
            ),
          );
        }
      }
    }
    return issues;
  },
};
