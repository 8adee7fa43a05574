/**
 * The per-principal facts the access checks report, computed in one pass over the access model and
 * memoised per snapshot so every check shares it. Each policy's sets are packed words built once
 * (policy-actions.ts); a principal's sets are unions of those in scratch words reused for every
 * principal, touching only the words its policies name (word-sets.ts); principals with the same
 * policies share one computation. Only the small derived facts are kept (category hits as packed
 * words, names on demand). Same definitions as `effectiveAccess` and `adminStatus` (facts.test.ts
 * compares them on the example organization and the synthetic one).
 */
import { getCatalog } from '../../catalog/index.js';
import type { OrgSnapshot, StoredPolicy } from '../../model/account.js';
import type { AdminStatus } from './admin.js';
import {
  categoryActions,
  iamPermissionsManagement,
  type RiskCategory,
  SELF_ESCALATION_ACTIONS,
  SENSITIVE_SERVICES,
  serviceActionSet,
} from './categories.js';
import { type Guard, guardrails } from './effective-access.js';
import { type AccessLayers, type AccessSubject, isServiceLinkedRole } from './layers.js';
import { type AccessEntry, accessModel } from './model.js';
import { policyActions, policyWords } from './policy-actions.js';
import {
  denseHas,
  denseInto,
  fullWord,
  type PackedWords,
  packedOf,
  packedSubsetOf,
  WordAccumulator,
  wordCount,
} from './word-sets.js';

export interface PrincipalAccessFacts {
  readonly entry: AccessEntry;
  readonly admin?: AdminStatus;
  /** Sensitive services all of whose actions are allowed on `*`, sorted. */
  readonly wildcardServices: readonly string[];
  /**
   * Constrainable actions of each category allowed on `*`, as packed words (word-sets.ts); only
   * categories with some action are present. `categoryActionNames` lists them by name: most of these
   * sets belong to administrators, whom the category checks skip, so names are made on demand.
   */
  readonly categoryWords: ReadonlyMap<RiskCategory, PackedWords>;
  /** The summary is incomplete: a policy is missing or could not be read. */
  readonly incomplete: boolean;
}

export interface AccessFacts {
  /** Users and roles (service-linked roles excluded: AWS owns their policies). */
  readonly principals: readonly PrincipalAccessFacts[];
  readonly groups: readonly PrincipalAccessFacts[];
}

const CATEGORIES: readonly RiskCategory[] = [
  'credentials-exposure',
  'data-exfiltration',
  'resource-exposure',
  'infrastructure-modification',
];

const cache = new WeakMap<OrgSnapshot, AccessFacts>();

/** What a principal's facts depend on besides its layers: the self-escalation actions differ by kind. */
type Shared = Omit<PrincipalAccessFacts, 'entry' | 'incomplete'>;

const NO_SERVICES: readonly string[] = Object.freeze([]);
const NO_CATEGORY_WORDS: ReadonlyMap<RiskCategory, PackedWords> = new Map();

/**
 * Catalog-wide tables, built once per process: the sets the facts test against, dense or packed, and
 * each action's place in the sorted list of full names (category lists are sorted by name).
 */
interface Tables {
  readonly words: number;
  readonly full: Uint32Array;
  readonly iamPm: PackedWords;
  readonly services: readonly { readonly service: string; readonly words: PackedWords }[];
  readonly categories: readonly { readonly category: RiskCategory; readonly words: PackedWords }[];
  /** Per self-escalation kind: the list's names that are catalog actions, with their index. */
  readonly selfEscalation: Readonly<
    Record<'user' | 'role' | 'group', readonly (readonly [string, number])[]>
  >;
  readonly rank: Uint32Array;
  readonly byRank: readonly string[];
}

let tables: Tables | undefined;

