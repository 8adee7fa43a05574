/**
 * What one policy document allows and denies, as bitsets over the catalog's action index: the
 * building blocks of the effective-access summary. Computed once per parsed `Policy` object (AWS
 * managed policies are shared by every principal they are attached to, so each is expanded once).
 *
 * These sets describe Action/NotAction only. Resources are reduced to "every resource" (a literal
 * `*` in `Resource`) or "some resources"; conditions to "has conditions". Precise answers for one
 * action on one resource go through the engine (`evaluate`/`explain`).
 */
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { Policy, Statement } from '../../model/policy.js';

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
  let set: ActionSet | undefined;
  for (const p of patterns) {
    const expanded = catalog.expandActionPattern(p).set;
    set = set === undefined ? expanded : set.union(expanded);
  }
  set ??= catalog.emptySet();
  return statement.action ? set : set.complement();
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
  const empty = getCatalog().emptySet();
  let allowAll = empty;
  let allowSome = empty;
  let allowConditional = empty;
  let denyAll = empty;
  let denyAny = empty;
  for (const s of policy.statements) {
    // A statement without Resource matches nothing in an identity-side evaluation.
    if (!statementHasResource(s)) continue;
    const set = statementActions(s);
    if (set.isEmpty()) continue;
    const onAll = statementOnAllResources(s);
    const conditional = s.conditions.length > 0;
    if (s.effect === 'Allow') {
      if (conditional) allowConditional = join(allowConditional, set);
      else if (onAll) allowAll = join(allowAll, set);
      else allowSome = join(allowSome, set);
    } else {
      denyAny = join(denyAny, set);
      if (onAll && !conditional) denyAll = join(denyAll, set);
    }
  }
  const allowAny = join(join(allowAll, allowSome), allowConditional);
  const result: PolicyActions = { allowAll, allowSome, allowConditional, denyAll, denyAny, allowAny };
  cache.set(policy, result);
  return result;
}

/** Sets are immutable, so an empty side lets the other be shared instead of copied. */
export function join(a: ActionSet, b: ActionSet): ActionSet {
  if (a.isEmpty()) return b;
  if (b.isEmpty()) return a;
  return a.union(b);
}
