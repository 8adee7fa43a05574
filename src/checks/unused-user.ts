import { userUsage } from '../analysis/unused.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'unused-user',
  title: 'IAM user with no sign-in or access-key use for the unused-days threshold',
  severity: 'medium',
  description:
    'An IAM user that has neither signed in to the console nor used an access key for `thresholds.unusedDays` days (90 by default), or never did and was created more than that many days ago, according to the credential report. The CIS 45-day rule on each credential is `credentials-unused-45-days`; this check is about the identity as a whole.',
  risk: 'A user nobody uses is usually someone who left or a retired integration; its group memberships and policies still grant access, and any credential it has can be used by whoever holds it.',
  remediation:
    'Confirm with the owner, then remove the user: `aws iam delete-login-profile`, deactivate and delete its keys, remove it from groups (`aws iam remove-user-from-group`), detach its policies and `aws iam delete-user --user-name USER`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html',
  ],
  compliance: {
    soc2: ['CC6.2', 'CC6.3'],
    iso27001: ['A.5.16', 'A.5.18'],
    'pci-dss': ['8.2.6'],
    hipaa: ['164.308(a)(3)', '164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['unused'],
};

export const unusedUser: Check = {
  meta,
  run({ snapshot, config, now }) {
    const days = config.thresholds.unusedDays;
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      if (account.users.size === 0) continue;
      if (!account.credentialReport) {
        out.push({
          account: account.id,
          resourceArn: account.root.arn,
          resourceType: 'AWS::::Account',
          status: 'unknown',
          message: `No credential report for account ${account.id}: user activity cannot be judged`,
        });
        continue;
      }
      for (const user of account.users.values()) {
        const usage = userUsage(account, user, now, days);
        if (usage.status !== 'unused' && usage.status !== 'unknown') continue;
        out.push({
          account: account.id,
          resourceArn: user.arn,
          principal: user.arn,
          status: usage.status === 'unused' ? 'fail' : 'unknown',
          message: `User ${user.name}: ${usage.detail} (threshold ${days} days)`,
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
    }
    return out;
  },
};
