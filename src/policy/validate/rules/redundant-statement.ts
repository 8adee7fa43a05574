import type { PolicyIssue } from '../../../model/issue.js';
import type { PrincipalSet, Statement } from '../../../model/policy.js';
import { makeIssue, statementPath } from '../support/issue.js';
import type { LintRule } from '../types.js';

function sortedLower(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...new Set(values.map((v) => v.toLowerCase()))].sort();
}

function sorted(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...new Set(values)].sort();
}

function principalKey(p: PrincipalSet | undefined): unknown {
  if (!p) return undefined;
  return [p.wildcard, sorted(p.aws), sorted(p.service), sorted(p.federated), sorted(p.canonicalUser)];
}

/** What the statement means, without Sid and positions: actions and keys compare case-insensitively. */
function meaning(s: Statement): string {
  return JSON.stringify([
    s.effect,
    sortedLower(s.action),
    sortedLower(s.notAction),
    sorted(s.resource),
    sorted(s.notResource),
    principalKey(s.principal),
    principalKey(s.notPrincipal),
    s.conditions
      .map((c) => [c.operator.toLowerCase(), c.key.toLowerCase(), sorted(c.values)])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  ]);
}

export const redundantStatement: LintRule = {
  code: 'redundant-statement',
  severity: 'SUGGESTION',
  title: 'Redundant statement',
  description:
    'Two statements say the same thing (same effect, actions, resources, principals and conditions). One of ' +
    'them can go; keeping both invites editing one and forgetting the other.',
  fix: 'Remove the duplicate statement.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html',
  accessAnalyzerCode: 'REDUNDANT_STATEMENT',
  check(policy) {
    const issues: PolicyIssue[] = [];
    const first = new Map<string, Statement>();
    for (const statement of policy.statements) {
      const key = meaning(statement);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, statement);
        continue;
      }
      issues.push(
        makeIssue(
          this,
          statementPath(statement),
          statement.pos,
          `Statement ${statement.index} repeats statement ${earlier.index}.`,
          `Remove statement ${statement.index}.`,
        ),
      );
    }
    return issues;
  },
};
