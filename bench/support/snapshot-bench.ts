/**
 * What the analysis benches share: load a snapshot (timed, after the catalogue so its load is not
 * counted), count what is in it, and compile every policy once (the engine caches compiled policies
 * per policy object, so the analysis measured next does not pay for compiling them).
 */
import type { OrgSnapshot } from '../../src/model/account.js';

export interface LoadedForBench {
  readonly snapshot: OrgSnapshot;
  readonly loadMs: number;
  readonly users: number;
  readonly roles: number;
  readonly groups: number;
  readonly policies: number;
  readonly resourcePolicies: number;
}

export async function loadForBench(dir: string): Promise<LoadedForBench> {
  const { loadSnapshot } = await import('../../src/collect/index.js');
  const { getCatalog } = await import('../../src/catalog/index.js');
  getCatalog();
  const t = performance.now();
  const { snapshot } = await loadSnapshot([dir]);
  const loadMs = performance.now() - t;
  let users = 0;
  let roles = 0;
  let groups = 0;
  let policies = 0;
  let resourcePolicies = 0;
  for (const a of snapshot.accounts.values()) {
    users += a.users.size;
    roles += a.roles.size;
    groups += a.groups.size;
    policies += a.managedPolicies.size;
    for (const r of a.resources.values()) if (r.policy) resourcePolicies++;
  }
  return { snapshot, loadMs, users, roles, groups, policies, resourcePolicies };
}

/** Compiles every managed, inline and trust policy once; returns the milliseconds it took. */
export async function compileAll(snapshot: OrgSnapshot): Promise<number> {
  const { compilePolicy } = await import('../../src/policy/evaluate/index.js');
  const t = performance.now();
  for (const a of snapshot.accounts.values()) {
    for (const m of a.managedPolicies.values()) if (m.document) compilePolicy(m.document);
    for (const p of [...a.users.values(), ...a.roles.values(), ...a.groups.values()])
      for (const d of p.inlinePolicies) compilePolicy(d);
    for (const r of a.roles.values()) if (r.trustPolicy) compilePolicy(r.trustPolicy);
  }
  return performance.now() - t;
}
