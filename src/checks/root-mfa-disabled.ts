import type { CheckMetadata } from '../model/finding.js';
import { reportEvidence, rootOutcomes } from './credential-helpers.js';
import type { Check } from './types.js';

export const meta: CheckMetadata = {
  id: 'root-mfa-disabled',
  title: 'Root user has no MFA',
  severity: 'critical',
  description: "Looks in the credential report for the root user's `mfa_active` flag.",
  risk: 'Without MFA the root user — who can do anything in the account, including closing it and changing its contact details — is protected by a password alone; a phished or reused password is a full account takeover.',
  remediation:
    'Sign in as the root user, open Security credentials → Multi-factor authentication (MFA) → Assign MFA device, and register a FIDO2 security key or hardware TOTP token (preferred) or a dedicated, non-personal virtual authenticator. Register a second device as a backup. In an AWS Organization, consider removing member-account root credentials with centralized root access management.',
  references: [
    "CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.4 Ensure MFA is enabled for the 'root' user account",
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
  ],
  compliance: {
    'cis-aws': ['1.4'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17', 'A.8.5'],
    'pci-dss': ['8.4.1', '8.4.2'],
    hipaa: ['164.312(d)'],
  },
  resourceType: 'AWS::IAM::RootUser',
  tags: ['root', 'mfa'],
};

export const rootMfaDisabled: Check = {
  meta,
  run({ snapshot }) {
    return rootOutcomes(snapshot, (account, arn, row) => {
      if (row.mfaActive) return undefined;
      return {
        status: 'fail',
        account: account.id,
        resourceArn: arn,
        principal: arn,
        message: 'The root user has no MFA device',
        evidence: reportEvidence(account, row, { mfaActive: false }),
      };
    });
  },
};
