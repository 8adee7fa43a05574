import type { PolicyIssue } from '../../../model/issue.js';
import type { Statement } from '../../../model/policy.js';
import { elementPath, elementPos, makeIssue } from '../support/issue.js';
import type { LintRule, RuleContext } from '../types.js';

/**
 * Resource values that name every role: `*`, or an IAM ARN whose role part is only a wildcard.
 * A prefix such as `role/service-role/*` or `role/Service*` is a deliberate narrowing and is not
 * reported (Access Analyzer also accepts role-name conventions).
 */
function namesEveryRole(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || (parts[2] !== 'iam' && parts[2] !== '*')) return false;
  const rest = parts.slice(5).join(':');
  return rest === '*' || rest === 'role/*' || rest === '*role/*' || rest === 'role*';
}

function allowsPassRole(statement: Statement, context: RuleContext): boolean {
  const passRole = context.catalog.lookupAction('iam:PassRole');
  if (!passRole) return false;
  // Each pattern's expansion (what the statement's facts hold), asked directly: the catalog keeps
  // expansions, and the statement's full facts (unions, lookups) are not needed for one action.
  const names = (patterns: readonly string[]) =>
    patterns.some((p) => context.catalog.expandActionPattern(p).set.has(passRole.index));
  if (statement.action !== undefined) return names(statement.action);
  if (statement.notAction !== undefined) return !names(statement.notAction);
  return false;
}

export const passRoleWildcardResource: LintRule = {
  code: 'pass-role-wildcard-resource',
  severity: 'SECURITY_WARNING',
  title: 'iam:PassRole on every role',
  description:
    'The statement allows iam:PassRole (named, or through a wildcard such as iam:* or *, or through NotAction) ' +
    'on every role (Resource "*" or NotResource). A principal that can pass any role to a service can run ' +
    "code with that role's permissions: a classic privilege escalation.",
  fix: 'Name the roles in Resource, and add an iam:PassedToService condition.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
  accessAnalyzerCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE',
  relatedAccessAnalyzerCodes: [
    'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE',
    'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION',
    'PASS_ROLE_WITH_NOT_RESOURCE',
    'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE',
    'PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE',
  ],
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow') continue;
      if (statement.conditions.some((c) => c.key.toLowerCase() === 'iam:passedtoservice')) continue;
      const everyRole =
        statement.notResource !== undefined || (statement.resource ?? []).some((r) => namesEveryRole(r));
      if (!everyRole || !allowsPassRole(statement, context)) continue;
      const element = statement.notResource !== undefined ? 'NotResource' : 'Resource';
      issues.push(
        makeIssue(
          this,
          elementPath(statement, element),
          elementPos(statement, element),
          `This statement allows iam:PassRole on every role (${element === 'NotResource' ? 'NotResource' : 'a wildcard Resource'}).`,
        ),
      );
    }
    return issues;
  },
};
