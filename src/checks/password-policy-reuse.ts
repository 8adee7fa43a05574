import type { CheckMetadata } from '../model/finding.js';
import {
  PASSWORD_POLICY_RESOURCE_TYPE,
  passwordPolicyOf,
  rootArnOf,
  unknownFor,
} from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

/** CIS asks that the last 24 passwords cannot be reused (the most IAM allows). */
export const MIN_REUSE_PREVENTION = 24;

export const meta: CheckMetadata = {
  id: 'password-policy-reuse',
  title: 'Password policy allows reusing recent passwords',
  severity: 'medium',
  description: `The account password policy's PasswordReusePrevention is below ${MIN_REUSE_PREVENTION} (absent means 0: any old password may be reused).`,
  risk: 'When a password was exposed, rotating it helps only if the user cannot set it back; reuse prevention stops cycling between a few known passwords.',
  remediation: `\`aws iam update-account-password-policy --password-reuse-prevention ${MIN_REUSE_PREVENTION}\` together with the other settings you keep (the call replaces the whole policy).`,
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.8 Ensure IAM password policy prevents password reuse',
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html',
  ],
  compliance: {
    'cis-aws': ['1.8'],
    soc2: ['CC6.1'],
    iso27001: ['A.5.17'],
    'pci-dss': ['8.3.7'],
    hipaa: ['164.308(a)(5)(ii)(D)'],
  },
  resourceType: PASSWORD_POLICY_RESOURCE_TYPE,
  tags: ['password-policy'],
};

export const passwordPolicyReuse: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      const p = passwordPolicyOf(account);
      if (p.state === 'unknown') {
        out.push(unknownFor(account, rootArnOf(account), 'the password policy was not collected', p.gap));
        continue;
      }
      const remembered = p.state === 'set' ? (p.value.passwordReusePrevention ?? 0) : 0;
      if (remembered >= MIN_REUSE_PREVENTION) continue;
      out.push({
        status: 'fail',
        account: account.id,
        resourceArn: rootArnOf(account),
        message:
          remembered === 0
            ? `${p.state === 'none' ? 'No password policy' : 'The password policy has no reuse prevention'}: users may reuse any previous password`
            : `The password policy remembers only ${remembered} previous passwords (CIS: ${MIN_REUSE_PREVENTION})`,
        evidence: {
          facts: {
            passwordReusePrevention: remembered,
            required: MIN_REUSE_PREVENTION,
            policy: p.state === 'set' ? p.source : 'none',
          },
        },
      });
    }
    return out;
  },
};
