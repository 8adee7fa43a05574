import type { Account, ManagedPolicy, OrgSnapshot, RolePrincipal } from '../model/account.js';

/**
 * A snapshot holding only what the policy sets of `roles` are made of (policiesForPrincipal): each
 * role with its inline policies and trust, the managed policies attached to it or bounding it, its
 * account's SCP and RCP levels and regions, and the organization. No users, groups, resources,
 * credential reports or last-accessed data.
 *
 * Why: per-role analyses (the register's actionsReachable) can then run on a worker thread, which
 * gets this copy by structured clone in a few milliseconds instead of loading the whole
 * organization again. Per-role answers over the subset are the same as over the whole snapshot
 * (tested), because nothing else goes into those roles' policy sets.
 */
export function snapshotForRoles(snapshot: OrgSnapshot, roles: readonly RolePrincipal[]): OrgSnapshot {
  const byAccount = new Map<string, RolePrincipal[]>();
  for (const role of roles) {
    const list = byAccount.get(role.accountId);
    if (list) list.push(role);
    else byAccount.set(role.accountId, [role]);
  }
  const accounts = new Map<string, Account>();
  for (const [id, list] of byAccount) {
    const account = snapshot.accounts.get(id);
    if (!account) continue;
    const managedPolicies = new Map<string, ManagedPolicy>();
    const keep = (arn: string) => {
      const policy = account.managedPolicies.get(arn);
      if (policy) managedPolicies.set(arn, policy);
    };
    for (const role of list) {
      for (const a of role.attachedPolicies) keep(a.arn);
      if (role.permissionsBoundary) keep(role.permissionsBoundary.arn);
    }
    const { credentialReport: _report, ...rest } = account;
    accounts.set(id, {
      ...rest,
      users: new Map(),
      groups: new Map(),
      roles: new Map(list.map((r) => [r.arn, r])),
      managedPolicies,
      resources: new Map(),
      lastAccessed: new Map(),
      gaps: [],
    });
  }
  return {
    ...snapshot,
    accounts,
    gaps: [],
    load: { ...snapshot.load, errors: [], skipped: [] },
  };
}
