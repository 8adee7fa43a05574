/**
 * Action sets as raw 32-bit words, for the organization-wide passes: one principal's effective
 * access is a handful of unions, intersections and subset tests over 22,000-bit sets, and building
 * each as a new immutable `ActionSet` allocated several KB per principal per step (tens of
 * thousands of principals → GC). Here each shared set (a policy's, a statement's, a guardrail's, a
 * category's) is kept in a sparse form (its non-zero words, `PackedWords`), and per-principal work
 * happens in reusable dense scratch arrays (`WordAccumulator`) with no allocation.
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

/**
 * A set as one array of (word position, word) pairs, positions ascending, zero words left out: the
 * form kept per policy and per statement for a whole audit, so it is one typed array (not two) and
 * as small as the actions it names. A statement listing a few actions of one service is a few pairs.
 */
export type PackedWords = Uint32Array;

export const EMPTY_PACKED: PackedWords = new Uint32Array(0);

const packedCache = new WeakMap<ActionSet, PackedWords>();

/** The packed form of an immutable set, converted once (catalog, category and guardrail sets). */
export function packedOf(set: ActionSet): PackedWords {
  let hit = packedCache.get(set);
  if (hit) return hit;
  const { at, values } = sparseOf(set);
  hit = new Uint32Array(at.length * 2);
  for (let k = 0; k < at.length; k++) {
    hit[2 * k] = at[k] as number;
    hit[2 * k + 1] = values[k] as number;
  }
  packedCache.set(set, hit);
  return hit;
}

/** Every member of `set` is in the dense `target`. */
export function packedSubsetOf(set: PackedWords, target: Uint32Array): boolean {
  for (let k = 0; k < set.length; k += 2) {
    const v = set[k + 1] as number;
    if ((v & (target[set[k] as number] as number)) >>> 0 !== v) return false;
  }
  return true;
}

/**
 * `a ∩ b` is not empty (both packed). The smaller side's positions are searched in the larger one
 * (binary search from the last hit on), so a few words against a NotAction statement's ~700 cost a
 * few probes, not a walk through all of them.
 */
export function packedIntersects(a: PackedWords, b: PackedWords): boolean {
  const small = a.length <= b.length ? a : b;
  const large = small === a ? b : a;
  let lo = 0;
  const pairs = large.length >>> 1;
  for (let k = 0; k < small.length; k += 2) {
    const pos = small[k] as number;
    let hi = pairs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((large[2 * mid] as number) < pos) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= pairs) return false;
    if (large[2 * lo] === pos && ((large[2 * lo + 1] as number) & (small[k + 1] as number)) !== 0)
      return true;
  }
  return false;
}

/** `set ∩ target` is not empty (`target` dense). */
export function packedIntersectsDense(set: PackedWords, target: Uint32Array): boolean {
  for (let k = 0; k < set.length; k += 2)
    if (((set[k + 1] as number) & (target[set[k] as number] as number)) !== 0) return true;
  return false;
}

/** `a ⊆ b` (both packed). */
export function packedIsSubset(a: PackedWords, b: PackedWords): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    const pa = a[i] as number;
    while (j < b.length && (b[j] as number) < pa) j += 2;
    const wb = j < b.length && b[j] === pa ? (b[j + 1] as number) : 0;
    const va = a[i + 1] as number;
    if ((va & wb) >>> 0 !== va) return false;
  }
  return true;
}

/**
 * A dense word array that remembers which words it touched, so unions of small packed sets, the
 * in-place restriction and the reset cost the touched words only, not the catalog's ~700 words.
 * Words outside the touched ones are zero. A set covering a good part of the catalog (`*`,
 * NotAction, AWS's read-only policies) switches it to whole-array mode, where plain loops over every
 * word beat the bookkeeping.
 */
export class WordAccumulator {
  readonly dense: Uint32Array;
  private readonly mark: Uint8Array;
  private readonly touched: Uint16Array;
  private readonly words: number;
  /** Every word counts as touched (`touched` is 0..words-1). */
  private whole = false;
  /** How many words were touched (an upper bound on the non-zero words). */
  count = 0;

  constructor() {
    const n = wordCount();
    this.words = n;
    this.dense = new Uint32Array(n);
    this.mark = new Uint8Array(n);
    this.touched = new Uint16Array(n);
  }

  reset(): void {
    if (this.whole) {
      this.dense.fill(0);
      this.mark.fill(0);
      this.whole = false;
    } else {
      const { dense, mark, touched } = this;
      for (let k = 0; k < this.count; k++) {
        const i = touched[k] as number;
        dense[i] = 0;
        mark[i] = 0;
      }
    }
    this.count = 0;
  }

