/**
 * One principal's effective permissions by service and access level, for `leastpriv access`:
 * counts of actions allowed on every resource, on some resources, and only under a condition
 * (with the conditions), and whether the service was used within the unused-days window.
 */
import { ACCESS_LEVELS, getCatalog } from '../../catalog/index.js';
import type { AccessLevel } from '../../catalog/types.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { serviceActionSet } from './categories.js';
import { guardrails } from './effective-access.js';
import { conditionText, grantsOfWords } from './evidence.js';
import { guardWordsOf } from './facts.js';
import type { AccessLayers } from './layers.js';
import type { AccessEntry } from './model.js';
import { policySummaryWords, policyWords } from './policy-actions.js';
import { packedOf, popcount, WordAccumulator, wordCount } from './word-sets.js';

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

/** One service's share of one catalog word: the masks of its actions there, one per access level. */
interface WordShare {
  /** Index into serviceMasks(). */
  readonly service: number;
  readonly levels: Uint32Array;
}

let sharesByWord: readonly (readonly WordShare[] | undefined)[] | undefined;

/**
 * Per catalog word, the services with actions in it (in catalog order): an identity's words are
 * mostly zero, so counting walks its set words instead of every service of the catalog.
 */
function wordShares(): readonly (readonly WordShare[] | undefined)[] {
  if (sharesByWord) return sharesByWord;
  const out: WordShare[][] = [];
  for (const [service, s] of serviceMasks().entries()) {
    const span = (s.levels[0] as Uint32Array).length;
    for (let w = 0; w < span; w++) {
      const levels = Uint32Array.from(s.levels, (mask) => mask[w] as number);
      const at = s.first + w;
      const list = out[at] ?? [];
      list.push({ service, levels });
      out[at] = list;
    }
  }
  sharesByWord = out;
  return out;
}

/** The views counted per service and level: allowed on all resources, scoped, conditional, restricted. */
const VIEWS = 4;
const LEVEL_COUNT = ACCESS_LEVELS.length;

/**
 * Action counts per service, view and access level for one identity, in a scratch array reused for
 * every identity (the HTML report asks for thousands): one pass over the set words of the four
 * views, and the services touched listed in catalog order.
 */
class ServiceCounts {
  readonly counts: Int32Array;
  readonly touched: number[] = [];
  private readonly seen: Uint8Array;

  constructor(services: number) {
    this.counts = new Int32Array(services * VIEWS * LEVEL_COUNT);
    this.seen = new Uint8Array(services);
  }

  count(views: readonly Uint32Array[]): this {
    for (const s of this.touched) {
      this.seen[s] = 0;
      this.counts.fill(0, s * VIEWS * LEVEL_COUNT, (s + 1) * VIEWS * LEVEL_COUNT);
    }
    this.touched.length = 0;
    const shares = wordShares();
    const [v0, v1, v2, v3] = views as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    for (let w = 0; w < v0.length; w++) {
      const any = (v0[w] as number) | (v1[w] as number) | (v2[w] as number) | (v3[w] as number);
      if (any === 0) continue;
      const list = shares[w];
      if (!list) continue;
      for (const share of list) {
        const base = share.service * VIEWS * LEVEL_COUNT;
        let hit = false;
        for (let v = 0; v < VIEWS; v++) {
          const word = (views[v] as Uint32Array)[w] as number;
          if (word === 0) continue;
          for (let l = 0; l < LEVEL_COUNT; l++) {
            const m = share.levels[l] as number;
            if (m === 0) continue;
            const n = popcount32((word & m) >>> 0);
            if (n === 0) continue;
            this.counts[base + v * LEVEL_COUNT + l]! += n;
            hit = true;
          }
        }
        if (hit && this.seen[share.service] === 0) {
          this.seen[share.service] = 1;
          this.touched.push(share.service);
        }
      }
    }
    return this;
  }

  /** The view's counts of a service by level, or undefined when it has none there. */
  levels(service: number, view: number): Record<AccessLevel, number> | undefined {
    const at = service * VIEWS * LEVEL_COUNT + view * LEVEL_COUNT;
    let any = 0;
    for (let l = 0; l < LEVEL_COUNT; l++) any |= this.counts[at + l] as number;
    if (any === 0) return undefined;
    const out = emptyCounts();
    for (let l = 0; l < LEVEL_COUNT; l++)
      out[ACCESS_LEVELS[l] as AccessLevel] = this.counts[at + l] as number;
    return out;
  }

  /** The view's count of a service over every level. */
  total(service: number, view: number): number {
    const at = service * VIEWS * LEVEL_COUNT + view * LEVEL_COUNT;
    let n = 0;
    for (let l = 0; l < LEVEL_COUNT; l++) n += this.counts[at + l] as number;
    return n;
  }
}

