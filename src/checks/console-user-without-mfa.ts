import type { CheckMetadata } from '../model/finding.js';
import { day, missingReportOutcome, reportEvidence, usersWithReport } from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'console-user-without-mfa',
  title: 'IAM user with a console password and no MFA',
  severity: 'high',
  description:
    'An IAM user whose credential report row has `password_enabled = true` and `mfa_active = false`.',
  risk: 'A console password alone is one phishing e-mail, reused password or brute-force away from a signed-in session with every permission the user has; MFA is the control that stops credential stuffing.',
  remediation:
    'Have the user register an MFA device (IAM console → Users → USER → Security credentials → Assign MFA device), or remove the console password if it is not needed: `aws iam delete-login-profile --user-name USER`. Enforce it with a policy that denies everything except MFA self-management when `aws:MultiFactorAuthPresent` is false, and prefer IAM Identity Center for people.',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.9 Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html',
  ],
  compliance: {
    'cis-aws': ['1.9'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17', 'A.8.5'],
    'pci-dss': ['8.4.2', '8.5.1'],
    hipaa: ['164.312(d)'],
  },
  resourceType: 'AWS::IAM::User',
  tags: ['mfa', 'users'],
};

export const consoleUserWithoutMfa: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const u of usersWithReport(snapshot)) {
      if (u.kind !== 'row') {
        out.push(
          missingReportOutcome(
            u,
            'the user is not in the credential report (created after it was generated?)',
          ),
        );
        continue;
      }
      const { row } = u;
      if (row.passwordEnabled !== true || row.mfaActive) continue;
      out.push({
        status: 'fail',
        account: u.account.id,
        resourceArn: u.arn,
        principal: u.arn,
        message: `${row.user} can sign in to the console with a password and has no MFA (password last used ${day(row.passwordLastUsed)})`,
        evidence: reportEvidence(u.account, row, {
          passwordEnabled: true,
          mfaActive: false,
          passwordLastUsed: row.passwordLastUsed,
        }),
      });
    }
    return out;
  },
};
