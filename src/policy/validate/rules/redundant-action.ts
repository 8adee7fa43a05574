import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const redundantAction: LintRule = {
  code: 'redundant-action',
  severity: 'SUGGESTION',
  title: 'Redundant action',
  description:
    'An Action or NotAction value repeats another value of the same element, or everything it matches is ' +
    'already matched by another single value (iam:GetUser next to iam:Get*). Removing it changes nothing.',
  fix: 'Remove the redundant value.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
  accessAnalyzerCode: 'REDUNDANT_ACTION',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      const facts = context.facts(statement.index);
      for (const [element, entries] of [
        ['Action', facts.actions],
        ['NotAction', facts.notActions],
      ] as const) {
        const usable = entries.filter((e) => !e.expansion.unknownService && !e.expansion.set.isEmpty());
        for (const entry of usable) {
          const cover = usable.find(
            (other) =>
              other !== entry &&
              entry.expansion.set.isSubsetOf(other.expansion.set) &&
              // Of two equal values, the later one is the redundant one.
              (!other.expansion.set.isSubsetOf(entry.expansion.set) || other.index < entry.index),
          );
          if (!cover) continue;
          issues.push(
            makeIssue(
              this,
              valuePath(statement, element, entry.index),
              entry.pos,
              `"${entry.value}" is redundant: "${cover.value}" already covers it.`,
              `Remove "${entry.value}".`,
            ),
          );
        }
      }
    }
    return issues;
  },
};
