/**
 * What one policy document allows and denies, as bitsets over the catalog's action index: the
 * building blocks of the effective-access summary. Computed once per parsed `Policy` object (AWS
 * managed policies are shared by every principal they are attached to, so each is expanded once).
 *
 * These sets describe Action/NotAction only. Resources are reduced to "every resource" (a literal
 * `*` in `Resource`) or "some resources"; conditions to "has conditions". Precise answers for one
 * action on one resource go through the engine (`evaluate`/`explain`).
 */
import { ActionSetBuilder } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { Policy, Statement } from '../../model/policy.js';
import {
  EMPTY_PACKED,
  type PackedWords,
  packedIntersectsDense,
  packedOf,
  packedUnion,
  WordAccumulator,
} from './word-sets.js';

export interface PolicyActions {
  /** Unconditional Allow with `Resource: "*"`. */
  readonly allowAll: ActionSet;
  /** Unconditional Allow on some resources only (named resources, patterns other than `*`, NotResource). */
  readonly allowSome: ActionSet;
  /** Allow statements with conditions (any resource). */
  readonly allowConditional: ActionSet;
  /** Unconditional Deny on `*`: these actions are denied everywhere, always. */
  readonly denyAll: ActionSet;
  /** Every Deny statement's actions (conditional or resource-scoped ones included). */
  readonly denyAny: ActionSet;
  /** Every action some Allow statement names, whatever its resource or condition. */
  readonly allowAny: ActionSet;
}

/**
 * Statement sets are kept per parsed statement: evidence and `who-can` ask for them again for every
 * principal a shared managed policy is attached to, and the catalog's pattern cache is bounded.
 */
const statementCache = new WeakMap<Statement, ActionSet>();

/** The catalog actions one statement's Action/NotAction covers (NotAction already complemented). */
export function statementActions(statement: Statement): ActionSet {
  let hit = statementCache.get(statement);
  if (hit === undefined) {
    hit = computeStatementActions(statement);
    statementCache.set(statement, hit);
  }
  return hit;
}

function computeStatementActions(statement: Statement): ActionSet {
  const catalog = getCatalog();
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return catalog.emptySet();
  let set: ActionSet;
  if (patterns.length === 1) set = catalog.expandActionPattern(patterns[0] as string).set;
  else {
    // One builder, not a new 22,000-bit set per pattern: statements list dozens of actions.
    builder ??= new ActionSetBuilder(catalog.actionCount);
    for (const p of patterns) builder.addSet(catalog.expandActionPattern(p).set);
    set = builder.build();
  }
  return statement.action ? set : set.complement();
}

/** Reused: `build()` hands its words to the set and starts afresh, so nothing leaks between sets. */
let builder: ActionSetBuilder | undefined;

/**
 * The same set as `statementActions`, packed (see word-sets.ts): what the organization-wide passes
 * (access facts, finding evidence) keep per statement. Exact action names are looked up, not
 * expanded, so a statement listing fifty actions does not make fifty catalog sets.
 */
const statementWordsCache = new WeakMap<Statement, PackedWords>();
let scratch: WordAccumulator | undefined;

export function statementWords(statement: Statement): PackedWords {
  let hit = statementWordsCache.get(statement);
  if (hit === undefined) {
    hit = computeStatementWords(statement);
    statementWordsCache.set(statement, hit);
  }
  return hit;
}

function computeStatementWords(statement: Statement): PackedWords {
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return EMPTY_PACKED;
  if (patterns.length === 1 && statement.action)
    return packedOf(getCatalog().expandActionPattern(patterns[0] as string).set);
  scratch ??= new WordAccumulator();
  const acc = scratch;
  statementInto(statement, acc);
  const words = acc.pack();
  acc.reset();
  return words;
}

/** Writes the statement's Action/NotAction set (NotAction complemented) into `acc`, after a reset. */
function statementInto(statement: Statement, acc: WordAccumulator): void {
  acc.reset();
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return;
  const catalog = getCatalog();
  for (const p of patterns) {
    // Without `*` or `?` a pattern names one action or none: the catalog expands it the same way.
    if (!p.includes('*') && !p.includes('?')) {
      const index = actionIndexOf(p);
      if (index >= 0) acc.addIndex(index);
    } else acc.or(packedOf(catalog.expandActionPattern(p).set));
  }
  if (!statement.action) acc.complement();
}

const FEW_PATTERNS = 8;

/**
 * Whether the statement's Action/NotAction names some action of `actions` (dense words): the test
 * of `packedIntersects(statementWords(s), …)` without building the set of a statement of a few
 * actions, for evidence over thousands of findings. NotAction statements use their cached set.
 */
export function statementIntersects(statement: Statement, actions: Uint32Array): boolean {
  const patterns = statement.action;
  // Long lists (AWS's managed policies, shared by many principals) are worth their cached set.
  if (!patterns || patterns.length > FEW_PATTERNS)
    return packedIntersectsDense(statementWords(statement), actions);
  const catalog = getCatalog();
  for (const p of patterns) {
    if (!p.includes('*') && !p.includes('?')) {
      const index = actionIndexOf(p);
      if (index >= 0 && (((actions[index >>> 5] as number) >>> (index & 31)) & 1) === 1) return true;
    } else if (packedIntersectsDense(packedOf(catalog.expandActionPattern(p).set), actions)) return true;
  }
  return false;
}

