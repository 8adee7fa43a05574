import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath } from '../support/issue.js';
import type { LintRule } from '../types.js';

export const actionPatternMatchesNothing: LintRule = {
  code: 'action-pattern-matches-nothing',
  severity: 'ERROR',
  title: 'Action pattern matches no action',
  description:
    'A wildcard Action or NotAction value names a known service but matches none of its actions, so it has no ' +
    'effect. Usually a misspelt prefix such as s3:Lst*.',
  fix: 'Correct the pattern so that it matches the intended actions, or remove it.',
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
          if (!entry.hasWildcard || entry.expansion.unknownService) continue;
          if (!entry.expansion.matchedNothing && !entry.expansion.set.isEmpty()) continue;
          issues.push(
            makeIssue(
              this,
              valuePath(statement, element, entry.index),
              entry.pos,
              `The pattern "${entry.value}" matches no action of its service.`,
            ),
          );
        }
      }
    }
    return issues;
  },
};
