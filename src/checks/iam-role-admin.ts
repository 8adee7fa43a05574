import { accessFacts } from '../analysis/access/facts.js';
import { isWorkloadRole } from '../analysis/access/workload.js';
import type { CheckMetadata } from '../model/finding.js';
import { adminOutcomes } from './iam-user-admin.js';
import type { Check, CheckContext } from './types.js';

const meta: CheckMetadata = {
  id: 'iam-role-admin',
  title: 'IAM role with administrator access',
  severity: 'high',
  description:
    'IAM roles (other than workload roles, which workload-role-admin reports, and service-linked roles, which AWS owns) that can do everything after permissions boundary and SCPs, or can change their own permissions with an IAM write on `*`. IAM Identity Center AdministratorAccess roles, OrganizationAccountAccessRole and break-glass roles are reported too: they are administrators by design, and the finding is the inventory of who holds that power (suppress them with a reason in the configuration).',
  risk: 'Whoever can assume the role controls the account. Every principal its trust policy admits (and every principal that can reach one of those) is an administrator in effect.',
  remediation:
    "Keep administrator roles few, trusted only by the identities that need them, with MFA (`aws:MultiFactorAuthPresent`) required in the trust policy. Replace AdministratorAccess with a policy for the role's job (`aws iam detach-role-policy --role-name ROLE --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`). For roles that are administrators by design, add a suppression with the reason and an owner.",
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html',
  ],
  compliance: {
    'cis-aws': ['1.16'],
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.5.18', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Role',
  tags: ['admin', 'least-privilege'],
};

export const iamRoleAdmin: Check = {
  meta,
  run: (ctx: CheckContext) =>
    adminOutcomes(accessFacts(ctx.snapshot).principals, (f) => {
      const s = f.entry.subject;
      return s.kind === 'role' && !isWorkloadRole(s);
    }),
};
