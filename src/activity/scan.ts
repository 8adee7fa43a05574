/**
 * Finds the CloudTrail events in a log file's bytes without parsing them: the byte range of each
 * event object, so the raw text is kept exactly as delivered and DuckDB (native, vectorised) does
 * the field extraction. JSON.parse per event would cost two thirds of the ingest time.
 *
 * The scanner only tracks structure (strings, nesting); whether each event is valid JSON is checked
 * by DuckDB when the batch is flushed, and a file with an invalid event is rejected as a whole.
 * UTF-8 multi-byte sequences never contain ASCII bytes, so scanning bytes for `"{}[],:` is safe.
 */

/** What a file turned out to be. */
export type ScannedKind =
  | 'records'
  | 'lookup-events'
  | 'event-array'
  | 'single-event'
  | 'json-lines'
  | 'digest';

export interface ScanResult {
  readonly kind: ScannedKind;
  /** UTF-8 bytes holding the events; for most files the decompressed file itself. */
  readonly bytes: Uint8Array;
  /** Pairs of [start, end) byte offsets into `bytes`, one pair per event. */
  readonly spans: Uint32Array;
  readonly count: number;
}

export class ScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanError';
  }
}

/** JSON's structural bytes, shared with the event walker (json-walk.ts). */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** Deeper nesting than any CloudTrail event has; bounds the work on hostile input. */
const MAX_DEPTH = 512;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipSpace(buf: Uint8Array, pos: number, end: number): number {
  while (pos < end && isSpace(buf[pos]!)) pos++;
  return pos;
}

