import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOrg } from '../../bench/generate-org.js';
import { loadSnapshot } from '../collect/index.js';
import type { OrgSnapshot } from '../model/account.js';
import { snapshotForRoles } from './snapshot-subset.js';
import { actionsReachable, registerRoles, thirdPartyAccess } from './third-party.js';

const root = resolve(import.meta.dirname, '..', '..');

/** What the audit's register thread does: summarise each register role over a structured clone of the subset. */
function overSubset(snapshot: OrgSnapshot) {
  const roles = registerRoles(snapshot);
  const copy = structuredClone(snapshotForRoles(snapshot, roles));
  return roles.map((role) => {
    const there = copy.accounts.get(role.accountId)?.roles.get(role.arn);
    expect(there, role.arn).toBeDefined();
    return { role, subset: actionsReachable(copy, there!), whole: actionsReachable(snapshot, role) };
  });
}

describe('snapshotForRoles', () => {
  it('gives every register role of the example organization the same summary as the whole snapshot', async () => {
    const { snapshot } = await loadSnapshot([join(root, 'examples', 'acme')]);
    const results = overSubset(snapshot);
    // Every row of the register is one of these roles.
    const rows = thirdPartyAccess(snapshot);
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(results.map((r) => r.role.arn)));
    expect(results.length).toBeGreaterThan(5);
    for (const r of results) expect(r.subset, r.role.arn).toEqual(r.whole);
  });

  it('does the same on a generated organization (boundaries, SCPs, shared managed policies)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leastpriv-subset-'));
    try {
      generateOrg({ users: 20, roles: 600, policies: 80, out: dir, seed: 7 });
      const { snapshot } = await loadSnapshot([dir]);
      const results = overSubset(snapshot);
      expect(results.length).toBeGreaterThan(10);
      for (const r of results) expect(r.subset, r.role.arn).toEqual(r.whole);
      // The copy holds only those roles and the managed policies they use.
      const subset = snapshotForRoles(snapshot, registerRoles(snapshot));
      const roles = [...subset.accounts.values()].reduce((n, a) => n + a.roles.size, 0);
      expect(roles).toBe(results.length);
      for (const a of subset.accounts.values()) {
        expect(a.users.size + a.groups.size + a.resources.size).toBe(0);
        expect(a.managedPolicies.size).toBeLessThan(snapshot.accounts.get(a.id)!.managedPolicies.size);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
