/**
 * The query index's JSON codec against real loaded snapshots: every user, role, root and managed
 * policy must decode to what the loader made (deep-equal), policy documents the loader shares must
 * come back shared (and only those), the loader's one "no position" object must come back as
 * itself, anything JSON cannot carry must make the encoder throw, and attacker-controlled names
 * (tag keys, condition keys, Sids such as `__proto__`) must survive without touching prototypes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeAndGenerated } from '../../test/support/query-index-snapshots.js';
import { FIXTURE_ACCOUNT, SnapshotBuilder } from '../checks/testing/snapshot-builder.js';
import type { Identity, ManagedPolicy, OrgSnapshot, StoredPolicy } from '../model/account.js';
import { NO_POSITION } from '../model/issue.js';
import type { Policy } from '../model/policy.js';
import {
  decodeIdentity,
  decodeIdentityParts,
  decodeManagedPolicy,
  decodePolicy,
  encodeIdentity,
  encodeIdentityParts,
  encodeManagedPolicy,
  PolicyTable,
} from './codec.js';

const _acmeDir = new URL('../../examples/acme', import.meta.url).pathname;

/** A table numbering Action patterns as the builder does (first seen, first numbered). */
function newTable(): PolicyTable {
  const ids = new Map<string, number>();
  return new PolicyTable((pattern) => {
    let id = ids.get(pattern);
    if (id === undefined) {
      id = ids.size;
      ids.set(pattern, id);
    }
    return id;
  });
}

/** Decodes each policy id once and hands the same object back, as QueryIndex does. */
function decoderOf(table: PolicyTable): (id: number) => Policy {
  const decoded = new Map<number, Policy>();
  return (id) => {
    let policy = decoded.get(id);
    if (!policy) {
      const text = table.texts[id];
      if (text === undefined) throw new Error(`no policy ${id} in the table`);
      policy = decodePolicy(text);
      decoded.set(id, policy);
    }
    return policy;
  };
}

function identitiesOf(snapshot: OrgSnapshot): Identity[] {
  const out: Identity[] = [];
  for (const a of snapshot.accounts.values()) {
    out.push(a.root, ...a.users.values(), ...a.roles.values());
  }
  return out;
}

function managedOf(snapshot: OrgSnapshot): ManagedPolicy[] {
  return [...snapshot.accounts.values()].flatMap((a) => [...a.managedPolicies.values()]);
}

/** Every StoredPolicy of an identity or a managed policy, in a fixed order. */
function storedIn(value: Identity | ManagedPolicy): StoredPolicy[] {
  if ('kind' in value) {
    if (value.kind === 'root') return [];
    return [
      ...value.inlinePolicies,
      ...(value.kind === 'role' && value.trustPolicy ? [value.trustPolicy] : []),
    ];
  }
  return value.document ? [value.document] : [];
}

/** Paths (in both values) where the original holds the NO_POSITION object; fails where the shapes differ. */
function noPositionPaths(original: unknown, decoded: unknown, path: string, out: [string, unknown][]): void {
  if (original === NO_POSITION) {
    out.push([path, decoded]);
    return;
  }
  if (typeof original !== 'object' || original === null) return;
  if (original instanceof Map) {
    const d = decoded as Map<unknown, unknown>;
    for (const [k, v] of original) noPositionPaths(v, d.get(k), `${path}.get(${String(k)})`, out);
    return;
  }
  for (const [k, v] of Object.entries(original))
    noPositionPaths(v, (decoded as Record<string, unknown>)[k], `${path}.${k}`, out);
}

interface RoundTrip {
  readonly originals: (Identity | ManagedPolicy)[];
  readonly decoded: (Identity | ManagedPolicy)[];
  readonly table: PolicyTable;
}

/** Encodes every identity and managed policy through one table, then decodes them through one decoder. */
function roundTrip(snapshot: OrgSnapshot): RoundTrip {
  const table = newTable();
  const identities = identitiesOf(snapshot);
  const managed = managedOf(snapshot);
  const identityTexts = identities.map((i) => encodeIdentity(i, table));
  const managedTexts = managed.map((m) => encodeManagedPolicy(m, table));
  const byId = decoderOf(table);
  return {
    originals: [...identities, ...managed],
    decoded: [
      ...identityTexts.map((t) => decodeIdentity(t, byId)),
      ...managedTexts.map((t) => decodeManagedPolicy(t, byId)),
    ],
    table,
  };
}

