import type { CheckMetadata } from '../model/finding.js';
import {
  day,
  daysSince,
  missingReportOutcome,
  reportEvidence,
  usersWithReport,
} from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'credentials-unused-45-days',
  title: 'Password or access key unused for 45 days or more',
  severity: 'medium',
  description:
    'An IAM user with an enabled console password or an active access key that has not been used for `thresholds.credentialUnusedDays` days (45 by default, as CIS asks). A credential never used counts from when it was set (password last changed, key created).',
  risk: 'Credentials nobody uses are credentials nobody watches: they belong to people who left or to retired automation, and if leaked they work until someone notices. Removing them shrinks the window for a compromised or abandoned credential.',
  remediation:
    'Confirm with the owner, then disable what is not used: remove the console password (`aws iam delete-login-profile --user-name USER`) and deactivate then delete stale keys (`aws iam update-access-key --user-name USER --access-key-id KEY --status Inactive`, then `aws iam delete-access-key …`). Delete the user if nothing of it is in use.',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.11 Ensure credentials unused for 45 days or more are disabled',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html',
  ],
  compliance: {
    'cis-aws': ['1.11'],
    soc2: ['CC6.2', 'CC6.3'],
    iso27001: ['A.5.18'],
    'pci-dss': ['8.2.6'],
    hipaa: ['164.308(a)(3)', '164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['credentials', 'unused'],
};

export const credentialsUnused45Days: Check = {
  meta,
  run({ snapshot, config, now }) {
    const limit = config.thresholds.credentialUnusedDays;
    const out: CheckOutcome[] = [];
    for (const u of usersWithReport(snapshot)) {
      if (u.kind !== 'row') {
        out.push(missingReportOutcome(u));
        continue;
      }
      const { row } = u;
      const stale: string[] = [];
      const facts: Record<string, string | number | null> = { thresholdDays: limit };
      if (row.passwordEnabled === true) {
        // Never used: count from when the password was set.
        const since = row.passwordLastUsed ?? row.passwordLastChanged ?? row.userCreationTime;
        const days = daysSince(since, now);
        if (days !== undefined && days >= limit) {
          stale.push(
            row.passwordLastUsed
              ? `password last used ${day(row.passwordLastUsed)} (${days} days)`
              : `password never used, set ${day(since)} (${days} days)`,
          );
          facts.passwordLastUsed = row.passwordLastUsed;
        }
      }
      for (const k of row.accessKeys) {
        if (!k.active) continue;
        const since = k.lastUsedDate ?? k.lastRotated;
        const days = daysSince(since, now);
        if (days !== undefined && days >= limit) {
          stale.push(
            k.lastUsedDate
              ? `access key ${k.slot} last used ${day(k.lastUsedDate)} (${days} days)`
              : `access key ${k.slot} never used, created ${day(k.lastRotated)} (${days} days)`,
          );
          facts[`key${k.slot}LastUsed`] = k.lastUsedDate;
          facts[`key${k.slot}Created`] = k.lastRotated;
        }
      }
      if (stale.length === 0) continue;
      out.push({
        status: 'fail',
        account: u.account.id,
        resourceArn: u.arn,
        principal: u.arn,
        message: `${row.user}: ${stale.join('; ')}`,
        evidence: reportEvidence(u.account, row, facts),
      });
    }
    return out;
  },
};
