import { listSome } from '../analysis/access/describe.js';
import { policyEvidence } from '../analysis/access/evidence.js';
import { getCatalog } from '../catalog/index.js';
import type { StoredPolicy } from '../model/account.js';
import type { CheckMetadata } from '../model/finding.js';
import type { PolicyIssue } from '../model/issue.js';
import type { Policy } from '../model/policy.js';
import { type LintRule, RULES, type RuleContext } from '../policy/validate/index.js';
import { computeStatementFacts, type StatementFacts } from '../policy/validate/support/statement-facts.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'policy-lint-security-warning',
  title: 'Policy in use with a SECURITY_WARNING lint finding',
  severity: 'medium',
  description:
    'Customer-managed policies attached to a user, group or role, and inline policies, that the policy linter (the offline counterpart of IAM Access Analyzer policy validation, `leastpriv lint`) reports at SECURITY_WARNING level: Allow with NotAction, iam:PassRole on `*`, and the like.',
  risk: 'These constructs grant more than they appear to (NotAction grants every other action, including ones AWS adds later; PassRole on `*` hands any role to a service), which is how privilege escalation paths start.',
  remediation:
    'Run `leastpriv lint POLICY.json --type identity` to see each finding with its fix, rewrite the statement (list the actions; name the roles that may be passed and add `iam:PassedToService`), and publish it with `aws iam create-policy-version --set-as-default` or `put-*-policy`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Policy',
  tags: ['lint'],
};

/**
 * The linter's rules that report at SECURITY_WARNING level (every issue carries its rule's
 * severity), for identity policies: running only these gives exactly the SECURITY_WARNING issues
 * `lintPolicy(policy, {type: 'identity'})` reports, in the same order, without the costly rules
 * (redundant resources, ARN checks) whose findings this check drops anyway.
 */
let securityRules: readonly LintRule[] | undefined;

export function securityLint(policy: Policy): PolicyIssue[] {
  securityRules ??= RULES.filter(
    (r) => r.severity === 'SECURITY_WARNING' && (!r.appliesTo || r.appliesTo.includes('identity')),
  );
  const catalog = getCatalog();
  const facts = new Map<number, StatementFacts>();
  const context: RuleContext = {
    type: 'identity',
    catalog,
    facts(statementIndex) {
      let f = facts.get(statementIndex);
      if (!f) {
        const statement = policy.statements.find((s) => s.index === statementIndex);
        if (!statement) throw new Error(`no statement with index ${statementIndex}`);
        f = computeStatementFacts(catalog, statement);
        facts.set(statementIndex, f);
      }
      return f;
    },
  };
  const issues: PolicyIssue[] = [];
  for (const rule of securityRules) issues.push(...rule.check(policy, context));
  return issues;
}

/** The SECURITY_WARNING issues of a policy: the loader's and the linter's, once each. */
function securityWarnings(policy: StoredPolicy): PolicyIssue[] {
  const seen = new Set<string>();
  const out: PolicyIssue[] = [];
  const lint = policy.readable ? securityLint(policy.policy) : [];
  for (const issue of [...policy.issues, ...lint]) {
    if (issue.severity !== 'SECURITY_WARNING') continue;
    const key = `${issue.code}\u0000${issue.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

function outcome(
  account: string,
  resourceArn: string,
  what: string,
  policy: StoredPolicy,
  issues: readonly PolicyIssue[],
  discriminator?: string,
): CheckOutcome {
  const codes = [...new Set(issues.map((i) => i.code))];
  return {
    status: 'fail',
    account,
    resourceArn,
    message: `${what} has ${issues.length} security warning${issues.length === 1 ? '' : 's'}: ${listSome(codes)}`,
    evidence: {
      policies: issues.map((i) => ({ ...policyEvidence(policy), line: i.line, column: i.column })),
      facts: Object.fromEntries(issues.map((i, n) => [`${n + 1}:${i.code}`, `${i.path}: ${i.message}`])),
    },
    ...(discriminator !== undefined ? { discriminator } : {}),
  };
}

export const policyLintSecurityWarning: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const out: CheckOutcome[] = [];
    for (const account of ctx.snapshot.accounts.values()) {
      const attached = new Set<string>();
      const holders = [...account.users.values(), ...account.groups.values(), ...account.roles.values()];
      for (const p of holders) for (const a of p.attachedPolicies) attached.add(a.arn);
      for (const p of [...account.users.values(), ...account.roles.values()])
        if (p.permissionsBoundary) attached.add(p.permissionsBoundary.arn);
      for (const mp of account.managedPolicies.values()) {
        if (mp.awsManaged || !mp.document) continue;
        if (!attached.has(mp.arn) && !((mp.attachmentCount ?? 0) > 0)) continue;
        const issues = securityWarnings(mp.document);
        if (issues.length > 0)
          out.push({ ...outcome(account.id, mp.arn, `policy ${mp.name}`, mp.document, issues) });
      }
      for (const p of holders) {
        for (const inline of p.inlinePolicies) {
          const issues = securityWarnings(inline);
          if (issues.length === 0) continue;
          out.push({
            ...outcome(
              account.id,
              p.arn,
              `inline policy ${inline.name} of ${p.kind} ${p.name}`,
              inline,
              issues,
              `inline:${inline.name}`,
            ),
            resourceType:
              p.kind === 'user'
                ? 'AWS::IAM::User'
                : p.kind === 'group'
                  ? 'AWS::IAM::Group'
                  : 'AWS::IAM::Role',
            ...(p.kind === 'group' ? {} : { principal: p.arn }),
          });
        }
      }
    }
    return out;
  },
};
