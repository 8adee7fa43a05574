import type { PolicyIssue } from '../../../model/issue.js';
import { actionSupportsKey } from '../support/action-condition-keys.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import { actionInfos } from '../support/statement-facts.js';
import type { LintRule } from '../types.js';

/** Above this many actions the statement is treated as "broad" and not checked (e.g. "*"). */
const MAX_ACTIONS = 2500;

export const conditionKeyNotSupportedByActions: LintRule = {
  code: 'condition-key-not-supported-by-actions',
  severity: 'WARNING',
  title: "Condition key not supported by the statement's actions",
  description:
    'The service-specific condition key exists, but none of the actions in the statement lists it in the ' +
    'Service Authorization Reference, so it is absent from their requests: the condition never matches ' +
    '(or always matches with IfExists or a negated operator). Global aws: keys are not checked.',
  fix: "Use a condition key that the statement's actions support, or move the condition to the right statement.",
  docs: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      if (statement.conditions.length === 0) continue;
      const facts = context.facts(statement.index);
      // Unknown or empty action patterns are reported elsewhere; judging keys against them would be guesswork.
      if (!facts.actionSet || !facts.actionsFullyKnown) continue;
      const count = facts.actionSet.count();
      if (count === 0 || count > MAX_ACTIONS) continue;
      const infos = actionInfos(context.catalog, facts.actionSet);
      for (const clause of statement.conditions) {
        const colon = clause.key.indexOf(':');
        if (colon <= 0 || clause.key.slice(0, colon).toLowerCase() === 'aws') continue;
        const known = context.catalog.lookupConditionKey(clause.key);
        if (!known || known.global) continue;
        if (infos.some((info) => actionSupportsKey(info, clause.key))) continue;
        const names = infos.length <= 3 ? infos.map((i) => i.fullName).join(', ') : `${infos.length} actions`;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.keyPos,
            `The condition key "${clause.key}" is not supported by ${names} in this statement.`,
          ),
        );
      }
    }
    return issues;
  },
};