/**
 * Catalog index of an action name as written (-1: none). Policies repeat the same few thousand
 * names; the catalog lower-cases each one it is asked about, so the written form is remembered.
 * Bounded: policy text is attacker-controlled.
 */
const INDEX_CACHE_LIMIT = 65536;
const indexByName = new Map<string, number>();

function actionIndexOf(name: string): number {
  let index = indexByName.get(name);
  if (index === undefined) {
    index = getCatalog().lookupAction(name)?.index ?? -1;
    if (indexByName.size >= INDEX_CACHE_LIMIT) indexByName.clear();
    indexByName.set(name, index);
  }
  return index;
}

/** Whether the statement's Action/NotAction covers one catalog action. */
export function statementNamesAction(statement: Statement, actionIndex: number): boolean {
  return statementActions(statement).has(actionIndex);
}

/** `Resource` contains a literal `*`: the statement applies to every resource. */
export function statementOnAllResources(statement: Statement): boolean {
  return statement.resource?.includes('*') === true;
}

/** No Resource and no NotResource: a trust policy's statement, or an invalid identity statement. */
function statementHasResource(statement: Statement): boolean {
  return statement.resource !== undefined || statement.notResource !== undefined;
}

const cache = new WeakMap<Policy, PolicyActions>();

export function policyActions(policy: Policy): PolicyActions {
  const hit = cache.get(policy);
  if (hit) return hit;
  const allowAllSets: ActionSet[] = [];
  const allowSomeSets: ActionSet[] = [];
  const allowConditionalSets: ActionSet[] = [];
  const denyAllSets: ActionSet[] = [];
  const denyAnySets: ActionSet[] = [];
  for (const s of policy.statements) {
    // A statement without Resource matches nothing in an identity-side evaluation.
    if (!statementHasResource(s)) continue;
    const set = statementActions(s);
    if (set.isEmpty()) continue;
    const onAll = statementOnAllResources(s);
    const conditional = s.conditions.length > 0;
    if (s.effect === 'Allow') {
      if (conditional) allowConditionalSets.push(set);
      else if (onAll) allowAllSets.push(set);
      else allowSomeSets.push(set);
    } else {
      denyAnySets.push(set);
      if (onAll && !conditional) denyAllSets.push(set);
    }
  }
  const allowAll = unionAll(allowAllSets);
  const allowSome = unionAll(allowSomeSets);
  const allowConditional = unionAll(allowConditionalSets);
  const denyAll = unionAll(denyAllSets);
  const denyAny = unionAll(denyAnySets);
  const allowAny =
    allowSomeSets.length === 0 && allowConditionalSets.length === 0
      ? allowAll
      : unionAll([...allowAllSets, ...allowSomeSets, ...allowConditionalSets]);
  const result: PolicyActions = { allowAll, allowSome, allowConditional, denyAll, denyAny, allowAny };
  cache.set(policy, result);
  return result;
}

/** The union of statement sets: shared when there is one, built in one pass when there are more. */
function unionAll(sets: readonly ActionSet[]): ActionSet {
  if (sets.length === 0) return getCatalog().emptySet();
  if (sets.length === 1) return sets[0] as ActionSet;
  const builder = new ActionSetBuilder(getCatalog().actionCount);
  for (const set of sets) builder.addSet(set);
  return builder.build();
}

/**
 * Whether a policy's statements allow (any Allow, whatever its resource or condition) and deny on
 * `*` without condition one action: `policyActions(p).allowAny.has(i)` and `.denyAll.has(i)`
 * without building the policy's sets (a `who-can` query looks at one action for every principal).
 */
export function policyAllowsOrDenies(
  policy: Policy,
  actionIndex: number,
): { allows: boolean; deniesAll: boolean } {
  const hit = cache.get(policy);
  if (hit) return { allows: hit.allowAny.has(actionIndex), deniesAll: hit.denyAll.has(actionIndex) };
  let allows = false;
  let deniesAll = false;
  for (const s of policy.statements) {
    if (!statementHasResource(s)) continue;
    if (s.effect === 'Allow') {
      if (!allows && statementNamesAction(s, actionIndex)) allows = true;
    } else if (!deniesAll && s.conditions.length === 0 && statementOnAllResources(s)) {
      if (statementNamesAction(s, actionIndex)) deniesAll = true;
    }
  }
  return { allows, deniesAll };
}

/**
 * The packed sets of one policy the organization-wide facts need: `allowAll`, `allowAny` and
 * `denyAll` of `PolicyActions`, same definitions, built from the statements' packed words.
 */
export interface PolicyWords {
  readonly allowAll: PackedWords;
  readonly allowAny: PackedWords;
  readonly denyAll: PackedWords;
}