/** End (exclusive) of the string whose opening quote is at `pos`. */
function stringEnd(buf: Uint8Array, pos: number, end: number): number {
  let i = pos + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0 || q >= end) throw new ScanError('unterminated string (truncated file?)');
    // An escaped quote has an odd number of backslashes before it.
    let k = q - 1;
    while (k > pos && buf[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** End (exclusive) of the JSON value starting at `pos` (which is not whitespace). */
export function valueEnd(buf: Uint8Array, pos: number, end: number): number {
  const first = buf[pos];
  if (first === QUOTE) return stringEnd(buf, pos, end);
  if (first !== LBRACE && first !== LBRACKET) {
    // A number, true, false or null: runs to the next delimiter.
    let i = pos;
    while (i < end) {
      const b = buf[i]!;
      if (b === COMMA || b === RBRACE || b === RBRACKET || b === COLON || isSpace(b)) break;
      i++;
    }
    if (i === pos) throw new ScanError(`unexpected character at byte ${pos}`);
    return i;
  }
  let depth = 0;
  let i = pos;
  while (i < end) {
    const b = buf[i]!;
    if (b === QUOTE) {
      i = stringEnd(buf, i, end);
      continue;
    }
    if (b === LBRACE || b === LBRACKET) {
      if (++depth > MAX_DEPTH) throw new ScanError(`nesting deeper than ${MAX_DEPTH}`);
    } else if (b === RBRACE || b === RBRACKET) {
      if (--depth === 0) return i + 1;
    }
    i++;
  }
  throw new ScanError('unexpected end of data (truncated file?)');
}

interface Entry {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

const decoder = new TextDecoder();

/**
 * The top-level members of the object spanning [start, end). Keys are short; values stay as spans.
 * `scanMember` may scan a member's value itself (returning its end) so a large `Records` array is
 * walked once, not twice.
 */
function objectEntries(
  buf: Uint8Array,
  start: number,
  end: number,
  scanMember?: (key: string, pos: number) => number | undefined,
): { entries: Entry[]; end: number } {
  const out: Entry[] = [];
  let i = skipSpace(buf, start + 1, end);
  if (buf[i] === RBRACE) return { entries: out, end: i + 1 };
  for (;;) {
    if (i >= end) throw new ScanError('unexpected end of data (truncated file?)');
    if (buf[i] !== QUOTE) throw new ScanError(`expected a member name at byte ${i}`);
    const keyEnd = stringEnd(buf, i, end);
    const key = decoder.decode(buf.subarray(i + 1, keyEnd - 1));
    i = skipSpace(buf, keyEnd, end);
    if (buf[i] !== COLON) throw new ScanError(`expected ':' at byte ${i}`);
    i = skipSpace(buf, i + 1, end);
    const vEnd = scanMember?.(key, i) ?? valueEnd(buf, i, end);
    out.push({ key, start: i, end: vEnd });
    i = skipSpace(buf, vEnd, end);
    if (buf[i] === COMMA) {
      i = skipSpace(buf, i + 1, end);
      continue;
    }
    if (buf[i] === RBRACE) return { entries: out, end: i + 1 };
    if (i >= end) throw new ScanError('unexpected end of data (truncated file?)');
    throw new ScanError(`expected ',' or '}' at byte ${i}`);
  }
}

/**
 * Takes the event object starting at `start` (which may run to `limit`) and returns its end: lets
 * the caller validate and encode each event of an array as the scan finds it, in one pass.
 */
export type EventVisitor = (start: number, limit: number) => number;

/** Pushes the element spans of the array starting at `start`; returns the array's end. */
function arrayElements(
  buf: Uint8Array,
  start: number,
  end: number,
  out: number[],
  visit?: EventVisitor,
): number {
  let i = skipSpace(buf, start + 1, end);
  if (buf[i] === RBRACKET) return i + 1;
  for (;;) {
    if (i >= end) throw new ScanError('unexpected end of data (truncated file?)');
    const vEnd = visit !== undefined && buf[i] === LBRACE ? visit(i, end) : valueEnd(buf, i, end);
    out.push(i, vEnd);
    i = skipSpace(buf, vEnd, end);
    if (buf[i] === COMMA) {
      i = skipSpace(buf, i + 1, end);
      continue;
    }
    if (buf[i] === RBRACKET) return i + 1;
    if (i >= end) throw new ScanError('unexpected end of data (truncated file?)');
    throw new ScanError(`expected ',' or ']' at byte ${i}`);
  }
}

const DIGEST_KEYS = ['digestStartTime', 'digestEndTime', 'logFiles'];
const EVENT_KEYS = new Set(['eventID', 'eventId', 'eventTime', 'eventName', 'eventSource', 'eventVersion']);

function requireObjects(buf: Uint8Array, spans: readonly number[], where: string): void {
  for (let k = 0; k < spans.length; k += 2) {
    if (buf[spans[k]!] !== LBRACE) throw new ScanError(`${where}[${k / 2}] is not an object`);
  }
}

/**
 * One top-level value starting at `start`: a Records file, lookup-events output, an array of events,
 * or one event. Returns its kind and end, scanning the bytes once.
 */
function scanTopValue(
  buf: Uint8Array,
  start: number,
  end: number,
  spans: number[],
  lookup: string[],
  visit?: EventVisitor,
): { kind: Exclude<ScannedKind, 'json-lines'>; end: number } {
  const from = spans.length;
  if (buf[start] === LBRACKET) {
    const arrayEnd = arrayElements(buf, start, end, spans, visit);
    requireObjects(buf, spans.slice(from), 'element');
    return { kind: 'event-array', end: arrayEnd };
  }
  if (buf[start] !== LBRACE) throw new ScanError(`not a JSON object or array at byte ${start}`);
  let sawRecords = false;
  const object = objectEntries(buf, start, end, (key, pos) => {
    if (key !== 'Records') return undefined;
    if (buf[pos] !== LBRACKET || sawRecords) throw new ScanError('"Records" is not one array');
    sawRecords = true;
    return arrayElements(buf, pos, end, spans, visit);
  });
  if (sawRecords) {
    requireObjects(buf, spans.slice(from), 'Records');
    return { kind: 'records', end: object.end };
  }
  const entries = object.entries;
  const events = entries.find((e) => e.key === 'Events');
  if (events && buf[events.start] === LBRACKET) {
    // aws cloudtrail lookup-events: each element carries the event as a JSON string.
    const elements: number[] = [];
    arrayElements(buf, events.start, events.end, elements);
    for (let k = 0; k < elements.length; k += 2) {
      const s = elements[k]!;
      if (buf[s] !== LBRACE) throw new ScanError(`Events[${k / 2}] is not an object`);
      const inner = objectEntries(buf, s, elements[k + 1]!).entries.find((e) => e.key === 'CloudTrailEvent');
      if (!inner || buf[inner.start] !== QUOTE)
        throw new ScanError(`Events[${k / 2}] has no CloudTrailEvent string`);
      let text: unknown;
      try {
        text = JSON.parse(decoder.decode(buf.subarray(inner.start, inner.end)));
      } catch {
        throw new ScanError(`Events[${k / 2}].CloudTrailEvent is not a valid JSON string`);
      }
      if (typeof text !== 'string' || !text.trimStart().startsWith('{'))
        throw new ScanError(`Events[${k / 2}].CloudTrailEvent does not hold a JSON object`);
      lookup.push(text);
    }
    return { kind: 'lookup-events', end: object.end };
  }
  const keys = new Set(entries.map((e) => e.key));
  if (DIGEST_KEYS.every((k) => keys.has(k))) return { kind: 'digest', end: object.end };
  if (entries.some((e) => EVENT_KEYS.has(e.key))) {
    spans.push(start, object.end);
    return { kind: 'single-event', end: object.end };
  }
  throw new ScanError('no "Records" array, "Events" array or event fields: not a CloudTrail log');
}

const encoder = new TextEncoder();

/**
 * Scans a whole file. Several top-level values (JSON lines, or concatenated documents) are each
 * scanned; lookup-events text is re-encoded into a fresh buffer since its events are JSON strings.
 */
export function scanCloudTrail(bytes: Uint8Array, visit?: EventVisitor): ScanResult {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 BOM
  const end = bytes.length;
  const spans: number[] = [];
  const lookup: string[] = [];
  const kinds = new Set<ScannedKind>();
  let values = 0;
  let i = skipSpace(bytes, start, end);
  if (i >= end) throw new ScanError('empty file');
  while (i < end) {
    const top = scanTopValue(bytes, i, end, spans, lookup, visit);
    kinds.add(top.kind);
    values++;
    i = skipSpace(bytes, top.end, end);
  }
  if (kinds.has('digest')) {
    if (kinds.size > 1) throw new ScanError('a digest document mixed with events');
    return { kind: 'digest', bytes, spans: new Uint32Array(0), count: 0 };
  }
  if (lookup.length > 0 || kinds.has('lookup-events')) {
    if (kinds.size > 1) throw new ScanError('lookup-events output mixed with other documents');
    return encodeStrings(lookup);
  }
  const kind: ScannedKind = values > 1 ? 'json-lines' : ([...kinds][0] ?? 'records');
  return { kind, bytes, spans: Uint32Array.from(spans), count: spans.length / 2 };
}

function encodeStrings(texts: readonly string[]): ScanResult {
  const parts = texts.map((t) => encoder.encode(t));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  const spans = new Uint32Array(parts.length * 2);
  let at = 0;
  parts.forEach((p, k) => {
    bytes.set(p, at);
    spans[2 * k] = at;
    spans[2 * k + 1] = at + p.length;
    at += p.length;
  });
  return { kind: 'lookup-events', bytes, spans, count: parts.length };
}