  private goWhole(): void {
    const { mark, touched } = this;
    mark.fill(1);
    for (let i = 0; i < this.words; i++) touched[i] = i;
    this.count = this.words;
    this.whole = true;
  }

  /** `this |= set`. */
  or(set: PackedWords): void {
    const dense = this.dense;
    if (!this.whole && set.length > this.words >>> 2) this.goWhole();
    if (this.whole) {
      for (let k = 0; k < set.length; k += 2) {
        const i = set[k] as number;
        dense[i] = ((dense[i] as number) | (set[k + 1] as number)) >>> 0;
      }
      return;
    }
    const { mark, touched } = this;
    for (let k = 0; k < set.length; k += 2) {
      const i = set[k] as number;
      if (mark[i] === 0) {
        mark[i] = 1;
        touched[this.count++] = i;
      }
      dense[i] = ((dense[i] as number) | (set[k + 1] as number)) >>> 0;
    }
  }

  /** `this |= other` (another accumulator). */
  orAccumulator(other: WordAccumulator): void {
    if (!this.whole && other.count > this.words >>> 3) this.goWhole();
    const { dense, mark, touched } = this;
    if (this.whole) {
      for (let i = 0; i < this.words; i++)
        dense[i] = ((dense[i] as number) | (other.dense[i] as number)) >>> 0;
      return;
    }
    for (let k = 0; k < other.count; k++) {
      const i = other.touched[k] as number;
      if (mark[i] === 0) {
        mark[i] = 1;
        touched[this.count++] = i;
      }
      dense[i] = ((dense[i] as number) | (other.dense[i] as number)) >>> 0;
    }
  }

  /** `this = every catalog action not in this` (NotAction). */
  complement(): void {
    if (!this.whole) this.goWhole();
    const { dense, words } = this;
    const size = getCatalog().actionCount;
    for (let i = 0; i < words; i++) dense[i] = (~(dense[i] as number) & fullWord(i, words, size)) >>> 0;
  }

  addIndex(index: number): void {
    const i = index >>> 5;
    if (this.mark[i] === 0) {
      this.mark[i] = 1;
      this.touched[this.count++] = i;
    }
    this.dense[i] = ((this.dense[i] as number) | (1 << (index & 31))) >>> 0;
  }

  /** `this = this & keep & ~drop` (dense words). */
  restrict(keep: Uint32Array, drop: Uint32Array): void {
    const dense = this.dense;
    if (this.whole) {
      for (let i = 0; i < this.words; i++)
        dense[i] = ((dense[i] as number) & (keep[i] as number) & ~(drop[i] as number)) >>> 0;
      return;
    }
    const touched = this.touched;
    for (let k = 0; k < this.count; k++) {
      const i = touched[k] as number;
      dense[i] = ((dense[i] as number) & (keep[i] as number) & ~(drop[i] as number)) >>> 0;
    }
  }

  /** The touched word positions, ascending (sorted in place: usually a handful, so by insertion). */
  sortedPositions(): Uint16Array {
    const t = this.touched;
    const n = this.count;
    if (this.whole) return t.subarray(0, n);
    if (n > 64) return t.subarray(0, n).sort();
    for (let k = 1; k < n; k++) {
      const v = t[k] as number;
      let j = k - 1;
      while (j >= 0 && (t[j] as number) > v) {
        t[j + 1] = t[j] as number;
        j--;
      }
      t[j + 1] = v;
    }
    return t.subarray(0, n);
  }

  /** The touched word positions (unordered). */
  positions(): Uint16Array {
    return this.touched.subarray(0, this.count);
  }

  popcount(): number {
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      let v = this.dense[this.touched[k] as number] as number;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** The packed form of the current words (a new array; the accumulator is unchanged). */
  pack(): PackedWords {
    const positions = this.sortedPositions();
    let nonZero = 0;
    for (let k = 0; k < positions.length; k++) if (this.dense[positions[k] as number] !== 0) nonZero++;
    if (nonZero === 0) return EMPTY_PACKED;
    const out = new Uint32Array(nonZero * 2);
    let o = 0;
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k] as number;
      const w = this.dense[i] as number;
      if (w === 0) continue;
      out[o++] = i;
      out[o++] = w;
    }
    return out;
  }
}

let unionScratch: WordAccumulator | undefined;

/** `∪ sets`: the one set itself when there is one, otherwise a new packed array. */
export function packedUnion(sets: readonly PackedWords[]): PackedWords {
  if (sets.length === 0) return EMPTY_PACKED;
  if (sets.length === 1) return sets[0] as PackedWords;
  unionScratch ??= new WordAccumulator();
  const acc = unionScratch;
  acc.reset();
  for (const set of sets) acc.or(set);
  const out = acc.pack();
  acc.reset();
  return out;
}

export function packedEquals(a: PackedWords, b: PackedWords): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
