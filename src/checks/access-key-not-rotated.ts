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
  id: 'access-key-not-rotated',
  title: 'Active access key older than 90 days',
  severity: 'medium',
  description:
    'An IAM user with an active access key created (credential report `access_key_N_last_rotated`) more than `thresholds.keyMaxAgeDays` days ago (90 by default, as CIS asks).',
  risk: 'The older a key, the more places it has been copied to (laptops, CI variables, config files, backups) and the longer a leaked copy keeps working. Regular rotation bounds how long a stolen key is useful.',
  remediation:
    'Rotate: create a second key (`aws iam create-access-key --user-name USER`), deploy it to every consumer, confirm the old key is no longer used (`aws iam get-access-key-last-used --access-key-id OLD`), then deactivate and delete it (`aws iam update-access-key … --status Inactive`, `aws iam delete-access-key …`). Better, replace the key with an IAM role (IAM Roles Anywhere, OIDC federation for CI).',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.13 Ensure access keys are rotated every 90 days or less',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id-credentials-access-keys-update.html',
  ],
  compliance: {
    'cis-aws': ['1.13'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17'],
    'pci-dss': ['8.3.9', '8.6.3'],
    hipaa: ['164.308(a)(5)(ii)(D)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['credentials', 'access-keys'],
};

export const accessKeyNotRotated: Check = {
  meta,
  run({ snapshot, config, now }) {
    const limit = config.thresholds.keyMaxAgeDays;
    const out: CheckOutcome[] = [];
    for (const u of usersWithReport(snapshot)) {
      if (u.kind !== 'row') {
        out.push(missingReportOutcome(u));
        continue;
      }
      const { row } = u;
      const old = row.accessKeys
        .filter((k) => k.active)
        .map((k) => ({ k, age: daysSince(k.lastRotated, now) }))
        .filter(
          (x): x is { k: (typeof row.accessKeys)[number]; age: number } =>
            x.age !== undefined && x.age > limit,
        );
      if (old.length === 0) continue;
      out.push({
        status: 'fail',
        account: u.account.id,
        resourceArn: u.arn,
        principal: u.arn,
        message: `${row.user}: ${old.map(({ k, age }) => `access key ${k.slot} created ${day(k.lastRotated)} (${age} days)`).join('; ')}; limit ${limit} days`,
        evidence: reportEvidence(u.account, row, {
          thresholdDays: limit,
          ...Object.fromEntries(
            old.flatMap(({ k, age }) => [
              [`key${k.slot}Created`, k.lastRotated],
              [`key${k.slot}AgeDays`, age],
            ]),
          ),
        }),
      });
    }
    return out;
  },
};
