import { accessFacts } from '../analysis/access/facts.js';
import type { CheckMetadata } from '../model/finding.js';
import { adminOutcomes } from './iam-user-admin.js';
import type { Check, CheckContext } from './types.js';

const meta: CheckMetadata = {
  id: 'iam-group-admin',
  title: 'IAM group with administrator access',
  severity: 'high',
  description:
    "IAM groups whose policies give every member full administrator access (every action on every resource, after the SCPs of the account), or let a member change the group's own permissions with an IAM write on `*`.",
  risk: 'Every member, present and future, is an administrator with long-lived IAM user credentials; adding a user to the group is enough to hand over the account.',
  remediation:
    'Move administrators to IAM Identity Center or an MFA-protected role, keep the group for scoped permissions only, and detach the administrator policy (`aws iam detach-group-policy --group-name GROUP --policy-arn ARN`). Review its members with `aws iam get-group --group-name GROUP`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  ],
  compliance: {
    'cis-aws': ['1.16'],
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.5.18', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Group',
  tags: ['admin', 'least-privilege'],
};

export const iamGroupAdmin: Check = {
  meta,
  run: (ctx: CheckContext) => adminOutcomes(accessFacts(ctx.snapshot).groups, () => true),
};
