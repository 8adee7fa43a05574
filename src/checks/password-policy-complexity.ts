import type { CheckMetadata } from '../model/finding.js';
import {
  PASSWORD_POLICY_RESOURCE_TYPE,
  passwordPolicyOf,
  rootArnOf,
  unknownFor,
} from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'password-policy-complexity',
  title: 'Password policy does not require numbers and letters',
  severity: 'low',
  description:
    "The account password policy does not require at least one number and at least one letter (RequireNumbers, and RequireUppercaseCharacters or RequireLowercaseCharacters), as PCI DSS 8.3.6 asks. CIS AWS v5.0.0 no longer asks for character classes (only length, 1.7, and reuse, 1.8), so this check maps to PCI DSS only. With no policy, AWS's default already requires three of four character classes.",
  risk: 'Without character-class rules a long policy minimum can still be met by trivially guessable strings; auditors under PCI DSS expect both numeric and alphabetic characters.',
  remediation:
    '`aws iam update-account-password-policy --require-numbers --require-uppercase-characters --require-lowercase-characters --require-symbols` together with the settings you keep (the call replaces the whole policy).',
  references: [
    'PCI DSS v4.0.1 8.3.6: passwords of at least 12 characters containing both numeric and alphabetic characters',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html',
  ],
  compliance: {
    soc2: ['CC6.1'],
    iso27001: ['A.5.17'],
    'pci-dss': ['8.3.6'],
  },
  resourceType: PASSWORD_POLICY_RESOURCE_TYPE,
  tags: ['password-policy'],
};

export const passwordPolicyComplexity: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      const p = passwordPolicyOf(account);
      if (p.state === 'unknown') {
        out.push(unknownFor(account, rootArnOf(account), 'the password policy was not collected', p.gap));
        continue;
      }
      // No policy: the default requires three of uppercase, lowercase, numbers and symbols, so at
      // least one letter class; a number is not guaranteed, but password-policy-missing reports it.
      if (p.state === 'none') continue;
      const v = p.value;
      const missing: string[] = [];
      if (v.requireNumbers !== true) missing.push('numbers');
      if (v.requireUppercaseCharacters !== true && v.requireLowercaseCharacters !== true)
        missing.push('letters');
      if (missing.length === 0) continue;
      out.push({
        status: 'fail',
        account: account.id,
        resourceArn: rootArnOf(account),
        message: `The password policy does not require ${missing.join(' or ')}`,
        evidence: {
          facts: {
            requireNumbers: v.requireNumbers ?? false,
            requireUppercaseCharacters: v.requireUppercaseCharacters ?? false,
            requireLowercaseCharacters: v.requireLowercaseCharacters ?? false,
            requireSymbols: v.requireSymbols ?? false,
            policy: p.source,
          },
        },
      });
    }
    return out;
  },
};
