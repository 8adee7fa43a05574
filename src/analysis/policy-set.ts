import type {
  Account,
  GroupPrincipal,
  Identity,
  OrgSnapshot,
  PolicyAttachment,
  StoredPolicy,
  UserPrincipal,
} from '../model/account.js';
import type { PolicySet } from '../policy/evaluate/index.js';

/**
 * The policies that govern what one identity can do, gathered from the snapshot: its own inline and
 * attached policies, those of its groups, its permissions boundary, and the SCP/RCP levels of its
 * account. Every analysis asks the engine through this one function so they all agree.
 */
export interface PrincipalPolicies {
  readonly set: PolicySet<StoredPolicy>;
  /** Attachments whose document the snapshot does not have: the analysis is incomplete for this principal. */
  readonly missing: readonly string[];
  /** SCPs/RCPs could not be read for the account: guardrails are unknown. */
  readonly guardrailsUnknown: boolean;
}

export function findAccount(snapshot: OrgSnapshot, accountId: string): Account | undefined {
  return snapshot.accounts.get(accountId);
}

/**
 * Groups by name, per account's (read-only) group map: built once, not once per user (every
 * analysis asks for the policies of every user). The size guards against a map built by hand and
 * grown after a first call (test snapshots).
 */
const groupIndex = new WeakMap<ReadonlyMap<string, GroupPrincipal>, Map<string, GroupPrincipal>>();

function groupsByName(account: Account): ReadonlyMap<string, GroupPrincipal> {
  let byName = groupIndex.get(account.groups);
  if (byName === undefined || byName.size !== account.groups.size) {
    byName = new Map();
    for (const g of account.groups.values()) byName.set(g.name, g);
    groupIndex.set(account.groups, byName);
  }
  return byName;
}

/** The groups a user belongs to, by the names the export lists. */
export function groupsOf(account: Account, user: UserPrincipal): GroupPrincipal[] {
  const byName = groupsByName(account);
  const out: GroupPrincipal[] = [];
  for (const name of user.groups) {
    const g = byName.get(name);
    if (g) out.push(g);
  }
  return out;
}

function resolve(
  account: Account,
  attachments: readonly PolicyAttachment[],
  missing: string[],
): StoredPolicy[] {
  const out: StoredPolicy[] = [];
  for (const a of attachments) {
    const doc = account.managedPolicies.get(a.arn)?.document;
    if (doc) out.push(doc);
    else missing.push(a.arn);
  }
  return out;
}

export function policiesForPrincipal(snapshot: OrgSnapshot, principal: Identity): PrincipalPolicies {
  const account = snapshot.accounts.get(principal.accountId);
  const missing: string[] = [];
  if (!account) return { set: {}, missing: [`account ${principal.accountId}`], guardrailsUnknown: true };
  const identity: StoredPolicy[] = [];
  let boundary: StoredPolicy[] | undefined;
  if (principal.kind === 'user' || principal.kind === 'role') {
    identity.push(...principal.inlinePolicies, ...resolve(account, principal.attachedPolicies, missing));
    if (principal.permissionsBoundary) boundary = resolve(account, [principal.permissionsBoundary], missing);
  }
  if (principal.kind === 'user') {
    for (const g of groupsOf(account, principal)) {
      identity.push(...g.inlinePolicies, ...resolve(account, g.attachedPolicies, missing));
    }
  }
  const set: PolicySet<StoredPolicy> = {
    identity,
    ...(boundary ? { boundary } : {}),
    ...(account.scpState === 'known' && account.scpLevels.length > 0 ? { scp: account.scpLevels } : {}),
    ...(account.rcpState === 'known' && account.rcpLevels.length > 0 ? { rcp: account.rcpLevels } : {}),
  };
  return { set, missing, guardrailsUnknown: account.scpState === 'unknown' };
}

/** Every user and role in the snapshot (root is handled by the checks that concern it). */
export function* identities(snapshot: OrgSnapshot): Iterable<Identity> {
  for (const account of snapshot.accounts.values()) {
    yield* account.users.values();
    yield* account.roles.values();
  }
}
