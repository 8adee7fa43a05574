/**
 * Action sets as raw 32-bit words, for the organization-wide passes: one principal's effective
 * access is a handful of unions, intersections and subset tests over 22,000-bit sets, and building
 * each as a new immutable `ActionSet` allocated several KB per principal per step (tens of
 * thousands of principals → GC). Here each shared set (a policy's, a guardrail's, a category's) is
 * converted once to a sparse form (its non-zero words), and per-principal work happens in reusable
 * dense scratch arrays with no allocation.
 */
import { BitActionSet } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';

/** The non-zero words of a set: word positions ascending, with their values. */
export interface SparseWords {
  readonly at: Uint16Array;
  readonly values: Uint32Array;
}

export function wordCount(): number {
  return (getCatalog().actionCount + 31) >>> 5;
}

/** The word of the full set at position `i` (the last word has only the catalog's bits). */
export function fullWord(i: number, words: number, size: number): number {
  if (i < words - 1) return 0xffffffff;
  const rem = size & 31;
  return rem === 0 ? 0xffffffff : ((1 << rem) - 1) >>> 0;
}

const sparseCache = new WeakMap<ActionSet, SparseWords>();
let conversion: Uint32Array | undefined;

/** Sets are immutable, so each one is converted once (policy sets are shared by many principals). */
export function sparseOf(set: ActionSet): SparseWords {
  let hit = sparseCache.get(set);
  if (hit) return hit;
  const n = wordCount();
  if (!conversion || conversion.length !== n) conversion = new Uint32Array(n);
  const dense = conversion;
  dense.fill(0);
  if (set instanceof BitActionSet) set.orInto(dense);
  else for (const i of set.indices()) dense[i >>> 5] = (dense[i >>> 5] ?? 0) | (1 << (i & 31));
  let nonZero = 0;
  for (let i = 0; i < n; i++) if (dense[i] !== 0) nonZero++;
  const at = new Uint16Array(nonZero);
  const values = new Uint32Array(nonZero);
  for (let i = 0, k = 0; i < n; i++) {
    const w = dense[i] ?? 0;
    if (w !== 0) {
      at[k] = i;
      values[k] = w;
      k++;
    }
  }
  hit = { at, values };
  sparseCache.set(set, hit);
  return hit;
}

/** `target = set`, for a set used once (a principal's own): nothing is cached. */
export function denseInto(target: Uint32Array, set: ActionSet): void {
  target.fill(0);
  if (set instanceof BitActionSet) set.orInto(target);
  else for (const i of set.indices()) target[i >>> 5] = (target[i >>> 5] ?? 0) | (1 << (i & 31));
}

/** `target |= set`. */
export function orInto(target: Uint32Array, set: SparseWords): void {
  const { at, values } = set;
  for (let k = 0; k < at.length; k++) {
    const i = at[k] as number;
    target[i] = (target[i] as number) | (values[k] as number);
  }
}

/** `target = set` (dense copy). */
export function assign(target: Uint32Array, set: SparseWords): void {
  target.fill(0);
  orInto(target, set);
}

/** `target &= set`. */
export function andWith(target: Uint32Array, set: SparseWords): void {
  const { at, values } = set;
  let from = 0;
  for (let k = 0; k < at.length; k++) {
    const i = at[k] as number;
    if (from < i) target.fill(0, from, i);
    target[i] = (target[i] as number) & (values[k] as number);
    from = i + 1;
  }
  if (from < target.length) target.fill(0, from);
}

/** Every member of `set` is in `target`. */
export function sparseSubsetOf(set: SparseWords, target: Uint32Array): boolean {
  const { at, values } = set;
  for (let k = 0; k < at.length; k++) {
    const v = values[k] as number;
    if ((v & (target[at[k] as number] as number)) >>> 0 !== v >>> 0) return false;
  }
  return true;
}

/** The members of `set ∩ target`, ascending. */
export function sparseIntersectionIndices(set: SparseWords, target: Uint32Array): number[] {
  const out: number[] = [];
  const { at, values } = set;
  for (let k = 0; k < at.length; k++) {
    const i = at[k] as number;
    let w = ((values[k] as number) & (target[i] as number)) >>> 0;
    while (w !== 0) {
      const low = w & -w;
      out.push((i << 5) + (31 - Math.clz32(low)));
      w = (w ^ low) >>> 0;
    }
  }
  return out;
}

export function popcount(words: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    let v = words[i] as number;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

export function denseIsEmpty(words: Uint32Array): boolean {
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}

export function denseHas(words: Uint32Array, index: number): boolean {
  return (((words[index >>> 5] ?? 0) >>> (index & 31)) & 1) === 1;
}