const EMPTY_POLICY_WORDS: PolicyWords = {
  allowAll: EMPTY_PACKED,
  allowAny: EMPTY_PACKED,
  denyAll: EMPTY_PACKED,
};
const wordsCache = new WeakMap<Policy, PolicyWords>();

/** Scratch for `policyWords`: one statement's set, and the three unions. */
let policyScratch:
  | {
      readonly statement: WordAccumulator;
      readonly allowAll: WordAccumulator;
      readonly allowAny: WordAccumulator;
      readonly denyAll: WordAccumulator;
    }
  | undefined;

export function policyWords(policy: Policy): PolicyWords {
  let hit = wordsCache.get(policy);
  if (hit) return hit;
  hit = computePolicyWords(policy);
  wordsCache.set(policy, hit);
  return hit;
}

/** What a statement contributes to `policyWords`: 1 allowAll (and allowAny), 2 allowAny only, 3 denyAll, 0 nothing. */
function contribution(s: Statement): 0 | 1 | 2 | 3 {
  if (!statementHasResource(s)) return 0;
  const unconditionalOnAll = s.conditions.length === 0 && statementOnAllResources(s);
  if (s.effect === 'Allow') return unconditionalOnAll ? 1 : 2;
  return unconditionalOnAll ? 3 : 0;
}

function computePolicyWords(policy: Policy): PolicyWords {
  let only: Statement | undefined;
  let contributing = 0;
  for (const s of policy.statements) {
    if (contribution(s) === 0) continue;
    contributing++;
    only = s;
  }
  if (contributing === 0) return EMPTY_POLICY_WORDS;
  if (contributing === 1 && only) {
    // Most policies have one statement that counts: its set (shared with the catalog's when it is
    // one pattern) is the one union.
    const words = computeStatementWords(only);
    if (words.length === 0) return EMPTY_POLICY_WORDS;
    const kind = contribution(only);
    if (kind === 1) return { allowAll: words, allowAny: words, denyAll: EMPTY_PACKED };
    if (kind === 2) return { allowAll: EMPTY_PACKED, allowAny: words, denyAll: EMPTY_PACKED };
    return { allowAll: EMPTY_PACKED, allowAny: EMPTY_PACKED, denyAll: words };
  }
  policyScratch ??= {
    statement: new WordAccumulator(),
    allowAll: new WordAccumulator(),
    allowAny: new WordAccumulator(),
    denyAll: new WordAccumulator(),
  };
  const { statement, allowAll, allowAny, denyAll } = policyScratch;
  allowAll.reset();
  allowAny.reset();
  denyAll.reset();
  // Statement sets go straight into the unions: nothing is kept per statement here.
  let narrowerAllow = false;
  let any = false;
  for (const s of policy.statements) {
    const kind = contribution(s);
    if (kind === 0) continue;
    statementInto(s, statement);
    if (statement.count === 0) continue;
    any = true;
    if (kind === 1) {
      allowAny.orAccumulator(statement);
      allowAll.orAccumulator(statement);
    } else if (kind === 2) {
      allowAny.orAccumulator(statement);
      narrowerAllow = true;
    } else denyAll.orAccumulator(statement);
  }
  let out = EMPTY_POLICY_WORDS;
  if (any) {
    const all = allowAll.pack();
    // Without narrower Allow statements both unions are the same set: one array.
    out = { allowAll: all, allowAny: narrowerAllow ? allowAny.pack() : all, denyAll: denyAll.pack() };
  }
  statement.reset();
  allowAll.reset();
  allowAny.reset();
  denyAll.reset();
  return out;
}

/**
 * The other two sets of `PolicyActions` the per-identity summary needs, packed: `allowSome`
 * (unconditional Allow on some resources only) and `denyAny` (every Deny statement). Kept apart from
 * `policyWords` so the audit's facts pass does not build them.
 */
export interface PolicySummaryWords {
  readonly allowSome: PackedWords;
  readonly denyAny: PackedWords;
}

const summaryWordsCache = new WeakMap<Policy, PolicySummaryWords>();

export function policySummaryWords(policy: Policy): PolicySummaryWords {
  let hit = summaryWordsCache.get(policy);
  if (hit) return hit;
  const allowSome: PackedWords[] = [];
  const denyAny: PackedWords[] = [];
  for (const s of policy.statements) {
    if (!statementHasResource(s)) continue;
    if (s.effect === 'Allow') {
      if (s.conditions.length > 0 || statementOnAllResources(s)) continue;
      const words = statementWords(s);
      if (words.length > 0) allowSome.push(words);
    } else {
      const words = statementWords(s);
      if (words.length > 0) denyAny.push(words);
    }
  }
  hit = { allowSome: packedUnion(allowSome), denyAny: packedUnion(denyAny) };
  summaryWordsCache.set(policy, hit);
  return hit;
}

/** Sets are immutable, so an empty side lets the other be shared instead of copied. */
export function join(a: ActionSet, b: ActionSet): ActionSet {
  if (a.isEmpty()) return b;
  if (b.isEmpty()) return a;
  return a.union(b);
}
