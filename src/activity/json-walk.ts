/**
 * A validating JSON walk over the bytes of one event that records where the values of a few chosen
 * member paths are (`$.eventName`, `$.userIdentity.arn`, …), without building the event as objects.
 * JSON.parse of every event, then reading the fields from the objects and serializing the JSON
 * columns again, cost about two thirds of ingest's worker time; this walk checks the same grammar
 * (RFC 8259: literals, numbers, string escapes, no raw control characters in strings, structure)
 * and hands back byte ranges that are copied into the staging record as they are.
 *
 * What it does not check is UTF-8: the caller validates the whole file once (`isUtf8`).
 * Member lookup follows JSON.parse: the last of duplicate names wins, and a path through a value
 * that is not an object (an array, a string, null) finds nothing.
 */
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET, ScanError } from './scan.js';

const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Deeper nesting than any CloudTrail event has; bounds the recursion on hostile input. */
const MAX_DEPTH = 512;

interface Member {
  readonly name: Uint8Array;
  readonly node: PathNode;
}

/** One member name on a path: the slot its value goes to (-1: only passed through) and its members. */
interface PathNode {
  slot: number;
  /** Members to look for inside this value when it is an object, by the byte length of their name. */
  readonly byLength: (Member[] | undefined)[];
  /** Slots of this node and every node below it: cleared when a repeated name replaces the value. */
  readonly slotsBelow: number[];
  /** The walk that last reached this node: reaching it again in the same walk is a repeated name. */
  seen: number;
  /** The name that came first in this object last time (see KeyEntry). */
  first: KeyEntry | null;
  /** Every name learned in this object, by byte length. */
  readonly names: (KeyEntry[] | undefined)[];
  learned: number;
}

/**
 * A member name met in an object on a path, spelled without escapes, and the name that followed it
 * last time. Events name their members in the same order as the events before them, so the walk
 * compares a key with the name it expects, four bytes at a time, instead of scanning it and then
 * looking it up among the paths' names (which cost about a fifth of the walk). The name's bytes are
 * valid string text (they were walked when learned), so a key equal to them needs no other check.
 */
interface KeyEntry {
  readonly name: Uint8Array;
  /** The name's bytes four at a time (little-endian), its last 0-3 bytes left out. */
  readonly words: Int32Array;
  /** The path member the name is, if any. */
  readonly member: Member | null;
  next: KeyEntry | null;
}

/** Names learned per object at most: hostile input cannot grow them without bound. */
const MAX_LEARNED = 64;

const newNode = (): PathNode => ({
  slot: -1,
  byLength: [],
  slotsBelow: [],
  seen: -1,
  first: null,
  names: [],
  learned: 0,
});

const encoder = new TextEncoder();

/**
 * Walks events and records, for each path given to the constructor, the byte range of its value
 * (`start[slot]`, `end[slot]`; -1 when absent) and whether a string value holds an escape.
 */
export class EventWalker {
  private readonly root: PathNode = newNode();
  readonly slots: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** 1 when the slot's value is a string holding a backslash escape (its bytes are not its text). */
  readonly escaped: Uint8Array;
  private buf: Uint8Array = new Uint8Array(0);
  /** `buf` read four bytes at a time (little-endian). */
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** Strings with an escape walked so far: a value holds one when it changed across the value. */
  private escapes = 0;
  /** Walks so far (PathNode.seen). */
  private walks = 0;

  /** `paths`: member names from the event's top level, e.g. ['userIdentity', 'arn']. Same paths share a slot. */
  constructor(paths: readonly (readonly string[])[]) {
    const slotOf = new Map<string, number>();
    for (const path of paths) {
      const key = JSON.stringify(path);
      if (slotOf.has(key)) continue;
      const slot = slotOf.size;
      slotOf.set(key, slot);
      let node = this.root;
      const chain: PathNode[] = [];
      for (const name of path) {
        const bytes = encoder.encode(name);
        let list = node.byLength[bytes.length];
        if (list === undefined) {
          list = [];
          node.byLength[bytes.length] = list;
        }
        let member = list.find((m) => Buffer.compare(m.name, bytes) === 0);
        if (!member) {
          member = { name: bytes, node: newNode() };
          list.push(member);
        }
        node = member.node;
        chain.push(node);
      }
      node.slot = slot;
      for (const n of chain) n.slotsBelow.push(slot);
    }
    this.slots = slotOf.size;
    this.start = new Int32Array(this.slots);
    this.end = new Int32Array(this.slots);
    this.escaped = new Uint8Array(this.slots);
  }

