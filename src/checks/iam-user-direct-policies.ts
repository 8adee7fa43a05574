import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'iam-user-direct-policies',
  title: 'IAM user with managed policies attached directly',
  severity: 'low',
  description:
    'IAM users with managed policies attached to the user itself instead of through a group (inline user policies are reported by iam-user-inline-policy).',
  risk: 'Per-user grants drift: they escape group-based reviews and outlive the reason they were given. Self-attached AdministratorAccess is a classic escalation trace.',
  remediation:
    'Attach the policy to a group for the job instead, add the user to it, and detach it from the user (`aws iam detach-user-policy --user-name USER --policy-arn ARN`).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html',
    'CIS AWS Foundations Benchmark v3.0.0, 1.15 "Ensure IAM Users Receive Permissions Only Through Groups" (numbering of v3.0.0)',
  ],
  compliance: {
    'cis-aws': ['1.15'],
    soc2: ['CC6.1', 'CC6.2'],
    iso27001: ['A.5.15', 'A.5.18'],
    'pci-dss': ['7.2.1'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['cis', 'hygiene'],
};

export const iamUserDirectPolicies: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const out: CheckOutcome[] = [];
    for (const account of ctx.snapshot.accounts.values()) {
      for (const user of account.users.values()) {
        if (user.attachedPolicies.length === 0) continue;
        const names = user.attachedPolicies.map((p) => p.name);
        out.push({
          status: 'fail',
          account: account.id,
          resourceArn: user.arn,
          principal: user.arn,
          message: `user ${user.name} has ${names.length === 1 ? 'a managed policy' : `${names.length} managed policies`} attached directly: ${names.join(', ')}`,
          evidence: {
            policies: user.attachedPolicies.map((p) => ({
              policy: p.name,
              arn: p.arn,
              ...(account.managedPolicies.get(p.arn)?.document?.source !== undefined
                ? { source: account.managedPolicies.get(p.arn)?.document?.source }
                : {}),
            })),
          },
        });
      }
    }
    return out;
  },
};
