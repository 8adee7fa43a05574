import type { ActionSet } from './types.js';

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function wordCount(size: number): number {
  return (size + 31) >>> 5;
}

/** Mask of the valid bits in the last word, so complement never sets indices >= size. */
function tailMask(size: number): number {
  const rem = size & 31;
  return rem === 0 ? 0xffffffff : (1 << rem) - 1;
}

/**
 * Immutable bitset over the catalogue's action indices. The words are never exposed, so a set
 * handed out (and possibly cached) cannot be changed by its receiver.
 */
export class BitActionSet implements ActionSet {
  readonly size: number;
  private readonly words: Uint32Array;
  private cachedCount = -1;

  /** Takes ownership of `words`; callers must not keep a reference. */
  private constructor(size: number, words: Uint32Array) {
    this.size = size;
    this.words = words;
  }

  static empty(size: number): BitActionSet {
    return new BitActionSet(size, new Uint32Array(wordCount(size)));
  }

  static full(size: number): BitActionSet {
    const words = new Uint32Array(wordCount(size)).fill(0xffffffff);
    if (words.length > 0) words[words.length - 1] = tailMask(size);
    return new BitActionSet(size, words);
  }

  /** Out-of-range indices are a bug in the caller, not data to drop quietly. */
  static fromIndices(size: number, indices: Iterable<number>): BitActionSet {
    const builder = new ActionSetBuilder(size);
    for (const i of indices) builder.add(i);
    return builder.build();
  }

  /** @internal Used by ActionSetBuilder only. */
  static adopt(size: number, words: Uint32Array): BitActionSet {
    return new BitActionSet(size, words);
  }

  has(index: number): boolean {
    if (!(index >= 0 && index < this.size)) return false;
    return ((this.words[index >>> 5]! >>> (index & 31)) & 1) === 1;
  }

  count(): number {
    if (this.cachedCount < 0) {
      const a = this.words;
      let n = 0;
      for (let i = 0; i < a.length; i++) n += popcount32(a[i]!);
      this.cachedCount = n;
    }
    return this.cachedCount;
  }

  isEmpty(): boolean {
    if (this.cachedCount >= 0) return this.cachedCount === 0;
    const a = this.words;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
    return true;
  }

  union(other: ActionSet): ActionSet {
    const b = this.wordsOf(other);
    const a = this.words;
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i]! | b[i]!;
    return new BitActionSet(this.size, out);
  }

  intersect(other: ActionSet): ActionSet {
    const b = this.wordsOf(other);
    const a = this.words;
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
    return new BitActionSet(this.size, out);
  }

  difference(other: ActionSet): ActionSet {
    const b = this.wordsOf(other);
    const a = this.words;
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i]! & ~b[i]!;
    return new BitActionSet(this.size, out);
  }

  complement(): ActionSet {
    const a = this.words;
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = ~a[i]!;
    if (out.length > 0) out[out.length - 1]! &= tailMask(this.size);
    return new BitActionSet(this.size, out);
  }

  equals(other: ActionSet): boolean {
    const b = this.wordsOf(other);
    const a = this.words;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  isSubsetOf(other: ActionSet): boolean {
    const b = this.wordsOf(other);
    const a = this.words;
    for (let i = 0; i < a.length; i++) if ((a[i]! & ~b[i]!) !== 0) return false;
    return true;
  }

  intersects(other: ActionSet): boolean {
    const b = this.wordsOf(other);
    const a = this.words;
    for (let i = 0; i < a.length; i++) if ((a[i]! & b[i]!) !== 0) return true;
    return false;
  }

  *indices(): Iterable<number> {
    const a = this.words;
    for (let wi = 0; wi < a.length; wi++) {
      let w = a[wi]!;
      while (w !== 0) {
        const low = w & -w;
        yield (wi << 5) + (31 - Math.clz32(low));
        w ^= low;
      }
    }
  }

  /** @internal ORs this set into a builder's words without iterating indices. */
  orInto(target: Uint32Array): void {
    const a = this.words;
    for (let i = 0; i < a.length; i++) target[i]! |= a[i]!;
  }

  private wordsOf(other: ActionSet): Uint32Array {
    if (other.size !== this.size) {
      throw new RangeError(`ActionSet size mismatch: ${this.size} vs ${other.size}`);
    }
    if (other instanceof BitActionSet) return other.words;
    const words = new Uint32Array(this.words.length);
    for (const i of other.indices()) words[i >>> 5]! |= 1 << (i & 31);
    return words;
  }
}

/** Mutable accumulator for building one set without an allocation per added index or union. */
export class ActionSetBuilder {
  // Allocated on first write: most builders build once and are dropped, so `build()` hands its
  // words over without allocating a replacement nobody would use.
  private words: Uint32Array | undefined;

  constructor(readonly size: number) {}

  private target(): Uint32Array {
    this.words ??= new Uint32Array(wordCount(this.size));
    return this.words;
  }

  add(index: number): this {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`action index ${index} outside 0..${this.size - 1}`);
    }
    this.target()[index >>> 5]! |= 1 << (index & 31);
    return this;
  }

  addRange(start: number, end: number): this {
    const words = this.target();
    for (let i = start; i < end; i++) words[i >>> 5]! |= 1 << (i & 31);
    return this;
  }

  addSet(set: ActionSet): this {
    if (set.size !== this.size) throw new RangeError(`ActionSet size mismatch: ${this.size} vs ${set.size}`);
    const words = this.target();
    if (set instanceof BitActionSet) set.orInto(words);
    else for (const i of set.indices()) words[i >>> 5]! |= 1 << (i & 31);
    return this;
  }

  /** Hands the words to an immutable set; the builder starts afresh so the set stays immutable. */
  build(): BitActionSet {
    const set = BitActionSet.adopt(this.size, this.target());
    this.words = undefined;
    return set;
  }
}
