/**
 * The effective-access summary of one principal as bitsets over the catalog's action index.
 *
 * AWS allows a request when an identity policy allows it, no applicable policy denies it, and the
 * permissions boundary and every SCP level allow it too.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 *
 * The summary is deliberately two-sided, so each answer is safe for what it is used for:
 * - `possible` over-approximates: an action outside it is never allowed by identity-side policies
 *   for any resource or context (only a resource policy naming the principal can add to it).
 * - `allowedOnAll` under-approximates: an action inside it is allowed on every resource in every
 *   context (unconditional Allow on `*` in every layer and no Deny statement names it at all).
 * Between the two, `onAll` (allowed on `*` except where a conditional or resource-scoped Deny
 * carves something out), `scoped` (unconditional on some resources) and `conditional` (only under
 * an Allow condition) say what kind of grant it is. RCPs are not part of `possible` (they apply to
 * some services only, and ignoring a restriction keeps an over-approximation sound); they narrow
 * `onAll` (their Allow must cover the action) and `allowedOnAll` (their Deny statements).
 */
import { ActionSetBuilder } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { StoredPolicy } from '../../model/account.js';
import type { Policy } from '../../model/policy.js';
import type { AccessLayers } from './layers.js';
import { objectId } from './object-id.js';
import { join, type PolicyActions, policyActions, policyAllowsOrDenies } from './policy-actions.js';

export interface EffectiveAccess {
  readonly possible: ActionSet;
  /** Unconditional Allow on `*` through every layer, minus unconditional Deny on `*`. */
  readonly onAll: ActionSet;
  /** `onAll` minus every action any Deny statement names: allowed everywhere, always. */
  readonly allowedOnAll: ActionSet;
  /** Unconditionally allowed on some resources but not on `*`. */
  readonly scoped: ActionSet;
  /** Allowed only when a condition holds (an identity Allow's or a guardrail's). */
  readonly conditional: ActionSet;
  /** Possible actions some conditional or resource-scoped Deny may still refuse. */
  readonly restricted: ActionSet;
  /** Denied on `*` without condition by some layer. */
  readonly deniedOnAll: ActionSet;
}

function unionOf(policies: readonly StoredPolicy[], pick: (a: PolicyActions) => ActionSet): ActionSet {
  if (policies.length === 1) return pick(policyActions((policies[0] as StoredPolicy).policy));
  const builder = new ActionSetBuilder(getCatalog().actionCount);
  for (const p of policies) builder.addSet(pick(policyActions(p.policy)));
  return builder.build();
}

export interface Guard {
  /** What every boundary/SCP/RCP level allows on `*` without condition. */
  readonly all: ActionSet;
  /** What every boundary/SCP level allows at all. */
  readonly any: ActionSet;
  /** Unconditional Deny on `*` in any of these layers. */
  readonly deniedOnAll: ActionSet;
  readonly denyAny: ActionSet;
}

/**
 * Guardrail layers are shared by every principal of an account (SCP/RCP levels are one array per
 * account, a boundary one managed policy), so their sets are computed once per combination.
 */
const GUARD_CACHE_LIMIT = 4096;
const guardCache = new Map<string, Guard>();

export function guardrails(layers: AccessLayers): Guard {
  const key = `${layers.boundary ? layers.boundary.map((p) => objectId(p.policy)).join(',') : '-'}|${layers.scp ? objectId(layers.scp) : '-'}|${layers.rcp ? objectId(layers.rcp) : '-'}`;
  const hit = guardCache.get(key);
  if (hit) return hit;
  const catalog = getCatalog();
  let all = catalog.fullSet();
  let any = catalog.fullSet();
  const levels: (readonly StoredPolicy[])[] = [];
  if (layers.boundary) levels.push(layers.boundary);
  if (layers.scp) levels.push(...layers.scp);
  for (const level of levels) {
    all = all.intersect(unionOf(level, (a) => a.allowAll));
    any = any.intersect(unionOf(level, (a) => a.allowAny));
  }
  // RCPs only narrow the sure answer: their Allow must cover the action too.
  for (const level of layers.rcp ?? []) all = all.intersect(unionOf(level, (a) => a.allowAll));
  const flat = levels.flat();
  const deniedOnAll = unionOf(flat, (a) => a.denyAll);
  // An RCP applies to some services only (the engine knows which): its denies may only make the
  // sure answer smaller, never the possible one.
  const denyAny = join(
    unionOf(flat, (a) => a.denyAny),
    unionOf((layers.rcp ?? []).flat(), (a) => a.denyAny),
  );
  const guard = { all, any, deniedOnAll, denyAny };
  if (guardCache.size >= GUARD_CACHE_LIMIT) guardCache.clear();
  guardCache.set(key, guard);
  return guard;
}

