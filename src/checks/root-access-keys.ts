import type { CheckMetadata } from '../model/finding.js';
import { day, reportEvidence, rootOutcomes } from './credential-helpers.js';
import type { Check } from './types.js';

export const meta: CheckMetadata = {
  id: 'root-access-keys',
  title: 'Root user has an active access key',
  severity: 'critical',
  description:
    'Looks in the credential report for an active access key (slot 1 or 2) on the account root user.',
  risk: 'A root access key gives unrestricted, programmatic access to the whole account that no IAM policy or permissions boundary can limit (only SCPs can); a leaked key is a full account compromise, and it cannot be protected by MFA.',
  remediation:
    'Sign in as the root user, open Security credentials, deactivate and then delete every access key (Access keys → Actions → Deactivate, then Delete). Replace any automation that used it with an IAM role. In an AWS Organization, consider centralized root access management so member accounts have no root credentials at all: `aws iam enable-organizations-root-credentials-management`.',
  references: [
    "CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.3 Ensure no 'root' user account access key exists",
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html',
  ],
  compliance: {
    'cis-aws': ['1.3'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17', 'A.8.2'],
    'pci-dss': ['7.2.1', '8.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::RootUser',
  tags: ['root', 'credentials'],
};

export const rootAccessKeys: Check = {
  meta,
  run({ snapshot }) {
    return rootOutcomes(snapshot, (account, arn, row) => {
      const active = row.accessKeys.filter((k) => k.active);
      if (active.length === 0) return undefined;
      return {
        status: 'fail',
        account: account.id,
        resourceArn: arn,
        principal: arn,
        message: `The root user has ${active.length} active access key${active.length === 1 ? '' : 's'} (${active
          .map((k) => `key ${k.slot} created ${day(k.lastRotated)}, last used ${day(k.lastUsedDate)}`)
          .join('; ')})`,
        evidence: reportEvidence(account, row, {
          activeKeys: active.length,
          ...Object.fromEntries(
            active.flatMap((k) => [
              [`key${k.slot}Created`, k.lastRotated],
              [`key${k.slot}LastUsed`, k.lastUsedDate],
            ]),
          ),
        }),
      };
    });
  },
};