const snapshots: Record<string, OrgSnapshot> = {};
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'leastpriv-codec-'));
  Object.assign(snapshots, await acmeAndGenerated(tmp, 4));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.each(['acme', 'generated org'])('the codec on %s', (name) => {
  let trip: RoundTrip;
  beforeAll(() => {
    trip = roundTrip(snapshots[name] as OrgSnapshot);
  });

  it('decodes every user, role, root and managed policy deep-equal to the loaded one', () => {
    expect(trip.originals.length).toBeGreaterThan(20);
    for (const [i, original] of trip.originals.entries()) expect(trip.decoded[i]).toEqual(original);
  });

  it('decodes users and roles from their two parts deep-equal, and from the core part with what who-can reads', () => {
    const table = newTable();
    const identities = identitiesOf(snapshots[name] as OrgSnapshot);
    const parts = identities.map((i) => encodeIdentityParts(i, table));
    const byId = decoderOf(table);
    for (const [i, original] of identities.entries()) {
      const { core, rest } = parts[i] as { core: string; rest: string };
      expect(decodeIdentityParts(core, rest, byId)).toEqual(original);
      const lean = decodeIdentityParts(core, undefined, byId) as unknown as Record<string, unknown>;
      const full = original as unknown as Record<string, unknown>;
      // The members who-can's layers, caller and context read; nothing else is decoded.
      for (const k of [
        'kind',
        'arn',
        'name',
        'accountId',
        'path',
        'tags',
        'attachedPolicies',
        'inlinePolicies',
        'permissionsBoundary',
        'groups',
      ])
        expect(lean[k], k).toEqual(full[k]);
      expect(lean.credentials).toBeUndefined();
      expect(lean.trustPolicy).toBeUndefined();
    }
  });

  it('rebuilds tags and credential-report cells as Maps', () => {
    let tags = 0;
    let raw = 0;
    for (const [i, original] of trip.originals.entries()) {
      if (!('kind' in original)) continue;
      const decoded = trip.decoded[i] as Identity;
      expect(decoded.tags).toBeInstanceOf(Map);
      tags += original.tags.size;
      if (original.kind !== 'role' && original.credentials) {
        const credentials = (decoded as typeof original).credentials;
        expect(credentials?.raw).toBeInstanceOf(Map);
        raw += original.credentials.raw.size;
      }
    }
    // The snapshot really has both kinds of Map, so the round trip above compared them.
    expect(raw).toBeGreaterThan(0);
    if (name === 'generated org') expect(tags).toBeGreaterThan(0);
  });

  it('shares a decoded policy document exactly where the loader shared the original', () => {
    const originals = trip.originals.flatMap(storedIn).map((s) => s.policy);
    const decoded = trip.decoded.flatMap(storedIn).map((s) => s.policy);
    expect(decoded).toHaveLength(originals.length);
    const firstSeen = new Map<Policy, number>();
    let shared = 0;
    for (const [i, policy] of originals.entries()) {
      const first = firstSeen.get(policy);
      if (first === undefined) {
        firstSeen.set(policy, i);
        // A document the original does not share is a distinct object after decoding too.
        expect(decoded.indexOf(decoded[i] as Policy)).toBe(i);
      } else {
        shared++;
        expect(decoded[i]).toBe(decoded[first]);
      }
    }
    // One text per distinct document: the table stored shared documents once.
    expect(trip.table.texts).toHaveLength(firstSeen.size);
    if (name === 'generated org') expect(shared).toBeGreaterThan(0);
  });

  it('puts the shared "no position" object back, not a look-alike', () => {
    const found: [string, unknown][] = [];
    for (const [i, original] of trip.originals.entries())
      noPositionPaths(original, trip.decoded[i], `#${i}`, found);
    expect(found.length).toBeGreaterThan(0);
    for (const [path, value] of found) expect(value, path).toBe(NO_POSITION);
  });
});

