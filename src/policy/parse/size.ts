import type { PolicyType } from '../../model/policy.js';

/**
 * Size quotas AWS enforces when it stores a policy, and how each one counts characters.
 *
 * IAM: "IAM does not count white space when calculating the size of a policy against these
 * quotas" — managed 6,144; inline policies (aggregate per identity) user 2,048, group 5,120,
 * role 10,240; role trust policy 2,048 by default (adjustable up to 8,192).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 *
 * Organizations counts differently: "All characters in your SCP count against its maximum size"
 * (whitespace included); SCPs and RCPs may be at most 5,120 characters.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 *
 * STS session policies: "The plaintext that you use for both inline and managed session policies
 * can't exceed 2,048 characters." https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 *
 * Resource-based and endpoint policies have per-service limits (S3 20 KB, SQS 8 KB, ...) that the
 * parser does not know, and AWS managed policies are not held to the customer quotas.
 */

export type AttachedTo = 'managed' | 'user-inline' | 'group-inline' | 'role-inline' | 'aws-managed';

export interface SizeQuota {
  readonly limit: number;
  /** Whether whitespace outside strings counts (Organizations) or not (IAM). */
  readonly countsWhitespace: boolean;
  readonly description: string;
}

const IDENTITY_QUOTAS: Readonly<Record<Exclude<AttachedTo, 'aws-managed'>, SizeQuota>> = {
  managed: { limit: 6144, countsWhitespace: false, description: 'a managed policy' },
  'user-inline': { limit: 2048, countsWhitespace: false, description: "a user's inline policies" },
  'group-inline': { limit: 5120, countsWhitespace: false, description: "a group's inline policies" },
  'role-inline': { limit: 10240, countsWhitespace: false, description: "a role's inline policies" },
};

/** The quota that applies, or undefined when the parser cannot know one (or none applies). */
export function sizeQuotaFor(
  type: PolicyType | undefined,
  attachedTo: AttachedTo | undefined,
): SizeQuota | undefined {
  if (attachedTo === 'aws-managed') return undefined;
  switch (type) {
    case 'identity':
      return identityQuota(attachedTo ?? 'managed');
    case 'boundary':
      // A permissions boundary is a managed policy.
      return IDENTITY_QUOTAS.managed;
    case 'trust':
      return { limit: 2048, countsWhitespace: false, description: 'a role trust policy (default quota)' };
    case 'session':
      return { limit: 2048, countsWhitespace: false, description: 'a session policy' };
    case 'scp':
      return { limit: 5120, countsWhitespace: true, description: 'a service control policy' };
    case 'rcp':
      return { limit: 5120, countsWhitespace: true, description: 'a resource control policy' };
    case 'resource':
    case 'endpoint':
      return undefined;
    case undefined:
      return attachedTo === undefined ? undefined : identityQuota(attachedTo);
    default:
      return undefined;
  }
}

function identityQuota(attachedTo: string): SizeQuota | undefined {
  return Object.hasOwn(IDENTITY_QUOTAS, attachedTo)
    ? IDENTITY_QUOTAS[attachedTo as keyof typeof IDENTITY_QUOTAS]
    : undefined;
}
