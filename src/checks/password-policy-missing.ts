import type { CheckMetadata } from '../model/finding.js';
import {
  PASSWORD_POLICY_RESOURCE_TYPE,
  passwordPolicyOf,
  rootArnOf,
  unknownFor,
} from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'password-policy-missing',
  title: 'No account password policy',
  severity: 'medium',
  description:
    "The account has no IAM password policy (`aws iam get-account-password-policy` answers NoSuchEntity), so AWS's default rules apply: at least 8 characters, three of four character classes, no reuse prevention, no expiry.",
  risk: 'IAM users may set short passwords and reuse old ones; the CIS length (14) and reuse (24) requirements cannot be met without a policy.',
  remediation:
    'Set a policy: `aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 --require-numbers --require-symbols --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password`. Better still, move people to IAM Identity Center and remove IAM user passwords.',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.7 Ensure IAM password policy requires minimum length of 14 or greater; 1.8 Ensure IAM password policy prevents password reuse',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html',
  ],
  compliance: {
    'cis-aws': ['1.7', '1.8'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17'],
    'pci-dss': ['8.3.6', '8.3.7'],
    hipaa: ['164.308(a)(5)(ii)(D)'],
  },
  resourceType: PASSWORD_POLICY_RESOURCE_TYPE,
  tags: ['password-policy'],
};

export const passwordPolicyMissing: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      const p = passwordPolicyOf(account);
      if (p.state === 'set') continue;
      if (p.state === 'unknown') {
        out.push(unknownFor(account, rootArnOf(account), 'the password policy was not collected', p.gap));
        continue;
      }
      out.push({
        status: 'fail',
        account: account.id,
        resourceArn: rootArnOf(account),
        message: `${account.name ?? account.id} has no password policy: AWS defaults apply (8 characters, no reuse prevention)`,
        evidence: { facts: { passwordPolicy: 'none' } },
      });
    }
    return out;
  },
};
