/**
 * The set of event keys (eventIDs) an ingest has stored, for its in-memory deduplication: the keys'
 * UTF-8 bytes one after another in an arena, and an open-addressing table of [hash, entry] pairs.
 * A `Set` of strings cost the main thread about 1.8 CPU-s per million events on the benchmark
 * (several cache misses per add, among a million strings the garbage collector marks again and
 * again); here the workers hash the keys (hashKey), an add is mostly one probe of the table, and
 * the arena and table are a few flat buffers the collector does not trace. Keys are compared byte
 * for byte when their hashes agree, so the set is exact.
 */

/** A 32-bit hash of bytes [from, to) (`view` over the same bytes): four at a time, then murmur3's finaliser. */
export function hashKey(bytes: Uint8Array, view: DataView, from: number, to: number): number {
  let h = (to - from) | 0;
  let k = from;
  for (; k + 4 <= to; k += 4) {
    h = Math.imul(h ^ view.getInt32(k, true), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; k < to; k++) h = Math.imul(h ^ bytes[k]!, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const INITIAL_ENTRIES = 1 << 14;

export class KeySet {
  /** Pairs [hash, entry + 1]; 0 in the second is an empty slot. At most half full. */
  private table: Int32Array;
  /** Where entry k's bytes start in the arena; they end where entry k + 1's start (`starts[size]` = used). */
  private starts: Uint32Array;
  private arena: Uint8Array;
  private count = 0;

  /**
   * `expected`: the keys the caller expects to add at most; the table starts that large (growing
   * it moves every key, a cache miss each: about 0.3 CPU-s per million keys on the benchmark), and
   * the arena has room for that many 40-byte keys (a CloudTrail eventID is 36): pages the keys do
   * not reach are never touched, and growing it copied it all (0.1 s per million).
   */
  constructor(private readonly expected = INITIAL_ENTRIES) {
    this.table = new Int32Array(tableLength(expected));
    this.starts = new Uint32Array(Math.max(INITIAL_ENTRIES, expected) + 1);
    this.arena = new Uint8Array(40 * Math.max(INITIAL_ENTRIES, expected));
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key of bytes [from, to) whose hashKey is `hash`; false when it was there already. */
  add(bytes: Uint8Array, from: number, to: number, hash: number): boolean {
    const slot = this.find(bytes, from, to, hash);
    if (this.table[slot + 1] !== 0) return false;
    const length = to - from;
    const used = this.starts[this.count]!;
    if (used + length > this.arena.length) this.arena = grown(this.arena, used + length);
    this.arena.set(bytes.subarray(from, to), used);
    this.table[slot] = hash;
    this.table[slot + 1] = this.count + 1;
    this.count++;
    if (this.count + 1 >= this.starts.length) {
      const starts = new Uint32Array(Math.ceil(1.5 * this.starts.length));
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[this.count] = used + length;
    if (4 * this.count > this.table.length) this.rehash();
    return true;
  }

  has(bytes: Uint8Array, from: number, to: number, hash: number): boolean {
    return this.table[this.find(bytes, from, to, hash) + 1] !== 0;
  }

  clear(): void {
    this.table = new Int32Array(tableLength(this.expected));
    this.starts = new Uint32Array(Math.max(INITIAL_ENTRIES, this.expected) + 1);
    this.arena = new Uint8Array(40 * Math.max(INITIAL_ENTRIES, this.expected));
    this.count = 0;
  }

  /** The slot holding the key, or the empty slot where it would go. */
  private find(bytes: Uint8Array, from: number, to: number, hash: number): number {
    const { table, starts, arena } = this;
    const mask = table.length - 2;
    const length = to - from;
    let slot = (hash << 1) & mask;
    for (;;) {
      const entry = table[slot + 1]!;
      if (entry === 0) return slot;
      if (table[slot] === hash) {
        const start = starts[entry - 1]!;
        if (starts[entry]! - start === length) {
          let k = 0;
          while (k < length && arena[start + k] === bytes[from + k]) k++;
          if (k === length) return slot;
        }
      }
      slot = (slot + 2) & mask;
    }
  }

  private rehash(): void {
    const old = this.table;
    const table = new Int32Array(2 * old.length);
    const mask = table.length - 2;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      let slot = (old[s]! << 1) & mask;
      while (table[slot + 1] !== 0) slot = (slot + 2) & mask;
      table[slot] = old[s]!;
      table[slot + 1] = old[s + 1]!;
    }
    this.table = table;
  }
}

/** Int32s of a table holding `entries` pairs at most half full (a power of two). */
function tableLength(entries: number): number {
  let length = 4 * INITIAL_ENTRIES;
  while (length < 4 * entries) length *= 2;
  return length;
}

function grown(arena: Uint8Array, need: number): Uint8Array<ArrayBuffer> {
  // By half again, not double: the arena is most of the set's memory.
  const bigger = new Uint8Array(Math.max(Math.ceil(1.5 * arena.length), need));
  bigger.set(arena);
  return bigger;
}