  /** The slot of a path given to the constructor. */
  slotOf(path: readonly string[]): number {
    let node = this.root;
    for (const name of path) {
      const bytes = encoder.encode(name);
      const member = node.byLength[bytes.length]?.find((m) => Buffer.compare(m.name, bytes) === 0);
      if (!member) throw new Error(`path ${path.join('.')} was not given to the walker`);
      node = member.node;
    }
    return node.slot;
  }

  /** Walks `buf` from now on (the view is made once per buffer, not per event). */
  private use(buf: Uint8Array): void {
    if (buf === this.buf) return;
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /**
   * Validates the JSON object spanning [from, to) (whitespace around it allowed) and records the
   * slots. Throws a ScanError when it is not one valid JSON object.
   */
  walk(buf: Uint8Array, from: number, to: number): void {
    this.use(buf);
    const i = this.space(this.walkObject(buf, this.space(from, to), to), to);
    if (i !== to) throw new ScanError(`unexpected data after the event at byte ${i}`);
  }

  /** Validates the JSON object starting at `from` (its `{`), which may run to `limit`; returns its end. */
  walkObject(buf: Uint8Array, from: number, limit: number): number {
    this.use(buf);
    // A loop, not fill(): for a few dozen slots per event the builtin's call costs more.
    const { start, end, escaped } = this;
    for (let k = 0; k < start.length; k++) {
      start[k] = -1;
      end[k] = -1;
      escaped[k] = 0;
    }
    this.walks++;
    if (from >= limit || buf[from] !== LBRACE) throw fail(from, limit, 'expected an object');
    return this.object(from, limit, this.root, 1);
  }

  private space(i: number, to: number): number {
    const buf = this.buf;
    while (i < to) {
      const b = buf[i]!;
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
      i++;
    }
    return i;
  }

  /** A tracked object at `i` (its `{`): members named in `node` are recorded. Returns the end. */
  private object(i: number, to: number, node: PathNode, depth: number): number {
    if (depth > MAX_DEPTH) throw new ScanError(`nesting deeper than ${MAX_DEPTH}`);
    const buf = this.buf;
    i++;
    if (buf[i]! <= 0x20) i = this.space(i, to);
    if (i < to && buf[i] === RBRACE) return i + 1;
    let expect = node.first;
    let prev: KeyEntry | null = null;
    for (;;) {
      if (i >= to || buf[i] !== QUOTE) throw fail(i, to, 'expected a member name');
      const keyStart = i + 1;
      let entry: KeyEntry | null = null;
      if (expect !== null) {
        // The expected name's bytes and a closing quote are the key (see KeyEntry).
        const name = expect.name;
        const n = name.length;
        if (keyStart + n < to && buf[keyStart + n] === QUOTE) {
          const words = expect.words;
          const view = this.view;
          let w = 0;
          while (w < words.length && view.getInt32(keyStart + 4 * w, true) === words[w]) w++;
          let k = 4 * w;
          if (w === words.length) while (k < n && buf[keyStart + k] === name[k]) k++;
          if (k === n) {
            entry = expect;
            i = keyStart + n + 1;
          }
        }
      }
      let member: Member | null;
      if (entry === null) {
        const escapes = this.escapes;
        i = this.string(i, to);
        const escaped = this.escapes !== escapes;
        entry = escaped ? null : this.learn(node, keyStart, i - 1);
        member = entry === null ? this.member(node, keyStart, i - 1, escaped) : entry.member;
        if (entry !== null) {
          if (prev === null) node.first = entry;
          else prev.next = entry;
        }
      } else member = entry.member;
      prev = entry;
      expect = entry === null ? null : entry.next;
      if (buf[i] !== COLON) {
        if (buf[i]! <= 0x20) i = this.space(i, to);
        if (i >= to || buf[i] !== COLON) throw fail(i, to, "expected ':'");
      }
      i++;
      if (buf[i]! <= 0x20) i = this.space(i, to);
      if (member === null) {
        i = this.value(i, to, depth);
      } else {
        const target = member.node;
        if (target.seen === this.walks) {
          // A repeated name: its value replaces the first one's, and what was found inside it.
          for (const s of target.slotsBelow) {
            this.start[s] = -1;
            this.end[s] = -1;
            this.escaped[s] = 0;
          }
        }
        target.seen = this.walks;
        const valueStart = i;
        const before = this.escapes;
        i =
          buf[i] === LBRACE && target.byLength.length > 0
            ? this.object(i, to, target, depth + 1)
            : this.value(i, to, depth);
        if (target.slot >= 0) {
          this.start[target.slot] = valueStart;
          this.end[target.slot] = i;
          this.escaped[target.slot] = buf[valueStart] === QUOTE && this.escapes !== before ? 1 : 0;
        }
      }
      let b = buf[i];
      if (b === COMMA) {
        i++;
        if (buf[i]! <= 0x20) i = this.space(i, to);
        continue;
      }
      if (b !== undefined && b <= 0x20) {
        i = this.space(i, to);
        b = buf[i];
      }
      if (i >= to) throw new ScanError('unexpected end of data (truncated file?)');
      if (b === COMMA) {
        i++;
        if (buf[i]! <= 0x20) i = this.space(i, to);
        continue;
      }
      if (b === RBRACE) return i + 1;
      throw new ScanError(`expected ',' or '}' at byte ${i}`);
    }
  }

  /** An object no path goes into: members are only validated. */
  private plainObject(i: number, to: number, depth: number): number {
    if (depth > MAX_DEPTH) throw new ScanError(`nesting deeper than ${MAX_DEPTH}`);
    const buf = this.buf;
    i++;
    if (buf[i]! <= 0x20) i = this.space(i, to);
    if (i < to && buf[i] === RBRACE) return i + 1;
    for (;;) {
      if (i >= to || buf[i] !== QUOTE) throw fail(i, to, 'expected a member name');
      i = this.string(i, to);
      if (buf[i] !== COLON) {
        if (buf[i]! <= 0x20) i = this.space(i, to);
        if (i >= to || buf[i] !== COLON) throw fail(i, to, "expected ':'");
      }
      i++;
      if (buf[i]! <= 0x20) i = this.space(i, to);
      i = buf[i] === QUOTE ? this.string(i, to) : this.value(i, to, depth);
      let b = buf[i];
      if (b === COMMA) {
        i++;
        if (buf[i]! <= 0x20) i = this.space(i, to);
        continue;
      }
      if (b !== undefined && b <= 0x20) {
        i = this.space(i, to);
        b = buf[i];
      }
      if (i >= to) throw new ScanError('unexpected end of data (truncated file?)');
      if (b === COMMA) {
        i++;
        if (buf[i]! <= 0x20) i = this.space(i, to);
        continue;
      }
      if (b === RBRACE) return i + 1;
      throw new ScanError(`expected ',' or '}' at byte ${i}`);
    }
  }

  /** The learned name of `node` whose bytes are [from, to), learning it when new (null past MAX_LEARNED). */
  private learn(node: PathNode, from: number, to: number): KeyEntry | null {
    const buf = this.buf;
    const list = node.names[to - from];
    if (list !== undefined)
      for (let n = 0; n < list.length; n++) {
        const e = list[n]!;
        const name = e.name;
        let k = 0;
        while (k < name.length && buf[from + k] === name[k]) k++;
        if (k === name.length) return e;
      }
    if (node.learned >= MAX_LEARNED) return null;
    node.learned++;
    // A copy (a view would keep the whole file's buffer alive).
    const name = new Uint8Array(buf.subarray(from, to));
    const words = new Int32Array(name.length >> 2);
    const view = new DataView(name.buffer);
    for (let k = 0; k < words.length; k++) words[k] = view.getInt32(4 * k, true);
    const entry: KeyEntry = { name, words, member: this.member(node, from, to, false), next: null };
    if (list === undefined) node.names[to - from] = [entry];
    else list.push(entry);
    return entry;
  }

  /** The member of `node` named by the key bytes [from, to), if it is one of the paths. */
  private member(node: PathNode, from: number, to: number, escaped: boolean): Member | null {
    if (escaped) {
      const name = encoder.encode(JSON.parse(Buffer.from(this.buf.subarray(from - 1, to + 1)).toString()));
      const list = node.byLength[name.length];
      return list?.find((m) => Buffer.compare(m.name, name) === 0) ?? null;
    }
    const list = node.byLength[to - from];
    if (list === undefined) return null;
    const buf = this.buf;
    for (let n = 0; n < list.length; n++) {
      const m = list[n]!;
      const name = m.name;
      let k = 0;
      while (k < name.length && buf[from + k] === name[k]) k++;
      if (k === name.length) return m;
    }
    return null;
  }

  /** Any JSON value at `i`; returns its end. */
  private value(i: number, to: number, depth: number): number {
    const buf = this.buf;
    if (i >= to) throw new ScanError('unexpected end of data (truncated file?)');
    const b = buf[i]!;
    if (b === QUOTE) return this.string(i, to);
    if (b === LBRACE) return this.plainObject(i, to, depth + 1);
    if (b === LBRACKET) return this.array(i, to, depth + 1);
    if (b === MINUS || (b >= DIGIT_0 && b <= DIGIT_9)) return this.number(i, to);
    if (b === 0x74) return this.literal(i, to, TRUE);
    if (b === 0x66) return this.literal(i, to, FALSE);
    if (b === 0x6e) return this.literal(i, to, NULL);
    throw new ScanError(`unexpected character at byte ${i}`);
  }

  private array(i: number, to: number, depth: number): number {
    if (depth > MAX_DEPTH) throw new ScanError(`nesting deeper than ${MAX_DEPTH}`);
    const buf = this.buf;
    i++;
    if (buf[i]! <= 0x20) i = this.space(i, to);
    if (i < to && buf[i] === RBRACKET) return i + 1;
    for (;;) {
      i = buf[i] === QUOTE ? this.string(i, to) : this.value(i, to, depth);
      let b = buf[i];
      if (b === COMMA) {
        i++;
        if (buf[i]! <= 0x20) i = this.space(i, to);
        continue;
      }
      if (b !== undefined && b <= 0x20) {
        i = this.space(i, to);
        b = buf[i];
      }
      if (i >= to) throw new ScanError('unexpected end of data (truncated file?)');
      if (b === COMMA) {
        i++;
        if (buf[i]! <= 0x20) i = this.space(i, to);
        continue;
      }
      if (b === RBRACKET) return i + 1;
      throw new ScanError(`expected ',' or ']' at byte ${i}`);
    }
  }

  /**
   * The string whose opening quote is at `i`; returns the end after its closing quote. Four bytes
   * at a time while none of them is a quote, a backslash or a control character (the classic
   * has-less/has-zero word tests on the 32-bit value are nonzero exactly when a byte is below 0x20,
   * 0x22 or 0x5c): most of an event's bytes are in strings, and this took the walk of the benchmark
   * events from about 2.9 to 1.8 ns per byte.
   */
  private string(i: number, to: number): number {
    const buf = this.buf;
    const view = this.view;
    i++;
    while (i + 4 <= to) {
      const w = view.getInt32(i, true);
      const q = w ^ 0x22222222;
      const s = w ^ 0x5c5c5c5c;
      if ((((w - 0x20202020) & ~w) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
      i += 4;
    }
    while (i < to) {
      const b = buf[i]!;
      if (b <= QUOTE || b === BACKSLASH) {
        if (b === QUOTE) return i + 1;
        break;
      }
      i++;
    }
    return this.stringRest(i, to);
  }

  /** The rest of a string from `i`: an escape, a control character, a space or `!` (below the quote), or the end. */
  private stringRest(i: number, to: number): number {
    const buf = this.buf;
    for (;;) {
      let b = 0;
      while (i < to) {
        b = buf[i]!;
        if (b <= QUOTE || b === BACKSLASH) break;
        i++;
      }
      if (i >= to) throw new ScanError('unexpected end of data in a string (truncated file?)');
      if (b === QUOTE) return i + 1;
      if (b === BACKSLASH) {
        this.escapes++;
        i = this.escape(i, to);
        continue;
      }
      if (b < 0x20) throw new ScanError(`control character in a string at byte ${i}`);
      i++;
    }
  }

  private escape(i: number, to: number): number {
    const buf = this.buf;
    if (i + 1 >= to) throw fail(to, to, '');
    const e = buf[i + 1];
    if (e === 0x75) {
      if (i + 6 > to) throw fail(to, to, '');
      for (let k = i + 2; k < i + 6; k++)
        if (!isHex(buf[k]!)) throw new ScanError(`invalid \\u escape at byte ${i}`);
      return i + 6;
    }
    if (
      e === QUOTE ||
      e === BACKSLASH ||
      e === 0x2f ||
      e === 0x62 ||
      e === 0x66 ||
      e === 0x6e ||
      e === 0x72 ||
      e === 0x74
    )
      return i + 2;
    throw new ScanError(`invalid escape at byte ${i}`);
  }

  private number(i: number, to: number): number {
    const buf = this.buf;
    const at = i;
    if (buf[i] === MINUS) i++;
    if (i < to && buf[i] === DIGIT_0) i++;
    else i = this.digits(i, to, at);
    if (i < to && buf[i] === DOT) i = this.digits(i + 1, to, at);
    if (i < to && (buf[i] === 0x65 || buf[i] === 0x45)) {
      i++;
      if (i < to && (buf[i] === 0x2b || buf[i] === MINUS)) i++;
      i = this.digits(i, to, at);
    }
    if (i < to && !isDelimiter(buf[i]!)) throw new ScanError(`invalid number at byte ${at}`);
    return i;
  }

  private digits(i: number, to: number, at: number): number {
    const buf = this.buf;
    const first = i;
    while (i < to && buf[i]! >= DIGIT_0 && buf[i]! <= DIGIT_9) i++;
    if (i === first) throw fail(i, to, `invalid number at byte ${at}`, false);
    return i;
  }

  private literal(i: number, to: number, word: Uint8Array): number {
    const buf = this.buf;
    if (i + word.length > to) throw fail(to, to, '');
    for (let k = 1; k < word.length; k++)
      if (buf[i + k] !== word[k]) throw new ScanError(`unexpected character at byte ${i}`);
    const after = i + word.length;
    if (after < to && !isDelimiter(buf[after]!)) throw new ScanError(`unexpected character at byte ${after}`);
    return after;
  }
}

const TRUE = encoder.encode('true');
const FALSE = encoder.encode('false');
const NULL = encoder.encode('null');

function fail(i: number, to: number, message: string, at = true): ScanError {
  if (i >= to) return new ScanError('unexpected end of data (truncated file?)');
  return new ScanError(at ? `${message} at byte ${i}` : message);
}

function isHex(b: number): boolean {
  return (b >= DIGIT_0 && b <= DIGIT_9) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function isDelimiter(b: number): boolean {
  return (
    b === COMMA ||
    b === RBRACE ||
    b === RBRACKET ||
    b === COLON ||
    b === 0x20 ||
    b === 0x0a ||
    b === 0x0d ||
    b === 0x09
  );
}
