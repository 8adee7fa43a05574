import type { CheckMetadata } from '../model/finding.js';
import { day, daysSince, reportEvidence, rootOutcomes } from './credential-helpers.js';
import type { Check } from './types.js';

export const meta: CheckMetadata = {
  id: 'root-recent-use',
  title: 'Root user used recently',
  severity: 'high',
  description:
    'The credential report shows the root user signed in (`password_last_used`) or used an access key within the last `thresholds.rootRecentUseDays` days (configurable).',
  risk: 'The root user is meant for the handful of tasks only it can do. Regular use means its password and MFA are handled often, by people, outside any IAM policy or session control — the opposite of least privilege — and every use is a chance to phish or leak it.',
  remediation:
    'Find out who used the root user and why (CloudTrail: `userIdentity.type = "Root"`, event `ConsoleLogin`). Give that person an IAM Identity Center permission set or an IAM role for the task, rotate the root password, check its MFA, and alert on root use (an EventBridge rule on root `ConsoleLogin`). Use root only for the tasks listed in the AWS documentation.',
  references: [
    "CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.6 Eliminate use of the 'root' user for administrative and daily tasks",
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html',
  ],
  compliance: {
    'cis-aws': ['1.6'],
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.8.2'],
    'pci-dss': ['7.2.1', '8.2.2'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::RootUser',
  tags: ['root', 'usage'],
};

export const rootRecentUse: Check = {
  meta,
  run({ snapshot, config, now }) {
    const limit = config.thresholds.rootRecentUseDays;
    return rootOutcomes(snapshot, (account, arn, row) => {
      const uses = [
        { what: 'console sign-in', at: row.passwordLastUsed },
        ...row.accessKeys.map((k) => ({ what: `access key ${k.slot}`, at: k.lastUsedDate })),
      ].filter((u): u is { what: string; at: string } => {
        const d = daysSince(u.at, now);
        return d !== undefined && d <= limit;
      });
      if (uses.length === 0) return undefined;
      const latest = uses.reduce((a, b) => (a.at >= b.at ? a : b));
      return {
        status: 'fail',
        account: account.id,
        resourceArn: arn,
        principal: arn,
        message: `The root user was used ${daysSince(latest.at, now)} days ago (${latest.what}, ${day(latest.at)}); threshold ${limit} days`,
        evidence: reportEvidence(account, row, {
          lastUsed: latest.at,
          lastUse: latest.what,
          thresholdDays: limit,
        }),
      };
    });
  },
};
