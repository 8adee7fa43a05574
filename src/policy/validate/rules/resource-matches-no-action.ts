import type { PolicyIssue } from '../../../model/issue.js';
import { parseArn } from '../../match/index.js';
import { globsOverlap, toPieces } from '../support/glob-overlap.js';
import { makeIssue, valuePath, valuePos } from '../support/issue.js';
import { templatesBySetService } from '../support/resource-templates.js';
import type { LintRule } from '../types.js';

function isOpen(text: string): boolean {
  return text.includes('*') || text.includes('?') || text.includes('${');
}

export const resourceMatchesNoAction: LintRule = {
  code: 'resource-matches-no-action',
  severity: 'WARNING',
  title: 'Resource that no action in the statement applies to',
  description:
    "No action in the statement accepts a resource of this ARN's shape according to the Service " +
    'Authorization Reference (e.g. s3:ListBucket with an object ARN bucket/*), so this Resource value has no ' +
    "effect. Reported only when certain: the ARN's service field is literal and the actions are all known.",
  fix: 'Use the ARN form that the actions take (see the Resource types column), or remove the value.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
  accessAnalyzerCode: 'UNSUPPORTED_RESOURCE_ARN_IN_POLICY',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      const facts = context.facts(statement.index);
      if (!statement.resource || !facts.actionSet || !facts.actionsFullyKnown) continue;
      // A statement matching every action (Action "*") accepts every resource shape AWS has.
      if (facts.actionSet.count() === context.catalog.actionCount) continue;
      let byService: ReturnType<typeof templatesBySetService> | undefined;
      statement.resource.forEach((value, i) => {
        const arn = parseArn(value);
        if (!arn || isOpen(arn.service) || isOpen(arn.partition)) return;
        byService ??= templatesBySetService(context.catalog, facts.actionSet!);
        const candidates = byService.get(arn.service) ?? [];
        const pieces = toPieces(value, true);
        for (const c of candidates) {
          if (globsOverlap(pieces, c.pieces) !== false) return;
        }
        const names = facts.actions
          .map((a) => a.value)
          .slice(0, 3)
          .join(', ');
        issues.push(
          makeIssue(
            this,
            valuePath(statement, 'Resource', i),
            valuePos(statement, 'Resource', i),
            `No action in this statement (${names}${facts.actions.length > 3 ? ', ...' : ''}) applies to a resource like "${value}".`,
          ),
        );
      });
    }
    return issues;
  },
};
