import { iamExtrasOf } from '../collect/files/iam-extras.js';
import type { CheckMetadata } from '../model/finding.js';
import { reportEvidence, rootOutcomes, unknownFor } from './credential-helpers.js';
import type { Check } from './types.js';

export const meta: CheckMetadata = {
  id: 'root-hardware-mfa',
  title: 'Root user MFA is not a hardware device',
  severity: 'medium',
  description:
    'The root user has MFA (credential report) but its device is virtual: `aws iam list-virtual-mfa-devices` lists a device assigned to the root user. Without that listing the check cannot tell virtual from hardware and reports unknown.',
  risk: 'A virtual authenticator lives on a phone or computer that can be lost, cloned, backed up to the cloud or taken away by a departing employee; for the one identity that can do anything, CIS Level 2 asks for a dedicated hardware device.',
  remediation:
    'Sign in as the root user, open Security credentials → Multi-factor authentication (MFA), register a FIDO2 security key or hardware TOTP token, then remove the virtual device (`aws iam deactivate-mfa-device` and `aws iam delete-virtual-mfa-device --serial-number arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device`). Keep the hardware device in a safe.',
  references: [
    "CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.5 Ensure hardware MFA is enabled for the 'root' user account (Level 2)",
    'https://docs.aws.amazon.com/cli/latest/reference/iam/list-virtual-mfa-devices.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-hw-mfa-for-root.html',
  ],
  compliance: {
    'cis-aws': ['1.5'],
    soc2: ['CC6.1'],
    iso27001: ['A.8.5'],
    'pci-dss': ['8.4.1'],
    hipaa: ['164.312(d)'],
  },
  resourceType: 'AWS::IAM::RootUser',
  tags: ['root', 'mfa'],
};

export const rootHardwareMfa: Check = {
  meta,
  run({ snapshot }) {
    return rootOutcomes(snapshot, (account, arn, row) => {
      if (!row.mfaActive) {
        return {
          status: 'fail',
          account: account.id,
          resourceArn: arn,
          principal: arn,
          message: 'The root user has no MFA device at all, hardware or virtual',
          evidence: reportEvidence(account, row, { mfaActive: false }),
        };
      }
      const extras = iamExtrasOf(snapshot, account.id);
      if (extras?.virtualMfaDevices === undefined) {
        return unknownFor(
          account,
          arn,
          'iam-list-virtual-mfa-devices was not collected, so a virtual root MFA cannot be told from a hardware one',
          undefined,
          { principal: arn },
        );
      }
      // The root user's virtual device is listed with User.Arn = the root ARN; AWS names it
      // `…:mfa/root-account-mfa-device` when created from the root user's console.
      const virtual = extras.virtualMfaDevices.find(
        (d) =>
          d.userArn === arn ||
          d.serialNumber === `arn:${account.partition}:iam::${account.id}:mfa/root-account-mfa-device`,
      );
      if (!virtual) return undefined;
      return {
        status: 'fail',
        account: account.id,
        resourceArn: arn,
        principal: arn,
        message: `The root user's MFA is a virtual device (${virtual.serialNumber}), not hardware`,
        evidence: {
          facts: {
            virtualMfaSerial: virtual.serialNumber,
            enabledAt: virtual.enabledAt ?? null,
            listing: extras.virtualMfaSource ?? null,
          },
        },
      };
    });
  },
};