function catalogTables(): Tables {
  if (tables) return tables;
  const catalog = getCatalog();
  const words = wordCount();
  const full = new Uint32Array(words);
  for (let i = 0; i < words; i++) full[i] = fullWord(i, words, catalog.actionCount);
  const services = SENSITIVE_SERVICES.map((service) => ({
    service,
    words: packedOf(serviceActionSet(service)),
  }));
  const categories = CATEGORIES.map((category) => ({ category, words: packedOf(categoryActions(category)) }));
  const selfEscalation = {} as Record<'user' | 'role' | 'group', (readonly [string, number])[]>;
  for (const kind of ['user', 'role', 'group'] as const) {
    selfEscalation[kind] = [];
    for (const name of SELF_ESCALATION_ACTIONS[kind]) {
      const info = catalog.lookupAction(name);
      if (info) selfEscalation[kind].push([name, info.index]);
    }
  }
  const names: { name: string; index: number }[] = [];
  for (let i = 0; i < catalog.actionCount; i++)
    names.push({ name: catalog.actionByIndex(i).fullName, index: i });
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rank = new Uint32Array(catalog.actionCount);
  names.forEach((n, r) => {
    rank[n.index] = r;
  });
  tables = {
    words,
    full,
    iamPm: packedOf(iamPermissionsManagement()),
    services,
    categories,
    selfEscalation,
    rank,
    byRank: names.map((n) => n.name),
  };
  return tables;
}

/** A guardrail combination's sets in the forms the passes read: dense for `and`, packed for `or`. */
export interface GuardWords {
  readonly all: Uint32Array;
  readonly any: Uint32Array;
  readonly deniedOnAll: PackedWords;
  readonly denyAny: PackedWords;
}

const guardWords = new WeakMap<Guard, GuardWords>();

export function guardWordsOf(guard: Guard): GuardWords {
  let hit = guardWords.get(guard);
  if (!hit) {
    const all = new Uint32Array(wordCount());
    const any = new Uint32Array(wordCount());
    denseInto(all, guard.all);
    denseInto(any, guard.any);
    hit = { all, any, deniedOnAll: packedOf(guard.deniedOnAll), denyAny: packedOf(guard.denyAny) };
    guardWords.set(guard, hit);
  }
  return hit;
}

/**
 * Scratch words reused for every principal: the effective-access formulas of `effective-access.ts`
 * (onAll, possible, scoped, deniedOnAll) evaluated over the words the principal's policies touch, so
 * a principal with a few statements costs a few words, and the pass allocates nothing per principal
 * but its results.
 */
class Scratch {
  readonly denied = new WordAccumulator();
  readonly onAll = new WordAccumulator();
  readonly possible = new WordAccumulator();
  readonly unconditional = new WordAccumulator();
  readonly owned = new WordAccumulator();
  readonly ownedDenied = new WordAccumulator();
  readonly pairs = new Uint32Array(2 * wordCount());

  reset(): void {
    this.denied.reset();
    this.onAll.reset();
    this.possible.reset();
    this.unconditional.reset();
    this.owned.reset();
    this.ownedDenied.reset();
  }
}

/**
 * `allowed ∪ denied` is every action and IAM's permissions management is in `allowed` (the test of
 * `adminStatus`). Words neither touched are zero, so fewer touched words than the catalog has rule it out.
 */
function coversEverything(t: Tables, allowed: WordAccumulator, denied: WordAccumulator): boolean {
  if (allowed.count + denied.count < t.words) return false;
  const a = allowed.dense;
  const d = denied.dense;
  const full = t.full;
  for (let i = 0; i < t.words; i++) if (((a[i] as number) | (d[i] as number)) >>> 0 !== full[i]) return false;
  return packedSubsetOf(t.iamPm, a);
}

