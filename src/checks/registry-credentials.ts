import { accessKeyNotRotated } from './access-key-not-rotated.js';
import { consoleUserWithoutMfa } from './console-user-without-mfa.js';
import { credentialsUnused45Days } from './credentials-unused-45-days.js';
import { passwordPolicyComplexity } from './password-policy-complexity.js';
import { passwordPolicyMinLength } from './password-policy-min-length.js';
import { passwordPolicyMissing } from './password-policy-missing.js';
import { passwordPolicyReuse } from './password-policy-reuse.js';
import { rootAccessKeys } from './root-access-keys.js';
import { rootHardwareMfa } from './root-hardware-mfa.js';
import { rootMfaDisabled } from './root-mfa-disabled.js';
import { rootRecentUse } from './root-recent-use.js';
import { serverCertificateExpired } from './server-certificate-expired.js';
import { supportRoleMissing } from './support-role-missing.js';
import type { Check } from './types.js';
import { userMultipleActiveKeys } from './user-multiple-active-keys.js';

/** The credentials checks, listed explicitly (one file per check, named by its id). */
export const CREDENTIALS_CHECKS: readonly Check[] = [
  accessKeyNotRotated,
  consoleUserWithoutMfa,
  credentialsUnused45Days,
  passwordPolicyComplexity,
  passwordPolicyMinLength,
  passwordPolicyMissing,
  passwordPolicyReuse,
  rootAccessKeys,
  rootHardwareMfa,
  rootMfaDisabled,
  rootRecentUse,
  serverCertificateExpired,
  supportRoleMissing,
  userMultipleActiveKeys,
];
