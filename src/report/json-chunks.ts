/**
 * `JSON.stringify(value, null, indent)` as a sequence of pieces, so a report of a large organization
 * (tens of thousands of findings, hundreds of MB of text) is written as it is made instead of being
 * held whole, and its per-finding objects can be made one at a time (`streamedArray`). The pieces
 * joined are exactly the bytes JSON.stringify gives.
 */

/** An array whose elements are made when serialized: one at a time, each dropped once written. */
export class StreamedArray {
  readonly #items: () => Iterable<unknown>;
  constructor(items: () => Iterable<unknown>) {
    this.#items = items;
  }
  items(): Iterable<unknown> {
    return this.#items();
  }
  /** JSON.stringify (and so `renderReport`'s whole-text path) sees the elements as an array. */
  toJSON(): unknown[] {
    return Array.from(this.#items());
  }
}

/** `fn` over `list`, applied as the JSON is written. */
export function streamedArray<T>(list: readonly T[], fn: (item: T, index: number) => unknown): StreamedArray {
  return new StreamedArray(function* () {
    for (let i = 0; i < list.length; i++) yield fn(list[i] as T, i);
  });
}

// Objects are taken apart key by key only near the top (the document's frame); deeper values and
// array elements go to JSON.stringify whole, which is faster than anything written here.
const FRAME_DEPTH = 4;
const SHORT = 8;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/**
 * `value` as JSON.stringify writes it at nesting `depth`: wrapped in `depth` arrays, so its lines get
 * the depth's indentation, and the wrapping cut off again (a slice, not a copy). Undefined when
 * JSON has no text for it (undefined, a function, a symbol).
 */
function textAt(value: unknown, depth: number, indent: string): string | undefined {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, indent);
  if (depth === 0 || text === undefined) return text;
  if (indent === '') return text.slice(depth, text.length - depth);
  // `[` newline pad(i) for each level before, newline pad(i) `]` for each level after.
  let head = 0;
  let tail = 0;
  for (let i = 1; i <= depth; i++) head += 2 + indent.length * i;
  for (let i = 0; i < depth; i++) tail += 2 + indent.length * i;
  return text.slice(head, text.length - tail);
}

/** Whole elements per JSON.stringify call: also how far making a streamed array's elements runs ahead of writing them. */
export const JSON_BATCH = 64;

/**
 * The elements of `batch` as they appear inside an array at nesting `depth`, separated as
 * JSON.stringify separates them: the array's text without its brackets and the padding after `[`
 * and before `]`. Elements JSON has no text for become `null`, as in any array.
 */
function elementsText(batch: readonly unknown[], depth: number, indent: string, inner: string): string {
  const text = textAt(batch, depth, indent) as string;
  const nl = indent === '' ? '' : '\n';
  return text.slice(1 + inner.length, text.length - (nl.length + indent.length * depth + 1));
}

function* pieces(value: unknown, depth: number, indent: string): Generator<string> {
  const nl = indent === '' ? '' : '\n';
  if (value instanceof StreamedArray || (Array.isArray(value) && depth < FRAME_DEPTH)) {
    const items: Iterable<unknown> = value instanceof StreamedArray ? value.items() : value;
    // A long list's elements (findings) are serialized whole; a short one's may hold the frame.
    const whole = value instanceof StreamedArray || value.length > SHORT;
    const inner = nl + indent.repeat(depth + 1);
    let first = true;
    // Whole elements go to JSON.stringify JSON_BATCH at a time: one call per element costs twice as much
    // (10,782 findings: 65 -> 35 ms) and the text is the same.
    let batch: unknown[] = [];
    for (const item of items) {
      if (whole && !(item instanceof StreamedArray)) {
        batch.push(item);
        if (batch.length < JSON_BATCH) continue;
        yield `${first ? '[' : ','}${inner}${elementsText(batch, depth, indent, inner)}`;
        first = false;
        batch = [];
        continue;
      }
      if (batch.length > 0) {
        yield `${first ? '[' : ','}${inner}${elementsText(batch, depth, indent, inner)}`;
        first = false;
        batch = [];
      }
      yield first ? `[${inner}` : `,${inner}`;
      first = false;
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else if (item instanceof StreamedArray || !whole) yield* pieces(item, depth + 1, indent);
      else yield textAt(item, depth + 1, indent) ?? 'null';
    }
    if (batch.length > 0) {
      yield `${first ? '[' : ','}${inner}${elementsText(batch, depth, indent, inner)}`;
      first = false;
    }
    yield first ? '[]' : `${nl}${indent.repeat(depth)}]`;
    return;
  }
  if (value !== null && typeof value === 'object' && depth < FRAME_DEPTH && isPlainObject(value)) {
    const inner = nl + indent.repeat(depth + 1);
    const colon = indent === '' ? ':' : ': ';
    let first = true;
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      yield `${first ? '{' : ','}${inner}${JSON.stringify(key)}${colon}`;
      first = false;
      yield* pieces(v, depth + 1, indent);
    }
    yield first ? '{}' : `${nl}${indent.repeat(depth)}}`;
    return;
  }
  const text = textAt(value, depth, indent);
  if (text !== undefined) yield text;
}

/**
 * The pieces of `JSON.stringify(value, null, indent)` (indent: spaces, or '' for compact JSON), for
 * plain data: objects whose `toJSON` uses its key argument are not supported (Date's does not).
 */
export function jsonChunks(value: unknown, indent = ''): Iterable<string> {
  return pieces(value, 0, indent);
}

/**
 * A text made in pieces: iterated, it gives strings of about a megabyte (for stdout); a writer that
 * encodes into its own buffer (`writeReportFile`) takes the pieces as made, saving a copy. Each
 * iteration makes the text again.
 */
export class PiecedText implements Iterable<string> {
  readonly #pieces: () => Iterable<string>;
  constructor(pieces: () => Iterable<string>) {
    this.#pieces = pieces;
  }
  [Symbol.iterator](): Iterator<string> {
    return batched(this.#pieces())[Symbol.iterator]();
  }
  pieces(): Iterable<string> {
    return this.#pieces();
  }
}

/** Pieces joined into strings of about `size` characters: fewer, larger writes. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const c of chunks) {
    parts.push(c);
    length += c.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}