function adminOf(
  t: Tables,
  s: Scratch,
  layers: AccessLayers,
  guard: GuardWords,
  kind: AccessSubject['kind'],
): AdminStatus | undefined {
  if (coversEverything(t, s.onAll, s.denied))
    return { kind: 'full', conditional: false, actions: [], carvedOut: s.denied.popcount() };
  // `possible` can only cover everything if the policies' Allow statements touch every word.
  let touched = s.denied.count;
  for (const p of layers.identity) touched += policyWords(p.policy).allowAny.length >>> 1;
  if (touched >= t.words) {
    for (const p of layers.identity) s.possible.or(policyWords(p.policy).allowAny);
    s.possible.restrict(guard.any, s.denied.dense);
    if (coversEverything(t, s.possible, s.denied)) {
      // `scoped` (unconditional minus onAll) is empty: unconditional ⊇ onAll, so they are equal.
      // Rare (conditional administrators): the resource-scoped grants come from the policy sets.
      s.unconditional.orAccumulator(s.onAll);
      for (const p of layers.identity) s.unconditional.or(packedOf(policyActions(p.policy).allowSome));
      s.unconditional.restrict(guard.all, s.denied.dense);
      let scopedEmpty = true;
      for (const i of s.unconditional.positions())
        if (s.unconditional.dense[i] !== s.onAll.dense[i]) {
          scopedEmpty = false;
          break;
        }
      if (scopedEmpty)
        return { kind: 'full', conditional: true, actions: [], carvedOut: s.denied.popcount() };
    }
  }
  const actions: string[] = [];
  for (const [name, index] of t.selfEscalation[kind === 'root' ? 'user' : kind])
    if (denseHas(s.onAll.dense, index)) actions.push(name);
  if (actions.length > 0)
    return { kind: 'iam-write', conditional: false, actions, carvedOut: s.denied.popcount() };
  return undefined;
}

/** `target = ∪ allowAll ∩ guard.all − (∪ denyAll ∪ guard.deniedOnAll)` over `policies`. */
function onAllOf(
  target: WordAccumulator,
  denied: WordAccumulator,
  policies: readonly StoredPolicy[],
  guard: GuardWords,
): void {
  denied.or(guard.deniedOnAll);
  for (const p of policies) {
    const w = policyWords(p.policy);
    denied.or(w.denyAll);
    target.or(w.allowAll);
  }
  target.restrict(guard.all, denied.dense);
}

function sharedFacts(
  t: Tables,
  s: Scratch,
  layers: AccessLayers,
  kind: AccessSubject['kind'],
  withDetail: boolean,
): Shared {
  s.reset();
  const guard = guardWordsOf(guardrails(layers));
  onAllOf(s.onAll, s.denied, layers.identity, guard);
  const admin = adminOf(t, s, layers, guard, kind);
  let wildcardServices = NO_SERVICES;
  let categoryWords = NO_CATEGORY_WORDS;
  if (withDetail) {
    if (s.onAll.count > 0) {
      const found: string[] = [];
      for (const { service, words } of t.services)
        if (words.length > 0 && packedSubsetOf(words, s.onAll.dense)) found.push(service);
      if (found.length > 0) wildcardServices = found;
    }
    // Categories count the grants of policies the account owner wrote (customer-managed and
    // inline): AWS managed job-function policies are reported by the admin and wildcard checks.
    // Their Deny statements are left out too, as `effectiveAccess` over the owned policies does.
    let owned: readonly StoredPolicy[] = layers.identity;
    let ownedOnAll: WordAccumulator | undefined = s.onAll;
    if (layers.identity.some((p) => p.kind === 'aws-managed')) {
      owned = layers.identity.filter((p) => p.kind !== 'aws-managed');
      ownedOnAll = undefined;
      if (owned.length > 0) {
        onAllOf(s.owned, s.ownedDenied, owned, guard);
        ownedOnAll = s.owned;
      }
    }
    if (owned.length > 0 && ownedOnAll && ownedOnAll.count > 0)
      categoryWords = categoriesOf(t, s, ownedOnAll);
  }
  return { ...(admin ? { admin } : {}), wildcardServices, categoryWords };
}

/**
 * The category actions in `onAll`, as packed words. Walks each category's own words (ascending, a
 * few dozen), so the result is sorted without sorting the principal's touched words.
 */
function categoriesOf(t: Tables, s: Scratch, onAll: WordAccumulator): ReadonlyMap<RiskCategory, PackedWords> {
  let out: Map<RiskCategory, PackedWords> | undefined;
  const pairs = s.pairs;
  const dense = onAll.dense;
  for (const { category, words } of t.categories) {
    let p = 0;
    for (let k = 0; k < words.length; k += 2) {
      const i = words[k] as number;
      const w = ((dense[i] as number) & (words[k + 1] as number)) >>> 0;
      if (w === 0) continue;
      pairs[p++] = i;
      pairs[p++] = w;
    }
    if (p === 0) continue;
    out ??= new Map();
    out.set(category, pairs.slice(0, p));
  }
  return out ?? NO_CATEGORY_WORDS;
}

