/**
 * One principal's effective permissions by service and access level, for `leastpriv access`:
 * counts of actions allowed on every resource, on some resources, and only under a condition
 * (with the conditions), and whether the service was used within the unused-days window.
 */
import { ACCESS_LEVELS, getCatalog } from '../../catalog/index.js';
import type { AccessLevel, ActionSet } from '../../catalog/types.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { conditionText, grantsOf } from './evidence.js';
import { type AccessEntry, effectiveAccessOf } from './model.js';
import { denseInto, wordCount } from './word-sets.js';

export type LevelCounts = Readonly<Record<AccessLevel, number>>;

export type ServiceUsage = 'used' | 'unused' | 'unknown';

export interface ServiceAccess {
  readonly service: string;
  readonly all: LevelCounts;
  readonly scoped: LevelCounts;
  readonly conditional: LevelCounts;
  /** Some granted action may still be refused by a conditional or resource-scoped Deny. */
  readonly restricted: number;
  /** The conditions of the Allow statements behind conditional grants. */
  readonly conditions: readonly string[];
  readonly usage: ServiceUsage;
  readonly lastAccessed?: string;
}

export interface AccessSummary {
  readonly principal: string;
  readonly kind: 'user' | 'role' | 'root';
  readonly account: string;
  readonly services: readonly ServiceAccess[];
  /** Actions summary counts over every service. */
  readonly totals: { readonly all: number; readonly scoped: number; readonly conditional: number };
  readonly unusedDays: number;
  /** Whether service last-accessed data exists for the principal. */
  readonly usageKnown: boolean;
  readonly notes: readonly string[];
}

function emptyCounts(): Record<AccessLevel, number> {
  return { List: 0, Read: 0, Write: 0, 'Permissions management': 0, Tagging: 0 };
}

/**
 * Per service (the catalog is sorted by service, so each covers a run of words): its first word
 * and, per access level, the mask of its actions of that level over its words. Counting a set is
 * then a popcount per service word and level, not a lookup per action.
 */
interface ServiceMasks {
  readonly service: string;
  readonly first: number;
  /** One mask per ACCESS_LEVELS entry, over words first..first+length-1. */
  readonly levels: readonly Uint32Array[];
}

let tables: readonly ServiceMasks[] | undefined;

