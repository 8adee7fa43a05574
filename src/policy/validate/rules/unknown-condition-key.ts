import type { PolicyIssue } from '../../../model/issue.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

/**
 * Keys with a prefix that is neither `aws` nor a service prefix (OIDC and SAML provider keys such as
 * `token.actions.githubusercontent.com:sub` or `accounts.google.com:aud`) are not judged: their
 * names depend on the identity provider, so only certain mistakes are reported.
 */
export const unknownConditionKey: LintRule = {
  code: 'unknown-condition-key',
  severity: 'ERROR',
  title: 'Unknown condition key',
  description:
    'The condition key is not a global key (aws:...) or a key of the named service, or it is not in ' +
    'prefix:name form. A condition on a key that never exists in the request context cannot match ' +
    '(or, with IfExists or a negated operator, always matches).',
  fix: 'Use a key from the global condition keys or from the service\'s "Condition keys" table.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  accessAnalyzerCode: 'INVALID_SERVICE_CONDITION_KEY',
  relatedAccessAnalyzerCodes: ['INVALID_GLOBAL_CONDITION_KEY', 'INVALID_CONDITION_KEY_FORMAT'],
  check(policy, context) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        const key = clause.key;
        const colon = key.indexOf(':');
        const path = conditionPath(statement, clause);
        if (colon <= 0) {
          issues.push(
            makeIssue(
              this,
              path,
              clause.keyPos,
              `"${key}" is not a condition key: keys are written prefix:name.`,
            ),
          );
          continue;
        }
        const prefix = key.slice(0, colon).toLowerCase();
        if (context.catalog.lookupConditionKey(key) !== undefined) continue;
        if (prefix === 'aws') {
          issues.push(
            makeIssue(this, path, clause.keyPos, `The global condition key "${key}" does not exist.`),
          );
        } else if (context.catalog.hasService(prefix)) {
          issues.push(
            makeIssue(
              this,
              path,
              clause.keyPos,
              `The condition key "${key}" does not exist in the service ${prefix}.`,
            ),
          );
        }
      }
    }
    return issues;
  },
};
