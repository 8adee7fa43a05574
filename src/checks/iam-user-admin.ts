import { adminEvidence, adminMessage } from '../analysis/access/describe.js';
import { accessFacts, type PrincipalAccessFacts } from '../analysis/access/facts.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'iam-user-admin',
  title: 'IAM user with administrator access',
  severity: 'high',
  description:
    'IAM users that can do everything (every action on every resource, after permissions boundary and SCPs), through their own policies or their groups, or that can make themselves administrators with an IAM write on `*` (iam:AttachUserPolicy, iam:PutUserPolicy, iam:AddUserToGroup, iam:CreatePolicyVersion, …).',
  risk: 'An IAM user has long-lived credentials (password, access keys). Whoever obtains them controls the account: data, infrastructure, identities and logging.',
  remediation:
    'Give people administrator access through IAM Identity Center or a role assumed with MFA, not an IAM user. Detach the grant (`aws iam detach-user-policy --user-name USER --policy-arn ARN`, or remove the user from the admin group with `aws iam remove-user-from-group`) and replace it with a policy scoped to the tasks the user performs. Run `leastpriv access USER --snapshot DIR` to see what it uses.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    'CIS AWS Foundations Benchmark v3.0.0, 1.16 (numbering of v3.0.0)',
  ],
  compliance: {
    'cis-aws': ['1.16'],
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.5.18', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['admin', 'least-privilege'],
};

/**
 * The admin outcomes for the principals `pick` selects: `fail` for administrators, `unknown` where a
 * policy is missing or unreadable and the rest does not already make it one. Shared by the admin checks.
 */
export function adminOutcomes(
  facts: readonly PrincipalAccessFacts[],
  pick: (f: PrincipalAccessFacts) => boolean,
): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  for (const f of facts) {
    if (!pick(f)) continue;
    const s = f.entry.subject;
    const principal = s.kind === 'group' ? {} : { principal: s.arn };
    if (f.admin) {
      out.push({
        status: 'fail',
        account: s.accountId,
        resourceArn: s.arn,
        ...principal,
        message: adminMessage(f.entry, f.admin),
        evidence: adminEvidence(f.entry, f.admin),
      });
    } else if (f.incomplete) {
      out.push({
        status: 'unknown',
        account: s.accountId,
        resourceArn: s.arn,
        ...principal,
        message: `${s.kind} ${s.name}: some of its policies are missing or unreadable (${[...f.entry.layers.missing, ...f.entry.layers.unreadable].join(', ')})`,
      });
    }
  }
  return out;
}

export const iamUserAdmin: Check = {
  meta,
  run: (ctx: CheckContext) =>
    adminOutcomes(accessFacts(ctx.snapshot).principals, (f) => f.entry.subject.kind === 'user'),
};
