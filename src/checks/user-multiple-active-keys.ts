import type { CheckMetadata } from '../model/finding.js';
import { day, missingReportOutcome, reportEvidence, usersWithReport } from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'user-multiple-active-keys',
  title: 'IAM user with two active access keys',
  severity: 'medium',
  description: 'An IAM user whose credential report shows both access key slots active.',
  risk: 'Two active keys double what can leak and hide which one is in use; a second key is also how an attacker with iam:CreateAccessKey quietly gains a foothold next to the legitimate one. Outside a short rotation window one key per user is enough.',
  remediation:
    'Find which key is in use (credential report `access_key_N_last_used_date`, or `aws iam get-access-key-last-used --access-key-id KEY`), move every consumer to it, then deactivate and delete the other: `aws iam update-access-key --user-name USER --access-key-id OLD --status Inactive`, then `aws iam delete-access-key --user-name USER --access-key-id OLD`. Prefer roles over long-lived keys.',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.12 Ensure there is only one active access key for any single IAM user',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  ],
  compliance: {
    'cis-aws': ['1.12'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17'],
    'pci-dss': ['8.3.1'],
    hipaa: ['164.308(a)(5)(ii)(D)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['credentials', 'access-keys'],
};

export const userMultipleActiveKeys: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const u of usersWithReport(snapshot)) {
      if (u.kind !== 'row') {
        out.push(missingReportOutcome(u));
        continue;
      }
      const { row } = u;
      const [k1, k2] = row.accessKeys;
      if (!(k1.active && k2.active)) continue;
      out.push({
        status: 'fail',
        account: u.account.id,
        resourceArn: u.arn,
        principal: u.arn,
        message: `${row.user} has two active access keys (created ${day(k1.lastRotated)} and ${day(k2.lastRotated)}; last used ${day(k1.lastUsedDate)} and ${day(k2.lastUsedDate)})`,
        evidence: reportEvidence(u.account, row, {
          key1Created: k1.lastRotated,
          key1LastUsed: k1.lastUsedDate,
          key2Created: k2.lastRotated,
          key2LastUsed: k2.lastUsedDate,
        }),
      });
    }
    return out;
  },
};
