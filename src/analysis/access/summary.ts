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

/** Counts per service and access level, services in catalog order; services with no word set are skipped. */
function bucket(words: Uint32Array, into: Map<string, Record<AccessLevel, number>>): void {
  for (const s of serviceMasks()) {
    const span = (s.levels[0] as Uint32Array).length;
    let any = 0;
    for (let w = 0; w < span; w++) any |= words[s.first + w] as number;
    if (any === 0) continue;
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

export function accessSummary(
  snapshot: OrgSnapshot,
  entry: AccessEntry,
  options: { readonly unusedDays: number; readonly now: Date },
): AccessSummary {
  const identity = entry.subject as Identity;
  words ??= new AccessWords();
  const access = words.compute(entry.layers);
  const all = new Map<string, Record<AccessLevel, number>>();
  const scoped = new Map<string, Record<AccessLevel, number>>();
  const conditional = new Map<string, Record<AccessLevel, number>>();
  bucket(access.onAll, all);
  bucket(access.scoped, scoped);
  bucket(access.conditional, conditional);
  const restrictedBy = new Map<string, number>();
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
