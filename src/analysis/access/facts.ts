/**
 * The per-principal facts the access checks report, computed in one pass over the access model and
 * memoised per snapshot so every check shares it. Only the small derived facts are kept; the sets
 * live in scratch words reused for every principal (see word-sets.ts), and principals with the same
 * policy objects share one computation. Same definitions as `effectiveAccess` and `adminStatus`
 * (facts.test.ts compares them on the example organization and the synthetic one).
 */
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
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
import { guardrails } from './effective-access.js';
import { type AccessLayers, type AccessSubject, isServiceLinkedRole } from './layers.js';
import { type AccessEntry, accessModel, layersKey } from './model.js';
import { type PolicyActions, policyActions } from './policy-actions.js';
import {
  andWith,
  denseHas,
  fullWord,
  orInto,
  popcount,
  type SparseWords,
  sparseIntersectionIndices,
  sparseOf,
  sparseSubsetOf,
  wordCount,
} from './word-sets.js';

export interface PrincipalAccessFacts {
  readonly entry: AccessEntry;
  readonly admin?: AdminStatus;
  /** Sensitive services all of whose actions are allowed on `*`, sorted. */
  readonly wildcardServices: readonly string[];
  /** Constrainable actions of each category allowed on `*` (full names, sorted). */
  readonly categories: ReadonlyMap<RiskCategory, readonly string[]>;
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

/**
 * Dense scratch words, reused for every principal: the effective-access formulas of
 * `effective-access.ts` (onAll, possible, scoped, deniedOnAll) evaluated word by word, so an
 * organization's pass allocates nothing per principal but its results.
 */
class Scratch {
  readonly denied: Uint32Array;
  readonly onAll: Uint32Array;
  readonly possible: Uint32Array;
  readonly unconditional: Uint32Array;
  readonly owned: Uint32Array;
  readonly ownedDenied: Uint32Array;
  readonly size: number;
  constructor() {
    const n = wordCount();
    this.size = getCatalog().actionCount;
    this.denied = new Uint32Array(n);
    this.onAll = new Uint32Array(n);
    this.possible = new Uint32Array(n);
    this.unconditional = new Uint32Array(n);
    this.owned = new Uint32Array(n);
    this.ownedDenied = new Uint32Array(n);
  }
}

function unionInto(
  target: Uint32Array,
  policies: readonly StoredPolicy[],
  pick: (a: PolicyActions) => ActionSet,
): void {
  target.fill(0);
  for (const p of policies) orInto(target, sparseOf(pick(policyActions(p.policy))));
}

/** `target = target & guard & ~denied`. */
function restrict(target: Uint32Array, guard: ActionSet, denied: Uint32Array): void {
  andWith(target, sparseOf(guard));
  for (let i = 0; i < target.length; i++) target[i] = ((target[i] as number) & ~(denied[i] as number)) >>> 0;
}

/** `allowed ∪ denied` is every action (the test of `adminStatus`). */
function coversEverything(s: Scratch, allowed: Uint32Array, pm: SparseWords): boolean {
  const n = allowed.length;
  for (let i = 0; i < n; i++)
    if (((allowed[i] as number) | (s.denied[i] as number)) >>> 0 !== fullWord(i, n, s.size) >>> 0)
      return false;
  return sparseSubsetOf(pm, allowed);
}

function adminOf(s: Scratch, kind: AccessSubject['kind']): AdminStatus | undefined {
  const carvedOut = popcount(s.denied);
  const pm = sparseOf(iamPermissionsManagement());
  if (coversEverything(s, s.onAll, pm)) return { kind: 'full', conditional: false, actions: [], carvedOut };
  if (coversEverything(s, s.possible, pm)) {
    // `scoped` (unconditional minus onAll) is empty: unconditional ⊇ onAll, so they are equal.
    let scopedEmpty = true;
    for (let i = 0; i < s.onAll.length && scopedEmpty; i++) scopedEmpty = s.unconditional[i] === s.onAll[i];
    if (scopedEmpty) return { kind: 'full', conditional: true, actions: [], carvedOut };
  }
  const catalog = getCatalog();
  const actions = SELF_ESCALATION_ACTIONS[kind === 'root' ? 'user' : kind].filter((name) => {
    const info = catalog.lookupAction(name);
    return info !== undefined && denseHas(s.onAll, info.index);
  });
  if (actions.length > 0) return { kind: 'iam-write', conditional: false, actions, carvedOut };
  return undefined;
}

function sharedFacts(
  s: Scratch,
  layers: AccessLayers,
  kind: AccessSubject['kind'],
  withDetail: boolean,
): Shared {
  const guard = guardrails(layers);
  unionInto(s.denied, layers.identity, (a) => a.denyAll);
  orInto(s.denied, sparseOf(guard.deniedOnAll));
  unionInto(s.onAll, layers.identity, (a) => a.allowAll);
  unionInto(s.unconditional, layers.identity, (a) => a.allowSome);
  for (let i = 0; i < s.onAll.length; i++)
    s.unconditional[i] = ((s.unconditional[i] as number) | (s.onAll[i] as number)) >>> 0;
  restrict(s.onAll, guard.all, s.denied);
  restrict(s.unconditional, guard.all, s.denied);
  unionInto(s.possible, layers.identity, (a) => a.allowAny);
  restrict(s.possible, guard.any, s.denied);
  const admin = adminOf(s, kind);
  const wildcardServices: string[] = [];
  const categories = new Map<RiskCategory, readonly string[]>();
  if (withDetail) {
    for (const service of SENSITIVE_SERVICES) {
      const set = serviceActionSet(service);
      if (!set.isEmpty() && sparseSubsetOf(sparseOf(set), s.onAll)) wildcardServices.push(service);
    }
    // Categories count the grants of policies the account owner wrote (customer-managed and
    // inline): AWS managed job-function policies are reported by the admin and wildcard checks.
    // Their Deny statements are left out too, as `effectiveAccess` over the owned policies does.
    const owned = layers.identity.filter((p) => p.kind !== 'aws-managed');
    let ownedOnAll: Uint32Array | undefined;
    if (owned.length === layers.identity.length && owned.length > 0) ownedOnAll = s.onAll;
    else if (owned.length > 0) {
      unionInto(s.ownedDenied, owned, (a) => a.denyAll);
      orInto(s.ownedDenied, sparseOf(guard.deniedOnAll));
      unionInto(s.owned, owned, (a) => a.allowAll);
      restrict(s.owned, guard.all, s.ownedDenied);
      ownedOnAll = s.owned;
    }
    const catalog = getCatalog();
    for (const category of ownedOnAll ? CATEGORIES : []) {
      const hit = sparseIntersectionIndices(sparseOf(categoryActions(category)), ownedOnAll as Uint32Array);
      if (hit.length === 0) continue;
      categories.set(category, hit.map((i) => catalog.actionByIndex(i).fullName).sort());
    }
  }
  return { ...(admin ? { admin } : {}), wildcardServices, categories };
}

/**
 * Principals with the same policy objects in every layer (and the same kind) have the same facts:
 * computed once per distinct key.
 */
function factsOf(
  s: Scratch,
  memo: Map<string, Shared>,
  entry: AccessEntry,
  withDetail: boolean,
): PrincipalAccessFacts {
  const key = `${entry.subject.kind}|${layersKey(entry.layers)}`;
  let shared = memo.get(key);
  if (!shared) {
    shared = sharedFacts(s, entry.layers, entry.subject.kind, withDetail);
    memo.set(key, shared);
  }
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
  const scratch = new Scratch();
  const detailed = new Map<string, Shared>();
  const principals = model.principals
    .filter((e) => !isServiceLinkedRole(e.subject))
    .map((e) => factsOf(scratch, detailed, e, true));
  const plain = new Map<string, Shared>();
  const groups = model.groups.map((e) => factsOf(scratch, plain, e, false));
  const facts = { principals, groups };
  cache.set(snapshot, facts);
  return facts;
}
