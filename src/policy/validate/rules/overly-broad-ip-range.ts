import type { PolicyIssue } from '../../../model/issue.js';
import { parseCidr } from '../support/condition-values.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

/** Prefixes this short cover a sixteenth of the address space or more. */
const MAX_BROAD_PREFIX = { 4: 8, 6: 16 } as const;

export const overlyBroadIpRange: LintRule = {
  code: 'overly-broad-ip-range',
  severity: 'SECURITY_WARNING',
  title: 'IP condition allows a very broad range',
  description:
    'An Allow statement restricts the source address with IpAddress, but a range such as 0.0.0.0/0 or a /8 ' +
    'admits a large part of the internet, so the condition gives little protection.',
  fix: 'Narrow the range to the networks that need access.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow') continue;
      for (const clause of statement.conditions) {
        if (clause.baseOperator.toLowerCase() !== 'ipaddress') continue;
        const broad = clause.values.find((v) => {
          const cidr = parseCidr(v);
          return cidr !== undefined && cidr.prefix <= MAX_BROAD_PREFIX[cidr.version];
        });
        if (broad === undefined) continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `"${broad}" in ${clause.operator} on "${clause.key}" allows a very large address range.`,
          ),
        );
      }
    }
    return issues;
  },
};
