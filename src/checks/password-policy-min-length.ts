import type { CheckMetadata } from '../model/finding.js';
import {
  PASSWORD_POLICY_RESOURCE_TYPE,
  passwordPolicyOf,
  rootArnOf,
  unknownFor,
} from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

/** CIS asks for 14 or more. */
export const MIN_LENGTH = 14;
/** With no policy, AWS requires 8; with a policy that omits the length, the API default is 6. */
const AWS_DEFAULT_NO_POLICY = 8;
const API_DEFAULT = 6;

export const meta: CheckMetadata = {
  id: 'password-policy-min-length',
  title: 'Password policy allows passwords shorter than 14 characters',
  severity: 'medium',
  description: `The account password policy's MinimumPasswordLength is below ${MIN_LENGTH} (or there is no policy, and AWS's default of ${AWS_DEFAULT_NO_POLICY} applies).`,
  risk: 'Length is what makes a password resist guessing and offline cracking; short passwords fall to brute force and to credential-stuffing lists.',
  remediation: `\`aws iam update-account-password-policy --minimum-password-length ${MIN_LENGTH}\` — note the call replaces the whole policy, so pass every other setting you keep (reuse prevention, character classes) in the same call.`,
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.7 Ensure IAM password policy requires minimum length of 14 or greater',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html',
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html',
  ],
  compliance: {
    'cis-aws': ['1.7'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17'],
    'pci-dss': ['8.3.6'],
    hipaa: ['164.308(a)(5)(ii)(D)'],
  },
  resourceType: PASSWORD_POLICY_RESOURCE_TYPE,
  tags: ['password-policy'],
};

export const passwordPolicyMinLength: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      const p = passwordPolicyOf(account);
      if (p.state === 'unknown') {
        out.push(unknownFor(account, rootArnOf(account), 'the password policy was not collected', p.gap));
        continue;
      }
      const length =
        p.state === 'none' ? AWS_DEFAULT_NO_POLICY : (p.value.minimumPasswordLength ?? API_DEFAULT);
      if (length >= MIN_LENGTH) continue;
      out.push({
        status: 'fail',
        account: account.id,
        resourceArn: rootArnOf(account),
        message:
          p.state === 'none'
            ? `No password policy: passwords may be ${length} characters (minimum ${MIN_LENGTH})`
            : `The password policy allows ${length}-character passwords (minimum ${MIN_LENGTH})`,
        evidence: {
          facts: {
            minimumPasswordLength: length,
            required: MIN_LENGTH,
            policy: p.state === 'set' ? p.source : 'none',
          },
        },
      });
    }
    return out;
  },
};
