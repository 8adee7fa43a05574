/**
 * The request context as one policy set reads it. Compiling the set collects the (lower-cased)
 * keys its conditions and policy variables read and gives each a slot; a request then fills a small
 * array with only those keys, in one pass over the keys it was given, instead of lower-casing and
 * copying every key into a map. A key the plan did not foresee (an explanation asking about some
 * other key) is answered from the full context, built on demand exactly as before, so the plan
 * only ever changes the speed, never the answer.
 */
import type { ContextValueInput } from '../../model/request.js';
import type { RequestContext } from '../conditions/index.js';
import type { CompiledPolicyData } from './compile.js';
import { buildContext, DERIVED_KEYS, type PrincipalState, RESOURCE_ACCOUNT_KEY } from './request-state.js';

/** Slot 0 always holds `aws:PrincipalArn`: the engine reads a role's full ARN from it. */
const PRINCIPAL_ARN = 'aws:principalarn';
/** Raw key spellings remembered per plan; beyond this, spellings are lower-cased on each request. */
const SPELLING_LIMIT = 1024;

export interface ContextPlan {
  /** Lower-cased key → slot. */
  readonly slots: ReadonlyMap<string, number>;
  readonly size: number;
  /** Key as spelled in requests → slot, or -1 for a key no policy in the set reads. */
  readonly spellings: Map<string, number>;
  /** Parallel to DERIVED_KEYS: the slot of each derived key, or -1 when no policy reads it. */
  readonly derivedSlots: Int32Array;
  /** Key lists seen recently, with the slot of each key: requests from one source share them. */
  readonly shapes: KeyShape[];
}

interface KeyShape {
  readonly keys: readonly string[];
  readonly slots: Int32Array;
}

const SHAPE_LIMIT = 8;

export function planContext(policies: readonly CompiledPolicyData[]): ContextPlan {
  const slots = new Map<string, number>([[PRINCIPAL_ARN, 0]]);
  for (const p of policies) {
    for (const key of p.contextKeys) if (!slots.has(key)) slots.set(key, slots.size);
  }
  // Derived keys are filled in when the request lacks them; they need slots only if read.
  const derivedSlots = Int32Array.from(DERIVED_KEYS, ([key]) => slots.get(key.toLowerCase()) ?? -1);
  return { slots, size: slots.size, spellings: new Map(), derivedSlots, shapes: [] };
}

function slotOfSpelling(plan: ContextPlan, key: string): number {
  let slot = plan.spellings.get(key);
  if (slot === undefined) {
    slot = plan.slots.get(key.toLowerCase()) ?? -1;
    if (plan.spellings.size < SPELLING_LIMIT) plan.spellings.set(key, slot);
  }
  return slot;
}

/** Remembers a key list (most recent first) with the slot of each key. */
function rememberShape(plan: ContextPlan, keys: readonly string[]): void {
  const { shapes } = plan;
  if (shapes.length >= SHAPE_LIMIT) shapes.pop();
  shapes.unshift({ keys, slots: Int32Array.from(keys, (key) => slotOfSpelling(plan, key)) });
}

/**
 * Another remembered key list that agrees with `current` on its first `at` keys and has `key`
 * next. Property names are interned strings, so comparing references is enough.
 */
function switchShape(plan: ContextPlan, current: KeyShape, at: number, key: string): KeyShape | undefined {
  next: for (const shape of plan.shapes) {
    if (shape === current || shape.keys.length <= at || shape.keys[at] !== key) continue;
    for (let i = 0; i < at; i++) if (shape.keys[i] !== current.keys[i]) continue next;
    return shape;
  }
  return undefined;
}

type Value = string | readonly string[];

/** Context values arrive from JSON: numbers and booleans are read as their text. */
function normalise(raw: ContextValueInput): Value {
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) return String(raw);
  for (let i = 0; i < raw.length; i++) {
    if (typeof raw[i] !== 'string') return raw.map((v) => String(v));
  }
  return raw as readonly string[];
}

/** One request's context, read through a plan. */
export class PlannedContext implements RequestContext {
  private readonly values: (Value | undefined)[];
  /** `aws:PrincipalArn` as the caller supplied it (a role's ARN carries its path there). */
  readonly givenPrincipalArn: string | undefined;
  private full: RequestContext | undefined;

  constructor(
    private readonly plan: ContextPlan,
    private readonly given: Readonly<Record<string, ContextValueInput>> | undefined,
    private readonly principal: PrincipalState,
    private readonly resourceAccount: string | undefined,
  ) {
    const values: (Value | undefined)[] = new Array(plan.size);
    if (given !== undefined) {
      const proto = Object.getPrototypeOf(given) as unknown;
      if (proto === Object.prototype || proto === null) {
        // for-in over a plain object visits its own enumerable keys in Object.keys order, with no
        // array allocated; a key list seen before gives each key's slot without a map lookup.
        let shape = plan.shapes[0];
        let i = 0;
        for (const key in given) {
          let slot: number;
          if (shape !== undefined && shape.keys[i] === key) {
            slot = shape.slots[i]!;
          } else {
            shape = shape === undefined ? undefined : switchShape(plan, shape, i, key);
            slot = shape === undefined ? slotOfSpelling(plan, key) : shape.slots[i]!;
          }
          i++;
          if (slot < 0) continue;
          const raw = given[key];
          // Later spellings of the same key win, as in the full context.
          if (raw !== undefined) values[slot] = typeof raw === 'string' ? raw : normalise(raw);
        }
        if (shape === undefined || shape.keys.length !== i) rememberShape(plan, Object.keys(given));
      } else {
        for (const key of Object.keys(given)) {
          const slot = slotOfSpelling(plan, key);
          const raw = given[key];
          if (slot >= 0 && raw !== undefined) values[slot] = normalise(raw);
        }
      }
    }
    const arn = values[0];
    this.givenPrincipalArn = typeof arn === 'string' ? arn : undefined;
    // Caller-supplied keys win over derived ones.
    const { derivedSlots } = plan;
    const derived = principal.derived;
    for (let k = 0; k < derivedSlots.length; k++) {
      const slot = derivedSlots[k]!;
      if (slot < 0 || values[slot] !== undefined) continue;
      values[slot] = k === RESOURCE_ACCOUNT_KEY ? resourceAccount : derived[k];
    }
    this.values = values;
  }

  get(key: string): string | readonly string[] | undefined {
    const slot = this.plan.slots.get(key) ?? this.plan.slots.get(key.toLowerCase());
    if (slot !== undefined) return this.values[slot];
    return this.fullContext().get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): Iterable<string> {
    return this.fullContext().keys();
  }

  private fullContext(): RequestContext {
    this.full ??= buildContext(this.given, this.principal.info, this.resourceAccount);
    return this.full;
  }
}
