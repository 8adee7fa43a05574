import { credentialsExposureUnconstrained } from './credentials-exposure-unconstrained.js';
import { customerPolicyFullAdmin } from './customer-policy-full-admin.js';
import { dataExfiltrationUnconstrained } from './data-exfiltration-unconstrained.js';
import { iamGroupAdmin } from './iam-group-admin.js';
import { iamRoleAdmin } from './iam-role-admin.js';
import { iamUserAdmin } from './iam-user-admin.js';
import { iamUserDirectPolicies } from './iam-user-direct-policies.js';
import { iamUserInlinePolicy } from './iam-user-inline-policy.js';
import { infrastructureModificationUnconstrained } from './infrastructure-modification-unconstrained.js';
import { missingOwnerTag } from './missing-owner-tag.js';
import { policyLintSecurityWarning } from './policy-lint-security-warning.js';
import { resourceExposureUnconstrained } from './resource-exposure-unconstrained.js';
import { serviceWideWildcard } from './service-wide-wildcard.js';
import type { Check } from './types.js';
import { workloadRoleAdmin } from './workload-role-admin.js';

/** The access checks, listed explicitly (one file per check, named by its id). */
export const ACCESS_CHECKS: readonly Check[] = [
  credentialsExposureUnconstrained,
  customerPolicyFullAdmin,
  dataExfiltrationUnconstrained,
  iamGroupAdmin,
  iamRoleAdmin,
  iamUserAdmin,
  iamUserDirectPolicies,
  iamUserInlinePolicy,
  infrastructureModificationUnconstrained,
  missingOwnerTag,
  policyLintSecurityWarning,
  resourceExposureUnconstrained,
  serviceWideWildcard,
  workloadRoleAdmin,
];
