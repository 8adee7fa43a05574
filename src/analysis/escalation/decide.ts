/**
 * One engine question with the attacker's freedom taken into account. The request is asked first
 * with the keys the snapshot knows; when that is not allowed and a statement that could apply
 * reads a key the attacker chooses (a request tag, the region) or cannot be known from the
 * snapshot (source IP, MFA, time), it is asked again with values that favour the attacker. An
 * answer that needed an unknowable key is `conditional` and names the keys.
 */
import { getCatalog } from '../../catalog/index.js';
import type { ConditionClause, NamedPolicy } from '../../model/policy.js';
import type { AuthorizationRequest } from '../../model/request.js';
import { compileNamedPolicy } from '../../policy/evaluate/compile.js';
import { type CompiledPolicySet, evaluate, type PolicySet } from '../../policy/evaluate/index.js';
import { classifyKey, valueFor } from './condition-keys.js';

export interface Verdict {
  readonly allowed: boolean;
  /** Why the answer is not certain: unknowable keys it needed, or unreadable policies. */
  readonly conditions: readonly string[];
}

export const DENIED: Verdict = Object.freeze({ allowed: false, conditions: [] });
export const ALLOWED: Verdict = Object.freeze({ allowed: true, conditions: [] });
const UNREADABLE = 'a policy that applies could not be read completely';

interface ClauseRef {
  readonly clause: ConditionClause;
  readonly allow: boolean;
  readonly unknowable: boolean;
}

const clauseCache = new WeakMap<NamedPolicy, Map<number, readonly ClauseRef[]>>();
const NONE: readonly ClauseRef[] = [];

/** Clauses on non-known keys in the statements of `policy` that can match the action. */
function clausesFor(policy: NamedPolicy, actionIndex: number): readonly ClauseRef[] {
  let byAction = clauseCache.get(policy);
  if (!byAction) {
    byAction = new Map();
    clauseCache.set(policy, byAction);
  }
  let found = byAction.get(actionIndex);
  if (found === undefined) {
    const compiled = compileNamedPolicy(policy);
    const raw = policy.policy.statements;
    const out: ClauseRef[] = [];
    for (let i = 0; i < compiled.statements.length; i++) {
      const s = compiled.statements[i]!;
      if (!s.hasAction || s.conditions.length === 0) continue;
      const has = actionIndex >= 0 && s.actionBits.has(actionIndex);
      if (s.notAction ? has : !has) continue;
      for (const clause of raw[i]?.conditions ?? []) {
        const kind = classifyKey(clause.key);
        if (kind === 'known') continue;
        out.push({ clause, allow: !s.deny, unknowable: kind === 'unknowable' });
      }
    }
    found = out.length === 0 ? NONE : out;
    byAction.set(actionIndex, found);
  }
  return found;
}

function* policiesOf(set: PolicySet<NamedPolicy>): Iterable<NamedPolicy> {
  for (const list of [set.identity, set.boundary, set.trust, set.resource, set.session])
    if (list) yield* list;
  for (const level of set.scp ?? []) yield* level;
  for (const level of set.rcp ?? []) yield* level;
}

/**
 * Values that favour the attacker: Allow clauses made to hold, then Deny clauses made to fail
 * where the key is still free. `onlyChosen` leaves unknowable keys out.
 */
function favourable(
  clauses: readonly ClauseRef[],
  onlyChosen: boolean,
): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[]> = Object.create(null);
  const seen = new Set<string>();
  let any = false;
  for (const pass of [true, false]) {
    for (const c of clauses) {
      if (c.allow !== pass || (onlyChosen && c.unknowable)) continue;
      const key = c.clause.key.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const v = valueFor(c.clause, pass);
      if (v === undefined || v === null) continue;
      out[c.clause.key] = c.clause.setOperator ? [v] : v;
      any = true;
    }
  }
  return any ? out : undefined;
}

interface Retry {
  readonly mayLift: boolean;
  readonly chosen?: Record<string, string | string[]>;
  readonly all?: Record<string, string | string[]>;
  readonly unknowable: readonly string[];
}

const NO_RETRY: Retry = { mayLift: false, unknowable: [] };
/** Per compiled set and action: the favourable contexts depend on nothing else. */
const retryCache = new WeakMap<CompiledPolicySet, Map<string, Retry>>();

function retryFor(compiled: CompiledPolicySet, set: PolicySet<NamedPolicy>, action: string): Retry {
  let byAction = retryCache.get(compiled);
  if (!byAction) {
    byAction = new Map();
    retryCache.set(compiled, byAction);
  }
  let retry = byAction.get(action);
  if (!retry) {
    const index = getCatalog().lookupAction(action)?.index ?? -1;
    const clauses: ClauseRef[] = [];
    for (const p of policiesOf(set)) {
      const found = clausesFor(p, index);
      if (found.length > 0) clauses.push(...found);
    }
    if (clauses.length === 0) retry = NO_RETRY;
    else {
      const keys = new Set<string>();
      for (const c of clauses) if (c.unknowable) keys.add(c.clause.key);
      const chosen = favourable(clauses, true);
      const all = keys.size > 0 ? favourable(clauses, false) : undefined;
      retry = {
        mayLift: clauses.some((c) => !c.allow),
        ...(chosen ? { chosen } : {}),
        ...(all ? { all } : {}),
        unknowable: [...keys].sort(),
      };
    }
    byAction.set(action, retry);
  }
  return retry;
}

export function decide(
  compiled: CompiledPolicySet,
  set: PolicySet<NamedPolicy>,
  request: AuthorizationRequest,
): Verdict {
  const first = evaluate(compiled, request);
  if (first === 'Allowed') return ALLOWED;
  if (first === 'Unknown') return { allowed: true, conditions: [UNREADABLE] };
  const retry = retryFor(compiled, set, request.action);
  if (retry === NO_RETRY || (first === 'ExplicitlyDenied' && !retry.mayLift)) return DENIED;
  if (retry.chosen) {
    const d = evaluate(compiled, { ...request, context: { ...request.context, ...retry.chosen } });
    if (d === 'Allowed') return ALLOWED;
  }
  if (!retry.all) return DENIED;
  const d = evaluate(compiled, { ...request, context: { ...request.context, ...retry.all } });
  if (d !== 'Allowed' && d !== 'Unknown') return DENIED;
  return { allowed: true, conditions: [`depends on ${retry.unknowable.join(', ')}`] };
}

const bothCache = new WeakMap<Verdict, WeakMap<Verdict, Verdict>>();

/**
 * Both verdicts: allowed only if both are; conditions add up. Verdicts are kept and reused, so the
 * combination of two conditional ones is kept too (one object per pair, not per edge).
 */
export function both(a: Verdict, b: Verdict): Verdict {
  if (!a.allowed || !b.allowed) return DENIED;
  if (a.conditions.length === 0) return b;
  if (b.conditions.length === 0) return a;
  let withA = bothCache.get(a);
  if (!withA) {
    withA = new WeakMap();
    bothCache.set(a, withA);
  }
  let v = withA.get(b);
  if (!v) {
    v = { allowed: true, conditions: [...new Set([...a.conditions, ...b.conditions])] };
    withA.set(b, v);
  }
  return v;
}