/**
 * Fields are computed on first read: the checks read `onAll` for every principal of an
 * organization, `access` reads everything for one, and each set costs an allocation.
 */
class LazyEffectiveAccess implements EffectiveAccess {
  private readonly layers: AccessLayers;
  private readonly guard: Guard;
  private readonly memo = new Map<string, ActionSet>();

  constructor(layers: AccessLayers) {
    this.layers = layers;
    this.guard = guardrails(layers);
  }

  private get(name: string, compute: () => ActionSet): ActionSet {
    let v = this.memo.get(name);
    if (v === undefined) {
      v = compute();
      this.memo.set(name, v);
    }
    return v;
  }

  private identity(pick: (a: PolicyActions) => ActionSet): ActionSet {
    return unionOf(this.layers.identity, pick);
  }

  get deniedOnAll(): ActionSet {
    return this.get('deniedOnAll', () =>
      join(
        this.identity((a) => a.denyAll),
        this.guard.deniedOnAll,
      ),
    );
  }
  private get denyAny(): ActionSet {
    return this.get('denyAny', () =>
      join(
        this.identity((a) => a.denyAny),
        this.guard.denyAny,
      ),
    );
  }
  get onAll(): ActionSet {
    return this.get('onAll', () =>
      this.identity((a) => a.allowAll)
        .intersect(this.guard.all)
        .difference(this.deniedOnAll),
    );
  }
  get possible(): ActionSet {
    return this.get('possible', () =>
      this.identity((a) => a.allowAny)
        .intersect(this.guard.any)
        .difference(this.deniedOnAll),
    );
  }
  private get unconditional(): ActionSet {
    return this.get('unconditional', () =>
      join(
        this.identity((a) => a.allowAll),
        this.identity((a) => a.allowSome),
      )
        .intersect(this.guard.all)
        .difference(this.deniedOnAll),
    );
  }
  get allowedOnAll(): ActionSet {
    return this.get('allowedOnAll', () => this.onAll.difference(this.denyAny));
  }
  get scoped(): ActionSet {
    return this.get('scoped', () => this.unconditional.difference(this.onAll));
  }
  get conditional(): ActionSet {
    return this.get('conditional', () => this.possible.difference(this.unconditional));
  }
  get restricted(): ActionSet {
    return this.get('restricted', () => this.possible.intersect(this.denyAny.difference(this.deniedOnAll)));
  }
}

export function effectiveAccess(layers: AccessLayers): EffectiveAccess {
  return new LazyEffectiveAccess(layers);
}

/**
 * The candidate test for one action without building the principal's sets: true unless the
 * identity policies never name the action, a guardrail level never allows it, or a layer denies it
 * on `*` unconditionally. Same over-approximation as `possible`.
 */
export function mayPerform(layers: AccessLayers, actionIndex: number): boolean {
  return mayPerformWith(layers, (policy) => policyAllowsOrDenies(policy, actionIndex));
}

/**
 * `mayPerform` over per-policy flags from the caller (the CLI's one-action query computes them from
 * the statements that name its action): the identity policies allow the action somewhere, every
 * boundary and SCP level allows it somewhere, and no layer denies it on `*` unconditionally.
 */
export function mayPerformWith(
  layers: AccessLayers,
  flags: (policy: Policy) => { readonly allows: boolean; readonly deniesAll: boolean },
): boolean {
  let named = false;
  for (const p of layers.identity) {
    const a = flags(p.policy);
    if (a.deniesAll) return false;
    if (a.allows) named = true;
  }
  if (!named) return false;
  if (layers.boundary && !levelAllows(layers.boundary, flags)) return false;
  if (layers.scp) for (const level of layers.scp) if (!levelAllows(level, flags)) return false;
  return true;
}

/** A guardrail level (the boundary, one SCP level) allows the action somewhere and denies it on `*` nowhere. */
function levelAllows(
  level: readonly StoredPolicy[],
  flags: (policy: Policy) => { readonly allows: boolean; readonly deniesAll: boolean },
): boolean {
  let allows = false;
  for (const p of level) {
    const a = flags(p.policy);
    if (a.deniesAll) return false;
    if (a.allows) allows = true;
  }
  return allows;
}
