import { IAM_ACTIONS } from './iam.js';
import { ORGANIZATIONS_ACTIONS } from './organizations.js';
import { LISTINGS } from './spec.js';

/**
 * Every IAM action the collector needs, the source of the policy in docs/permissions.md.
 * `sts:GetCallerIdentity` needs no permission; `sts:AssumeRole` is documented on its own.
 */
export const COLLECTOR_ACTIONS: readonly string[] = [
  ...IAM_ACTIONS,
  ...ORGANIZATIONS_ACTIONS,
  ...LISTINGS.flatMap((listing) => [listing.call, ...listing.perResource.map((p) => p.call)]),
];