function serviceMasks(): readonly ServiceMasks[] {
  if (tables) return tables;
  const catalog = getCatalog();
  const out: { service: string; first: number; last: number; indices: number[] }[] = [];
  for (let i = 0; i < catalog.actionCount; i++) {
    const info = catalog.actionByIndex(i);
    let cur = out[out.length - 1];
    if (!cur || cur.service !== info.service) {
      cur = { service: info.service, first: i >>> 5, last: i >>> 5, indices: [] };
      out.push(cur);
    }
    cur.last = i >>> 5;
    cur.indices.push(i);
  }
  tables = out.map((s) => {
    const levels = ACCESS_LEVELS.map(() => new Uint32Array(s.last - s.first + 1));
    for (const i of s.indices) {
      const mask = levels[ACCESS_LEVELS.indexOf(catalog.actionByIndex(i).accessLevel)] as Uint32Array;
      const w = (i >>> 5) - s.first;
      mask[w] = ((mask[w] as number) | (1 << (i & 31))) >>> 0;
    }
    return { service: s.service, first: s.first, levels };
  });
  return tables;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Counts per service and access level, services in catalog order (as the set's indices meet them). */
function bucket(set: ActionSet, into: Map<string, Record<AccessLevel, number>>): void {
  if (set.isEmpty()) return;
  const words = scratchWords();
  denseInto(words, set);
  for (const s of serviceMasks()) {
    let counts: Record<AccessLevel, number> | undefined;
    for (let l = 0; l < ACCESS_LEVELS.length; l++) {
      const mask = s.levels[l] as Uint32Array;
      let n = 0;
      for (let w = 0; w < mask.length; w++) {
        const m = mask[w] as number;
        if (m !== 0) n += popcount32(((words[s.first + w] as number) & m) >>> 0);
      }
      if (n === 0) continue;
      if (!counts) {
        counts = into.get(s.service);
        if (!counts) {
          counts = emptyCounts();
          into.set(s.service, counts);
        }
      }
      counts[ACCESS_LEVELS[l] as AccessLevel] += n;
    }
  }
}

let scratch: Uint32Array | undefined;
function scratchWords(): Uint32Array {
  if (!scratch || scratch.length !== wordCount()) scratch = new Uint32Array(wordCount());
  return scratch;
}

export function accessSummary(
  snapshot: OrgSnapshot,
  entry: AccessEntry,
  options: { readonly unusedDays: number; readonly now: Date },
): AccessSummary {
  const identity = entry.subject as Identity;
  const access = effectiveAccessOf(entry);
  const all = new Map<string, Record<AccessLevel, number>>();
  const scoped = new Map<string, Record<AccessLevel, number>>();
  const conditional = new Map<string, Record<AccessLevel, number>>();
  bucket(access.onAll, all);
  bucket(access.scoped, scoped);
  bucket(access.conditional, conditional);
  const restrictedBy = new Map<string, number>();
  const catalog = getCatalog();
  const restrictedCounts = new Map<string, Record<AccessLevel, number>>();
  bucket(access.restricted, restrictedCounts);
  for (const [service, counts] of restrictedCounts)
    restrictedBy.set(
      service,
      Object.values(counts).reduce((a, b) => a + b, 0),
    );
  const lastAccessed = entry.account.lastAccessed.get(identity.arn);
  const used = new Map<string, string | null>();
  for (const s of lastAccessed?.services ?? []) used.set(s.namespace.toLowerCase(), s.lastAuthenticated);
  const cutoff = options.now.getTime() - options.unusedDays * 86_400_000;
  const services = [...new Set([...all.keys(), ...scoped.keys(), ...conditional.keys()])].sort();
  const out: ServiceAccess[] = services.map((service) => {
    const conditions = conditional.has(service)
      ? [
          ...new Set(
            grantsOf(entry.layers.identity, catalog.expandActionPattern(`${service}:*`).set)
              .filter((g) => g.kind === 'conditional')
              .map(
                (g) =>
                  `${g.policy.name}#${g.statement.sid ?? g.statement.index}: ${conditionText(g.statement)}`,
              ),
          ),
        ]
      : [];
    const last = used.get(service);
    const usage: ServiceUsage = !lastAccessed
      ? 'unknown'
      : last && Date.parse(last) >= cutoff
        ? 'used'
        : 'unused';
    return {
      service,
      all: all.get(service) ?? emptyCounts(),
      scoped: scoped.get(service) ?? emptyCounts(),
      conditional: conditional.get(service) ?? emptyCounts(),
      restricted: restrictedBy.get(service) ?? 0,
      conditions,
      usage,
      ...(last ? { lastAccessed: last } : {}),
    };
  });
  const notes: string[] = [];
  if (entry.layers.missing.length > 0)
    notes.push(`policies not in the snapshot: ${entry.layers.missing.join(', ')}`);
  if (entry.layers.unreadable.length > 0)
    notes.push(
      `policies with errors (the engine answers Unknown there): ${entry.layers.unreadable.join(', ')}`,
    );
  if (entry.layers.guardrailsUnknown) notes.push('SCPs of the account are unknown: they may deny more');
  notes.push(
    'resource policies that name the principal can grant more on their resources: ask `leastpriv can` for one resource',
  );
  return {
    principal: identity.arn,
    kind: identity.kind,
    account: identity.accountId,
    services: out,
    totals: {
      all: access.onAll.count(),
      scoped: access.scoped.count(),
      conditional: access.conditional.count(),
    },
    unusedDays: options.unusedDays,
    usageKnown: lastAccessed !== undefined,
    notes,
  };
}

export const LEVELS: readonly AccessLevel[] = ACCESS_LEVELS;