const names = new WeakMap<PackedWords, readonly string[]>();

/**
 * The actions of a category set of the facts (`categoryWords`), full names sorted; one array per
 * set, so principals that share facts share it.
 */
export function categoryActionNames(words: PackedWords): readonly string[] {
  const hit = names.get(words);
  if (hit) return hit;
  const t = catalogTables();
  const ranks: number[] = [];
  for (let k = 0; k < words.length; k += 2) {
    const i = words[k] as number;
    let w = words[k + 1] as number;
    while (w !== 0) {
      const low = w & -w;
      ranks.push(t.rank[(i << 5) + (31 - Math.clz32(low))] as number);
      w = (w ^ low) >>> 0;
    }
  }
  // A typed array sorts numerically without a comparator call per pair.
  const sorted = Uint32Array.from(ranks).sort();
  const list = new Array<string>(sorted.length);
  for (let j = 0; j < sorted.length; j++) list[j] = t.byRank[sorted[j] as number] as string;
  names.set(words, list);
  return list;
}

/**
 * Principals with the same policies in every layer (and the same kind) have the same facts: computed
 * once per distinct combination. Combinations are found by a hash of the policies' identities and
 * confirmed by comparing the layers, not by a string key per principal.
 */
class SharedMemo {
  private readonly ids = new Map<object, number>();
  private readonly buckets = new Map<number, { readonly entry: AccessEntry; readonly shared: Shared }[]>();

  private id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(o, id);
    }
    return id;
  }

  private hash(entry: AccessEntry): number {
    const l = entry.layers;
    let h = entry.subject.kind.length;
    const mix = (v: number): void => {
      h = Math.imul(h ^ v, 0x9e3779b1) >>> 0;
    };
    mix(l.boundary ? l.boundary.length + 1 : 0);
    for (const p of l.boundary ?? []) mix(this.id(p));
    mix(l.scp ? this.id(l.scp) : 0);
    mix(l.rcp ? this.id(l.rcp) : 0);
    for (const p of l.identity) mix(this.id(p));
    return h;
  }

  get(entry: AccessEntry, compute: () => Shared): Shared {
    const h = this.hash(entry);
    let bucket = this.buckets.get(h);
    if (bucket) {
      for (const c of bucket) if (sameCombination(c.entry, entry)) return c.shared;
    } else {
      bucket = [];
      this.buckets.set(h, bucket);
    }
    const shared = compute();
    bucket.push({ entry, shared });
    return shared;
  }
}

function sameList(a: readonly StoredPolicy[] | undefined, b: readonly StoredPolicy[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameCombination(a: AccessEntry, b: AccessEntry): boolean {
  return (
    a.subject.kind === b.subject.kind &&
    a.layers.scp === b.layers.scp &&
    a.layers.rcp === b.layers.rcp &&
    sameList(a.layers.boundary, b.layers.boundary) &&
    sameList(a.layers.identity, b.layers.identity)
  );
}

function factsOf(
  t: Tables,
  s: Scratch,
  memo: SharedMemo,
  entry: AccessEntry,
  withDetail: boolean,
): PrincipalAccessFacts {
  const shared = memo.get(entry, () => sharedFacts(t, s, entry.layers, entry.subject.kind, withDetail));
  return {
    entry,
    ...shared,
    incomplete: entry.layers.missing.length > 0 || entry.layers.unreadable.length > 0,
  };
}

export function accessFacts(snapshot: OrgSnapshot): AccessFacts {
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const model = accessModel(snapshot);
  const t = catalogTables();
  const scratch = new Scratch();
  const detailed = new SharedMemo();
  const principals = model.principals
    .filter((e) => !isServiceLinkedRole(e.subject))
    .map((e) => factsOf(t, scratch, detailed, e, true));
  const plain = new SharedMemo();
  const groups = model.groups.map((e) => factsOf(t, scratch, plain, e, false));
  const facts = { principals, groups };
  cache.set(snapshot, facts);
  return facts;
}
