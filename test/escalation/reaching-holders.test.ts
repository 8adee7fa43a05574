/**
 * reachingHolders (who-can's escalation search) against principalsReachingAny on the full graph:
 * the targeted search asks the graph builder only for edges into each level's nodes, and must list
 * the same principals with the same paths (hops, explanations, conditions) as the reverse search
 * over the whole graph, for several holder sets, on acme, a synthetic organization and a small
 * hand-made one with two-hop and group paths. The semantics under test are the graph's own (role
 * assumption through trust policies, policy writes, group membership):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../bench/generate-org.js';
import { whoCan } from '../../src/analysis/access/query.js';
import {
  builtEscalationGraph,
  escalationGraph,
  principalsReachingAny,
  reachingHolders,
} from '../../src/analysis/escalation/index.js';
import {
  FIXTURE_ACCOUNT as A,
  allow,
  SnapshotBuilder,
  trustAws,
} from '../../src/checks/testing/snapshot-builder.js';
import { loadSnapshot } from '../../src/collect/index.js';
import type { OrgSnapshot } from '../../src/model/account.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function principalArns(snapshot: OrgSnapshot): string[] {
  const out: string[] = [];
  for (const a of snapshot.accounts.values()) {
    for (const u of a.users.values()) out.push(u.arn);
    for (const r of a.roles.values()) out.push(r.arn);
  }
  return out;
}

/** Holder sets: who can do a few actions directly, and every n-th principal. */
function holderSets(snapshot: OrgSnapshot): Record<string, string[]> {
  const sets: Record<string, string[]> = Object.create(null);
  for (const action of ['iam:PassRole', 's3:GetObject', 'iam:CreateAccessKey', 'kms:Decrypt'])
    sets[action] = whoCan(snapshot, action).principals.map((p) => p.principal);
  const all = principalArns(snapshot);
  for (const n of [3, 11]) sets[`every ${n}th`] = all.filter((_, i) => i % n === 0);
  sets['one principal'] = all.slice(Math.floor(all.length / 2), Math.floor(all.length / 2) + 1);
  return sets;
}

interface Compared {
  readonly name: string;
  readonly targeted: string;
  readonly full: string;
  readonly listed: number;
}

/** Targeted answers first (no graph built yet), then the full graph's for the same holders. */
function compare(snapshot: OrgSnapshot): Compared[] {
  expect(builtEscalationGraph(snapshot)).toBeUndefined();
  const sets = holderSets(snapshot);
  const targeted = new Map<string, string>();
  for (const [name, holders] of Object.entries(sets)) {
    const { paths, nodeOf } = reachingHolders(snapshot, holders);
    const withNodes = paths.map((p) => ({ ...p, node: nodeOf(p.principal) }));
    targeted.set(name, JSON.stringify(withNodes));
  }
  const graph = escalationGraph(snapshot);
  return Object.entries(sets).map(([name, holders]) => {
    const paths = principalsReachingAny(snapshot, holders, { admin: false });
    const withNodes = paths.map((p) => ({ ...p, node: graph.nodes.get(p.principal) }));
    return {
      name,
      targeted: targeted.get(name) ?? '',
      full: JSON.stringify(withNodes),
      listed: paths.length,
    };
  });
}

describe('reachingHolders lists what principalsReachingAny lists on the full graph', () => {
  let dir: string;
  const cases: [string, () => Promise<OrgSnapshot>][] = [
    ['acme', async () => (await loadSnapshot([path.join(repoRoot, 'examples', 'acme')])).snapshot],
    ['a synthetic organization', async () => (await loadSnapshot([dir])).snapshot],
    [
      'a hand-made account with two-hop and group paths',
      async () => {
        const b = new SnapshotBuilder(A).withoutOrganization();
        const none = { password: false, keys: [] } as const;
        const role = (n: string) => `arn:aws:iam::${A}:role/${n}`;
        const group = `arn:aws:iam::${A}:group/assumers`;
        b.group('assumers', { inline: { p: allow('sts:AssumeRole', role('holder-role')) } });
        b.role('holder-role', { trust: trustAws(A), inline: { p: allow('iam:PassRole') } });
        b.role('middle', { trust: trustAws(A), inline: { p: allow('sts:AssumeRole', role('holder-role')) } });
        b.user('two-hops', { inline: { p: allow('sts:AssumeRole', role('middle')) }, credentials: none });
        b.user('joiner', { inline: { p: allow('iam:AddUserToGroup', group) }, credentials: none });
        b.user('self-writer', { inline: { p: allow('iam:PutUserPolicy') }, credentials: none });
        b.user('holder', { inline: { p: allow('iam:PassRole') }, credentials: none });
        // Conditional edges (MFA is not in the snapshot): found by the second, any-edge search; a
        // certain two-hop path wins over a conditional one-hop path.
        const mfa = { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
        b.user('mfa-assumer', {
          inline: { p: allow('sts:AssumeRole', role('holder-role'), mfa) },
          credentials: none,
        });
        b.user('picky', {
          inline: {
            p: allow('sts:AssumeRole', role('holder-role'), mfa),
            q: allow('sts:AssumeRole', role('middle')),
          },
          credentials: none,
        });
        return b.build();
      },
    ],
  ];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'leastpriv-reaching-'));
    generateOrg({ users: 80, roles: 240, policies: 160, accounts: 2, out: dir, seed: 11 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('on %s', async (_name, load) => {
    const snapshot = await load();
    const results = compare(snapshot);
    for (const r of results)
      expect({ name: r.name, paths: r.targeted }).toEqual({ name: r.name, paths: r.full });
    // The comparison is not vacuous: some holder set is reached by someone.
    expect(results.some((r) => r.listed > 0)).toBe(true);
  });
});