/**
 * One identity's effective access as dense words (the formulas of `effective-access.ts`), in
 * scratch arrays reused for every identity: the HTML report asks for all of them.
 */
class AccessWords {
  private readonly denied = new WordAccumulator();
  private readonly denyAny = new WordAccumulator();
  private readonly allowAll = new WordAccumulator();
  private readonly unconditional = new WordAccumulator();
  private readonly possible = new WordAccumulator();
  readonly scoped = new Uint32Array(wordCount());
  readonly conditional = new Uint32Array(wordCount());
  readonly restricted = new Uint32Array(wordCount());

  get onAll(): Uint32Array {
    return this.allowAll.dense;
  }

  compute(layers: AccessLayers): this {
    for (const acc of [this.denied, this.denyAny, this.allowAll, this.unconditional, this.possible])
      acc.reset();
    const guard = guardWordsOf(guardrails(layers));
    this.denied.or(guard.deniedOnAll);
    this.denyAny.or(guard.denyAny);
    for (const p of layers.identity) {
      const w = policyWords(p.policy);
      const extra = policySummaryWords(p.policy);
      this.denied.or(w.denyAll);
      this.denyAny.or(extra.denyAny);
      this.allowAll.or(w.allowAll);
      this.unconditional.or(w.allowAll);
      this.unconditional.or(extra.allowSome);
      this.possible.or(w.allowAny);
    }
    const denied = this.denied.dense;
    this.allowAll.restrict(guard.all, denied);
    this.unconditional.restrict(guard.all, denied);
    this.possible.restrict(guard.any, denied);
    const a = this.allowAll.dense;
    const u = this.unconditional.dense;
    const p = this.possible.dense;
    const d = this.denyAny.dense;
    for (let i = 0; i < a.length; i++) {
      this.scoped[i] = ((u[i] as number) & ~(a[i] as number)) >>> 0;
      this.conditional[i] = ((p[i] as number) & ~(u[i] as number)) >>> 0;
      this.restricted[i] = ((p[i] as number) & (d[i] as number) & ~(denied[i] as number)) >>> 0;
    }
    return this;
  }
}

let words: AccessWords | undefined;
let serviceCounts: ServiceCounts | undefined;

export function accessSummary(
  snapshot: OrgSnapshot,
  entry: AccessEntry,
  options: {
    readonly unusedDays: number;
    readonly now: Date;
    /**
     * Default true. False leaves `conditions` empty: a caller that shows only counts (the HTML
     * report's pages, thousands of identities) skips finding and printing the conditional grants.
     */
    readonly conditions?: boolean;
  },
): AccessSummary {
  const identity = entry.subject as Identity;
  words ??= new AccessWords();
  const access = words.compute(entry.layers);
  serviceCounts ??= new ServiceCounts(serviceMasks().length);
  const counted = serviceCounts.count([access.onAll, access.scoped, access.conditional, access.restricted]);
  const masks = serviceMasks();
  const all = new Map<string, Record<AccessLevel, number>>();
  const scoped = new Map<string, Record<AccessLevel, number>>();
  const conditional = new Map<string, Record<AccessLevel, number>>();
  const restrictedBy = new Map<string, number>();
  for (const s of counted.touched) {
    const service = (masks[s] as ServiceMasks).service;
    const a = counted.levels(s, 0);
    if (a) all.set(service, a);
    const sc = counted.levels(s, 1);
    if (sc) scoped.set(service, sc);
    const c = counted.levels(s, 2);
    if (c) conditional.set(service, c);
    const r = counted.total(s, 3);
    if (r > 0) restrictedBy.set(service, r);
  }
  const lastAccessed = entry.account.lastAccessed.get(identity.arn);
  const used = new Map<string, string | null>();
  for (const s of lastAccessed?.services ?? []) used.set(s.namespace.toLowerCase(), s.lastAuthenticated);
  const cutoff = options.now.getTime() - options.unusedDays * 86_400_000;
  const services = [...new Set([...all.keys(), ...scoped.keys(), ...conditional.keys()])].sort();
  const out: ServiceAccess[] = services.map((service) => {
    const conditions =
      options.conditions !== false && conditional.has(service)
        ? [
            ...new Set(
              grantsOfWords(entry.layers.identity, packedOf(serviceActionSet(service)))
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
      all: popcount(access.onAll),
      scoped: popcount(access.scoped),
      conditional: popcount(access.conditional),
    },
    unusedDays: options.unusedDays,
    usageKnown: lastAccessed !== undefined,
    notes,
  };
}

export const LEVELS: readonly AccessLevel[] = ACCESS_LEVELS;
