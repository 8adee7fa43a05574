import type { OrgSnapshot } from '../../model/account.js';
import type { AuditConfig } from '../../model/config.js';

/**
 * The zone of trust, as IAM Access Analyzer defines it: the resource's account, or the whole
 * organization when the snapshot has one; every principal inside is trusted, everything else is
 * external. We add the accounts and organizations the configuration trusts, and optionally the
 * VPCs and VPC endpoints known to belong to the owner.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
 */
export interface TrustZone {
  readonly accounts: ReadonlySet<string>;
  readonly organizations: ReadonlySet<string>;
  /**
   * VPCs / VPC endpoints inside the zone. Undefined: not known, and a VPC or endpoint a policy names
   * is taken to be the owner's (a policy that only allows a named endpoint keeps outsiders out).
   */
  readonly vpcs?: ReadonlySet<string>;
  readonly vpces?: ReadonlySet<string>;
  /** Federated providers (ARNs or names such as `cognito-identity.amazonaws.com`) trusted by configuration. */
  readonly federated?: ReadonlySet<string>;
  /** The resource account's organization, when the snapshot knows it (decides `aws:ResourceOrgID`). */
  readonly resourceOrgId?: string;
}

export interface ZoneOptions {
  readonly trustedAccounts?: readonly string[];
  readonly trustedOrganizations?: readonly string[];
  readonly trustedVpcs?: readonly string[];
  readonly trustedVpces?: readonly string[];
  readonly trustedFederated?: readonly string[];
}

export function zoneOptionsFromConfig(config: AuditConfig): ZoneOptions {
  return { trustedAccounts: config.trustedAccounts, trustedOrganizations: config.trustedOrganizations };
}

/** The accounts of the snapshot's organization: those Organizations names and those loaded with an org path. */
export function organizationAccounts(snapshot: OrgSnapshot): Set<string> {
  const out = new Set<string>();
  const org = snapshot.organization;
  if (!org) return out;
  for (const id of org.accountNames.keys()) out.add(id);
  for (const unit of org.units.values()) for (const id of unit.accounts) out.add(id);
  if (org.managementAccountId) out.add(org.managementAccountId);
  for (const account of snapshot.accounts.values()) if (account.orgPath.length > 0) out.add(account.id);
  return out;
}

const zoneCache = new WeakMap<OrgSnapshot, Map<string, TrustZone>>();

/** The zone of trust for resources of `accountId`, built once per snapshot and account. */
export function trustZoneFor(snapshot: OrgSnapshot, accountId: string, options: ZoneOptions = {}): TrustZone {
  const key = `${accountId}|${JSON.stringify(options)}`;
  let byAccount = zoneCache.get(snapshot);
  if (!byAccount) {
    byAccount = new Map();
    zoneCache.set(snapshot, byAccount);
  }
  const cached = byAccount.get(key);
  if (cached) return cached;
  const orgAccounts = organizationAccounts(snapshot);
  const inOrg = orgAccounts.has(accountId);
  const accounts = new Set<string>([accountId, ...(options.trustedAccounts ?? [])]);
  if (inOrg) for (const id of orgAccounts) accounts.add(id);
  const organizations = new Set<string>(options.trustedOrganizations ?? []);
  const orgId = snapshot.organization?.id;
  if (inOrg && orgId) organizations.add(orgId);
  const zone: TrustZone = {
    accounts,
    organizations,
    ...(options.trustedVpcs ? { vpcs: new Set(options.trustedVpcs) } : {}),
    ...(options.trustedVpces ? { vpces: new Set(options.trustedVpces) } : {}),
    ...(options.trustedFederated ? { federated: new Set(options.trustedFederated) } : {}),
    ...(inOrg && orgId ? { resourceOrgId: orgId } : {}),
  };
  byAccount.set(key, zone);
  return zone;
}

/** A zone built directly (tests, the corpus, callers without a snapshot). */
export function makeTrustZone(accountId: string, options: ZoneOptions = {}): TrustZone {
  return {
    accounts: new Set([accountId, ...(options.trustedAccounts ?? [])]),
    organizations: new Set(options.trustedOrganizations ?? []),
    ...(options.trustedVpcs ? { vpcs: new Set(options.trustedVpcs) } : {}),
    ...(options.trustedVpces ? { vpces: new Set(options.trustedVpces) } : {}),
    ...(options.trustedFederated ? { federated: new Set(options.trustedFederated) } : {}),
  };
}

/** Whether an organization path (`o-abc/r-ab12/ou-…/`) or id lies inside a trusted organization. */
export function orgInZone(zone: TrustZone, orgIdOrPath: string): boolean {
  const slash = orgIdOrPath.indexOf('/');
  return zone.organizations.has(slash === -1 ? orgIdOrPath : orgIdOrPath.slice(0, slash));
}
