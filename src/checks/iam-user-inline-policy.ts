import { policyEvidence } from '../analysis/access/evidence.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'iam-user-inline-policy',
  title: 'IAM user with inline policies',
  severity: 'low',
  description:
    'IAM users with inline (user) policies: permissions embedded in the user rather than granted through a group.',
  risk: 'Inline user policies are invisible in group reviews, are not reused, and are easy to forget when a person changes role or leaves; they are also where ad-hoc escalations hide.',
  remediation:
    'Move the permissions to a customer-managed policy attached to a group for the job, add the user to the group, and delete the inline policy (`aws iam delete-user-policy --user-name USER --policy-name NAME`).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html',
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

export const iamUserInlinePolicy: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const out: CheckOutcome[] = [];
    for (const account of ctx.snapshot.accounts.values()) {
      for (const user of account.users.values()) {
        if (user.inlinePolicies.length === 0) continue;
        const names = user.inlinePolicies.map((p) => p.name);
        out.push({
          status: 'fail',
          account: account.id,
          resourceArn: user.arn,
          principal: user.arn,
          message: `user ${user.name} has ${names.length} inline polic${names.length === 1 ? 'y' : 'ies'}: ${names.join(', ')}`,
          evidence: { policies: user.inlinePolicies.map((p) => policyEvidence(p)) },
        });
      }
    }
    return out;
  },
};
