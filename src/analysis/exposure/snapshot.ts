import type { OrgSnapshot, Resource, RolePrincipal } from '../../model/account.js';
import {
  analyzePolicyExposure,
  type ExposureOptions,
  type ExternalGrant,
  type PolicyExposure,
} from './analyze-policy.js';
import { type TrustZone, trustZoneFor, type ZoneOptions } from './zone.js';

/** One resource policy or role trust policy with its external grants. */
export interface ExposedTarget {
  readonly kind: 'resource' | 'trust';
  readonly arn: string;
  readonly accountId: string;
  readonly service: string;
  readonly resource?: Resource;
  readonly role?: RolePrincipal;
  readonly exposure: PolicyExposure;
  /**
   * Grants that still hold: for S3 buckets whose Block Public Access `RestrictPublicBuckets` is on and
   * whose policy is public, only service principals keep access (and the owner's account).
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
   */
  readonly effective: readonly ExternalGrant[];
  /** Why some grants do not hold in practice (`RestrictPublicBuckets`). */
  readonly blockedBy?: string;
  /** The policy could not be read, or the resource account's RCPs are unknown. */
  readonly incomplete: boolean;
  readonly zone: TrustZone;
}

export interface ExternalAccessResult {
  readonly targets: readonly ExposedTarget[];
  readonly byArn: ReadonlyMap<string, ExposedTarget>;
}

/** A grant any principal (anyone, or any AWS account) has, unrestricted by IP, claims or ExternalId. */
export function isPublicGrant(g: ExternalGrant): boolean {
  return (g.principalClass === 'anyone' || g.principalClass === 'any-account') && g.narrowedBy.length === 0;
}

/** A grant to someone outside the zone of trust. */
export function isExternalGrant(g: ExternalGrant): boolean {
  return !g.inZone;
}

function s3Effective(
  resource: Resource,
  grants: readonly ExternalGrant[],
): { effective: ExternalGrant[]; blockedBy?: string } {
  const pab = resource.publicAccessBlock;
  // S3 calls a policy public when it grants to anyone without fixed-value conditions; IP-restricted grants are not public.
  const isPublic = grants.some((g) => isPublicGrant(g) && !g.uncertain);
  if (pab?.RestrictPublicBuckets === true && isPublic) {
    // Only AWS service principals and the bucket owner's account keep access through a public policy.
    return {
      effective: grants.filter((g) => g.principalClass === 'service'),
      blockedBy: 'RestrictPublicBuckets',
    };
  }
  return { effective: [...grants] };
}

const cache = new WeakMap<OrgSnapshot, Map<string, ExternalAccessResult>>();

/**
 * Every resource policy and role trust policy in the snapshot with who outside the zone of trust
 * can act through it. Computed once per snapshot and zone options.
 */
export function externalAccess(snapshot: OrgSnapshot, zoneOptions: ZoneOptions = {}): ExternalAccessResult {
  const key = JSON.stringify(zoneOptions);
  const bySnapshot = cache.get(snapshot) ?? new Map<string, ExternalAccessResult>();
  cache.set(snapshot, bySnapshot);
  const hit = bySnapshot.get(key);
  if (hit) return hit;
  const targets: ExposedTarget[] = [];
  const managementAccount = snapshot.organization?.managementAccountId;
  for (const account of snapshot.accounts.values()) {
    const zone = trustZoneFor(snapshot, account.id, zoneOptions);
    const options: ExposureOptions = {
      ...(account.rcpState === 'known' && account.rcpLevels.length > 0 ? { rcp: account.rcpLevels } : {}),
      ...(managementAccount ? { managementAccount } : {}),
    };
    for (const resource of account.resources.values()) {
      if (!resource.policy) continue;
      const exposure = analyzePolicyExposure(
        resource.policy,
        { arn: resource.arn, accountId: account.id, kind: 'resource', service: resource.service },
        zone,
        options,
      );
      const { effective, blockedBy } =
        resource.service === 's3'
          ? s3Effective(resource, exposure.grants)
          : { effective: [...exposure.grants] };
      targets.push({
        kind: 'resource',
        arn: resource.arn,
        accountId: account.id,
        service: resource.service,
        resource,
        exposure,
        effective,
        ...(blockedBy ? { blockedBy } : {}),
        // An RCP could only remove access, so unknown RCPs leave the exposure as found (worst case).
        incomplete: !resource.policy.readable || exposure.truncated,
        zone,
      });
    }
    for (const role of account.roles.values()) {
      if (!role.trustPolicy) continue;
      const exposure = analyzePolicyExposure(
        role.trustPolicy,
        { arn: role.arn, accountId: account.id, kind: 'trust', service: 'iam' },
        zone,
        options,
      );
      targets.push({
        kind: 'trust',
        arn: role.arn,
        accountId: account.id,
        service: 'iam',
        role,
        exposure,
        effective: exposure.grants,
        incomplete: !role.trustPolicy.readable || exposure.truncated,
        zone,
      });
    }
  }
  const result: ExternalAccessResult = { targets, byArn: new Map(targets.map((t) => [t.arn, t])) };
  bySnapshot.set(key, result);
  return result;
}
