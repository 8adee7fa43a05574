import { customerRoles, roleUsage } from '../analysis/unused.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'unused-role',
  title: 'IAM role not used for the unused-days threshold',
  severity: 'low',
  description:
    'An IAM role (not service-linked) whose RoleLastUsed date is older than `thresholds.unusedDays` (90 by default), or that was never used and was created more than that many days ago. Roles created more recently are not reported. AWS tracks role use for about the last 400 days.',
  risk: 'Unused roles keep their permissions and their trust: a forgotten vendor role or a proof-of-concept role with broad access is an entry point nobody watches.',
  remediation:
    'Check with the owner and in CloudTrail that nothing depends on the role, then delete it: detach its policies (`aws iam list-attached-role-policies`, `aws iam detach-role-policy`), delete inline policies and instance profiles, then `aws iam delete-role --role-name ROLE`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html',
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html',
  ],
  compliance: {
    soc2: ['CC6.2', 'CC6.3'],
    iso27001: ['A.5.18'],
    'pci-dss': ['8.2.6'],
    hipaa: ['164.308(a)(3)', '164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Role',
  tags: ['unused'],
};

export const unusedRole: Check = {
  meta,
  run({ snapshot, config, now }) {
    const days = config.thresholds.unusedDays;
    const out: CheckOutcome[] = [];
    for (const [account, role] of customerRoles(snapshot)) {
      const usage = roleUsage(role, now, days);
      if (usage.status !== 'unused' && usage.status !== 'unknown') continue;
      out.push({
        account: account.id,
        resourceArn: role.arn,
        principal: role.arn,
        status: usage.status === 'unused' ? 'fail' : 'unknown',
        message: `Role ${role.name}: ${usage.detail} (threshold ${days} days)`,
        evidence: {
          facts: {
            thresholdDays: days,
            lastUsed: usage.lastUsed ?? null,
            lastUsedDays: usage.lastUsedDays ?? null,
            createdDays: usage.createdDays ?? null,
          },
        },
      });
    }
    return out;
  },
};