describe('the encoder refuses what JSON would read back differently', () => {
  const cases: [string, (identity: Identity) => unknown][] = [
    ['a Set in a principal', (i) => ({ ...i, groupsSeen: new Set(['a']) })],
    ['a Map that is not tags or raw cells', (i) => ({ ...i, extra: new Map([['a', 'b']]) })],
    ['a Map nested in another member', (i) => ({ ...i, nested: { inner: new Map([['a', 'b']]) } })],
    ['NaN', (i) => ({ ...i, maxSessionDuration: Number.NaN })],
    ['Infinity', (i) => ({ ...i, maxSessionDuration: Number.POSITIVE_INFINITY })],
  ];

  it.each(cases)('throws on %s in an identity', (_, change) => {
    const user = (snapshots.acme as OrgSnapshot).accounts.values().next().value?.users.values().next().value;
    expect(user).toBeDefined();
    expect(() => encodeIdentity(change(user as Identity) as Identity, newTable())).toThrow(
      /query index cannot store/,
    );
  });

  it('throws on a Set inside a policy document', () => {
    const managed = managedOf(snapshots.acme as OrgSnapshot).find((m) => m.document);
    const document = managed?.document as StoredPolicy;
    const policy = { ...document.policy, extra: new Set([1]) } as unknown as Policy;
    expect(() =>
      encodeManagedPolicy({ ...(managed as ManagedPolicy), document: { ...document, policy } }, newTable()),
    ).toThrow(/query index cannot store a Set/);
  });
});

describe('attacker-controlled names', () => {
  const names = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
  let user: Identity;

  beforeAll(async () => {
    // Own properties named __proto__ (an object literal would set the prototype instead).
    const tags = Object.fromEntries(names.map((n) => [n, `tag-${n}`]));
    const snapshot = await new SnapshotBuilder()
      .user('mallory', {
        tags,
        inline: Object.fromEntries([
          [
            '__proto__',
            {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'constructor',
                  Effect: 'Allow',
                  Action: 's3:GetObject',
                  Resource: '*',
                  Condition: {
                    StringEquals: JSON.parse('{"__proto__": "x", "aws:PrincipalTag/constructor": "y"}'),
                  },
                },
              ],
            },
          ],
        ]),
      })
      .build();
    const account = snapshot.accounts.get(FIXTURE_ACCOUNT);
    user = [...(account?.users.values() ?? [])].find((u) => u.name === 'mallory') as Identity;
  });

  it('keeps tag keys such as __proto__ and constructor as Map entries through the round trip', () => {
    expect([...user.tags.keys()].sort()).toEqual([...names].sort());
    const table = newTable();
    const decoded = decodeIdentity(encodeIdentity(user, table), decoderOf(table));
    expect(decoded).toEqual(user);
    expect(decoded.tags).toBeInstanceOf(Map);
    for (const n of names) expect(decoded.tags.get(n)).toBe(`tag-${n}`);
    expect([...decoded.tags.entries()]).toEqual([...user.tags.entries()]);
  });

  it('keeps a member named __proto__ in a tampered rest part a plain member', () => {
    const table = newTable();
    const [identity] = identitiesOf(snapshots.acme as OrgSnapshot);
    const { core } = encodeIdentityParts(identity as Identity, table);
    const decoded = decodeIdentityParts(
      core,
      '{"__proto__": {"polluted": true}, "human": true}',
      decoderOf(table),
    );
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect((decoded as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('pollutes no prototype and gives the decoded objects their ordinary prototypes', () => {
    const table = newTable();
    const decoded = decodeIdentity(encodeIdentity(user, table), decoderOf(table));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(decoded.tags)).toBe(Map.prototype);
    const probe: Record<string, unknown> = {};
    const inherited: string[] = [];
    for (const k in probe) inherited.push(k);
    expect(inherited).toEqual([]);
    expect(probe.constructor).toBe(Object);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('tag-__proto__');
    for (const n of names) expect(Object.getOwnPropertyDescriptor(decoded.tags, n)).toBeUndefined();
    const [inline] = (decoded as { readonly inlinePolicies: readonly StoredPolicy[] }).inlinePolicies;
    expect(inline?.name).toBe('__proto__');
    const statement = inline?.policy.statements[0];
    expect(statement?.sid).toBe('constructor');
    expect(statement?.conditions.map((c) => c.key).sort()).toEqual([
      '__proto__',
      'aws:PrincipalTag/constructor',
    ]);
    expect(Object.getPrototypeOf(statement)).toBe(Object.prototype);
  });
});
