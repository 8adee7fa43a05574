/**
 * The staging format between the worker threads and DuckDB. A worker walks each event once
 * (json-walk.ts: it validates the JSON and finds the byte ranges of the typed columns' values) and
 * writes one record per event: the column values as text separated by U+001F, NULL as a lone
 * U+001E, the raw event text last; records are separated by U+001D, one staging file per log file.
 * Plain string values and JSON values are copied from the event's bytes as they are; only escaped
 * strings, numbers and objects in text columns go through JSON.parse. DuckDB reads the staging
 * files itself (read_text) and only splits them: no JSON parsing on the database side and no
 * per-event call from JavaScript.
 *
 * Valid JSON text cannot hold a raw control character (RFC 8259 §7), so neither the raw event nor a
 * JSON column can contain a separator. A string value can (an escaped `\u001f` in a user agent, say):
 * such an event's record starts with the `J` mode mark and DuckDB takes its text columns from the
 * raw event with its JSON functions instead, so every value stays exact.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { EventWalker } from './json-walk.js';
import { hashKey } from './key-set.js';
import { ScanError } from './scan.js';
import { cutColumn, EVENT_COLUMNS, INGEST_EXTRA_PATHS, RAW_CUTS } from './schema.js';

const SEPARATOR_BYTE = 0x1f;
const NULL_BYTE = 0x1e;
const RECORD_SEPARATOR = 0x1d;
const QUOTE_BYTE = 0x1c;
const NEWLINE = 0x0a;
/** Events larger than this (raw bytes; CloudTrail's own are far smaller) are staged apart from the CSV lines, whose size DuckDB bounds (and buffers twice over). */
export const BIG_EVENT_BYTES = 1024 * 1024;
/** A text value that would break the record (or that DuckDB's text functions do not keep) sends the event the JSON way. */
function unsafeText(s: string): boolean {
  return (
    s.includes('\x1f') || s.includes('\x1e') || s.includes('\x1d') || s.includes('\x1c') || s.includes('\x00')
  );
}

export type StageType = 'VARCHAR' | 'TIMESTAMP' | 'BOOLEAN' | 'JSON';

export interface StageField {
  /** Column of `cloudtrail_events`. */
  readonly column: string;
  readonly type: StageType;
  /** JSONPath of the value (a constant of schema.ts). */
  readonly path: string;
}

/** The typed fields of a record, in order, after the mode mark, file id, position and event id. */
export const STAGE_FIELDS: readonly StageField[] = [
  ...EVENT_COLUMNS.filter((c) => c.name !== 'raw' && c.name !== 'event_id').map((c) => ({
    column: c.name,
    type: c.type,
    path: c.path,
  })),
  { column: 'addendum_reason', type: 'VARCHAR', path: INGEST_EXTRA_PATHS.addendumReason },
  { column: 'addendum_original_event_id', type: 'VARCHAR', path: INGEST_EXTRA_PATHS.addendumOriginalEventId },
];

const EVENT_ID_PATH = EVENT_COLUMNS.find((c) => c.name === 'event_id')!.path;

/** Parsed once: `$.a.b` → ['a', 'b']. */
function segments(path: string): readonly string[] {
  return path === '$' ? [] : path.slice(2).split('.');
}
const FIELD_SEGMENTS = STAGE_FIELDS.map((f) => segments(f.path));
const EVENT_ID = segments(EVENT_ID_PATH);
const EVENT_ID_LOWER = segments(INGEST_EXTRA_PATHS.eventIdLower);

/** What DuckDB's json_extract_string gives: a string as is, other scalars as JSON text. */
function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** DuckDB's VARCHAR → BOOLEAN cast vocabulary (case-insensitive); anything else is NULL. */
export function asBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string') return null;
  switch (text.toLowerCase()) {
    case 'true':
    case 't':
    case '1':
    case 'yes':
    case 'y':
      return true;
    case 'false':
    case 'f':
    case '0':
    case 'no':
    case 'n':
      return false;
    default:
      return null;
  }
}

const ISO_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?(?:(Z| ?UTC)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DIGIT_0 = 0x30;
let lastDay = '';
let lastDayMillis = 0;

/** The two decimal digits at `k` of `v`, or -1. */
function twoDigits(v: string, k: number): number {
  const a = v.charCodeAt(k) - DIGIT_0;
  const b = v.charCodeAt(k + 1) - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, CloudTrail's own format, without a regex; null for anything else. */
function canonicalMicros(v: string): number | null {
  for (const k of [4, 7]) if (v.charCodeAt(k) !== 0x2d) return null;
  if (v.charCodeAt(10) !== 0x54 || v.charCodeAt(13) !== 0x3a || v.charCodeAt(16) !== 0x3a) return null;
  if (v.charCodeAt(19) !== 0x5a) return null;
  const two = (k: number): number => twoDigits(v, k);
  const hour = two(11);
  const minute = two(14);
  const second = two(17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const day = v.slice(0, 10);
  if (day !== lastDay) {
    const year = two(0) * 100 + two(2);
    const month = two(5);
    const date = two(8);
    if (two(0) < 0 || two(2) < 0 || month < 1 || month > 12 || date < 1) return null;
    const millis = Date.UTC(year, month - 1, date);
    if (new Date(millis).getUTCDate() !== date) return null;
    lastDay = day;
    lastDayMillis = millis;
  }
  return (lastDayMillis + ((hour * 60 + minute) * 60 + second) * 1000) * 1000;
}

/**
 * An ISO 8601 time as microseconds since the epoch in UTC (no offset means UTC, as CloudTrail
 * writes it); NULL when it is not a valid time. Bounded input: the pattern has no nested repetition.
 */
export function isoMicros(v: unknown): number | null {
  if (typeof v !== 'string' || v.length > 64) return null;
  if (v.length === 20) {
    const fast = canonicalMicros(v);
    if (fast !== null) return fast;
  }
  const m = ISO_TIME.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || minute > 59 || second > 59) return null;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || Number(frac) > 0))) return null;
  const midnight = Date.UTC(year, month - 1, day);
  const date = new Date(midnight);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const millis = midnight + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
  return millis * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

/** One file's events in the staging format (events only; Insights and aggregated events counted). */
export interface EncodedEvents {
  readonly count: number;
  /**
   * The key each event is deduplicated by (eventID, else eventId, else `sha256:` + hash of its
   * text) as UTF-8, one after another: event k's bytes end at `keyEnds[k]` and start where the
   * previous one's end (eventKeys decodes them); `keyHashes[k]` is their hashKey (key-set.ts). Bytes
   * and hashes rather than strings: the main thread deduplicates them without making strings.
   */
  readonly keys: Uint8Array;
  readonly keyEnds: Uint32Array;
  readonly keyHashes: Int32Array;
  /** 1 where the event is an UPDATED_DATA addendum (it replaces an earlier copy of its eventID). */
  readonly updated: Uint8Array;
  /** The records as CSV lines (stageSelect); each record holds its position (`ord`). */
  readonly bytes: Uint8Array;
  /** The records of events above BIG_EVENT_BYTES, separated by U+001D; null when there are none. */
  readonly big: Uint8Array | null;
  readonly insights: number;
  readonly aggregated: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const QUOTE = 0x22;

// Every path the encoder reads, walked once per event; same paths share a slot.
const walker = new EventWalker([
  ...FIELD_SEGMENTS,
  EVENT_ID,
  EVENT_ID_LOWER,
  ['eventType'],
  ['eventCategory'],
]);
const FIELD_SLOTS = Int32Array.from(FIELD_SEGMENTS.map((p) => walker.slotOf(p)));
const FIELD_TYPES = STAGE_FIELDS.map((f) => f.type);
const ID_SLOT = walker.slotOf(EVENT_ID);
const ID_LOWER_SLOT = walker.slotOf(EVENT_ID_LOWER);
const TYPE_SLOT = walker.slotOf(['eventType']);
const CATEGORY_SLOT = walker.slotOf(['eventCategory']);
const ADDENDUM_REASON_SLOT = walker.slotOf(segments(INGEST_EXTRA_PATHS.addendumReason));

// The values cut from the raw event (schema.ts RAW_CUTS), in order: their field, -1 for the event id.
const CUT_FIELDS = Int32Array.from(
  RAW_CUTS.map((column) => (column === 'event_id' ? -1 : STAGE_FIELDS.findIndex((f) => f.column === column))),
);
if (RAW_CUTS.some((c, k) => c !== 'event_id' && CUT_FIELDS[k] === -1))
  throw new Error('RAW_CUTS names a column that is not staged');

const INSIGHT_TYPE = encoder.encode('"AwsCloudTrailInsight"');
const INSIGHT_CATEGORY = encoder.encode('"Insight"');
const AGGREGATED_TYPE = encoder.encode('"AwsAggregatedEvent"');
const AGGREGATED_CATEGORY = encoder.encode('"Aggregated"');
const UPDATED_DATA = encoder.encode('"UPDATED_DATA"');

/** Reads the walker's slots of the event in `src`. */
class Slots {
  constructor(private readonly src: Buffer) {}

  /** Absent or JSON null: both are SQL NULL. */
  missing(slot: number): boolean {
    const s = walker.start[slot]!;
    return s < 0 || this.src[s] === 0x6e;
  }

  /** A string without escapes: its bytes between the quotes are its text. */
  plainString(slot: number): boolean {
    return this.src[walker.start[slot]!] === QUOTE && walker.escaped[slot] === 0;
  }

  /** The value as JSON.parse gives it (the rare values that are not plain strings). */
  value(slot: number): unknown {
    return JSON.parse(this.src.toString('utf8', walker.start[slot]!, walker.end[slot]!));
  }

  /** The text of a string value, or null when it is not a string. */
  text(slot: number): string | null {
    if (walker.start[slot]! < 0) return null;
    if (this.plainString(slot))
      return this.src.toString('utf8', walker.start[slot]! + 1, walker.end[slot]! - 1);
    const v = this.src[walker.start[slot]!] === QUOTE ? this.value(slot) : null;
    return typeof v === 'string' ? v : null;
  }

  /** Whether the value is the string whose JSON text (with quotes) is `json`. */
  is(slot: number, json: Uint8Array): boolean {
    const s = walker.start[slot]!;
    if (s < 0 || this.src[s] !== QUOTE) return false;
    if (walker.escaped[slot] === 1) return this.text(slot) === JSON.parse(decoder.decode(json));
    const e = walker.end[slot]!;
    if (e - s !== json.length) return false;
    for (let k = 0; k < json.length; k++) if (this.src[s + k] !== json[k]) return false;
    return true;
  }
}

const lastDayBytes = new Uint8Array(10);
let lastDayBytesMillis = Number.NaN;

/** The two decimal digits at `at` of `buf`, or -1. */
function twoDigitsAt(buf: Uint8Array, at: number): number {
  const a = buf[at]! - DIGIT_0;
  const b = buf[at + 1]! - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `canonicalMicros` on the bytes [from, from + 20) of a plain string value, without making a
 * string. No closure per call: the benchmark runs under tsx, whose keep-names wrapper defines a
 * property on every closure made (a V8 runtime call per event).
 */
function canonicalMicrosAt(buf: Uint8Array, from: number): number | null {
  if (buf[from + 4] !== 0x2d || buf[from + 7] !== 0x2d || buf[from + 10] !== 0x54) return null;
  if (buf[from + 13] !== 0x3a || buf[from + 16] !== 0x3a || buf[from + 19] !== 0x5a) return null;
  const hour = twoDigitsAt(buf, from + 11);
  const minute = twoDigitsAt(buf, from + 14);
  const second = twoDigitsAt(buf, from + 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let sameDay = !Number.isNaN(lastDayBytesMillis);
  for (let k = 0; sameDay && k < 10; k++) sameDay = buf[from + k] === lastDayBytes[k];
  if (!sameDay) {
    const high = twoDigitsAt(buf, from);
    const low = twoDigitsAt(buf, from + 2);
    const month = twoDigitsAt(buf, from + 5);
    const date = twoDigitsAt(buf, from + 8);
    if (high < 0 || low < 0 || month < 1 || month > 12 || date < 1) return null;
    const millis = Date.UTC(high * 100 + low, month - 1, date);
    if (new Date(millis).getUTCDate() !== date) return null;
    lastDayBytes.set(buf.subarray(from, from + 10));
    lastDayBytesMillis = millis;
  }
  return (lastDayBytesMillis + ((hour * 60 + minute) * 60 + second) * 1000) * 1000;
}

/** Writes a non-negative integer below 1e9 at `at`; returns the new end. Integer arithmetic only. */
function writeSmall(out: Uint8Array, at: number, x: number): number {
  const digits =
    x < 10
      ? 1
      : x < 100
        ? 2
        : x < 1000
          ? 3
          : x < 1e4
            ? 4
            : x < 1e5
              ? 5
              : x < 1e6
                ? 6
                : x < 1e7
                  ? 7
                  : x < 1e8
                    ? 8
                    : 9;
  for (let k = at + digits - 1; k >= at; k--) {
    out[k] = DIGIT_0 + (x % 10);
    x = (x / 10) | 0;
  }
  return at + digits;
}

/** Writes an integer's decimal digits at `at` (a safe integer: a time in microseconds at most); returns the new end. */
function writeInteger(out: Uint8Array, at: number, value: number): number {
  if (value < 0) {
    out[at++] = 0x2d;
    value = -value;
  }
  if (value < 1e9) return writeSmall(out, at, value);
  // Microsecond times have 16 digits: the high part, then the low nine digits zero-padded.
  const high = Math.floor(value / 1e9);
  let low = value - high * 1e9;
  at = high < 1e9 ? writeSmall(out, at, high) : writeInteger(out, at, high);
  for (let k = at + 8; k >= at; k--) {
    out[k] = DIGIT_0 + (low % 10);
    low = (low / 10) | 0;
  }
  return at + 9;
}

/**
 * Copies bytes [from, to) of `src` (`srcView` over the same bytes) to `out` (`outView`) at `at`;
 * returns the new end. Below 128 bytes four at a time through the views: a subarray and set cost
 * about as much as 128 bytes copied that way (measured 70 ns), and a byte loop twice as much.
 */
function copyBytes(
  src: Uint8Array,
  srcView: DataView,
  from: number,
  to: number,
  out: Uint8Array,
  outView: DataView,
  at: number,
): number {
  if (to - from >= 128) {
    out.set(src.subarray(from, to), at);
    return at + to - from;
  }
  let k = from;
  for (; k + 4 <= to; k += 4, at += 4) outView.setInt32(at, srcView.getInt32(k, true), true);
  for (; k < to; k++) out[at++] = src[k]!;
  return at;
}

/** UTF-8 characters in bytes [from, to): the bytes that are not continuation bytes (10xxxxxx). */
function characters(src: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if ((src[k]! & 0xc0) !== 0x80) n++;
  return n;
}

/** A growing byte buffer of records. */
class RecordBuffer {
  buf: Buffer;
  /** `buf` for copyBytes. */
  view: DataView;
  at = 0;
  /** `reuse`: a buffer the caller no longer needs, taken when it is large enough. */
  constructor(size: number, reuse?: Buffer) {
    this.buf = reuse !== undefined && reuse.length >= size ? reuse : Buffer.allocUnsafeSlow(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `need` more bytes. */
  room(need: number): void {
    if (this.buf.length - this.at >= need) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + need + 1024));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
  }

  text(s: string): void {
    this.room(Buffer.byteLength(s) + 16);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/**
 * Validates and encodes one file's events, copying values from the event bytes: either handed the
 * spans the scanner found (`add`), or as the scanner's visitor (`visit`), which walks each event of
 * a Records array as the scan reaches it, so the bytes are walked once. Throws a ScanError naming
 * the first event that is not valid JSON (the whole file is then rejected).
 */
export class EventEncoder {
  private readonly src: Buffer;
  private readonly slots: Slots;
  private readonly csv: RecordBuffer;
  private big: RecordBuffer | null = null;
  /** The events' keys (EncodedEvents.keys); a buffer of its own per file, so it can be transferred. */
  private keys = new Uint8Array(64 * 1024);
  private keysView = new DataView(this.keys.buffer);
  private keysAt = 0;
  private readonly keyEnds: number[] = [];
  private readonly keyHashes: number[] = [];
  /** Positions of UPDATED_DATA addenda. */
  private readonly updatedAt: number[] = [];
  // Text values taken from JSON.parse (escaped strings, numbers, objects in text columns), per field.
  private readonly decoded: (string | null)[] = new Array(STAGE_FIELDS.length).fill(null);
  private readonly prefix: Uint8Array;
  /**
   * The source as a plain Uint8Array for copying: Buffer#subarray is a JavaScript wrapper that
   * made each bulk copy cost a property-lookup miss; a Uint8Array's is the builtin.
   */
  private readonly bytes: Uint8Array;
  /** The source for copyBytes. */
  private readonly view: DataView;
  private n = 0;
  // The current event's cuts from its raw text ([start, end) in order), and each RAW_CUTS column's
  // character offset in the template (-1: not cut).
  private readonly cutStart = new Int32Array(RAW_CUTS.length);
  private readonly cutEnd = new Int32Array(RAW_CUTS.length);
  private readonly cutAt = new Int32Array(RAW_CUTS.length);
  private cuts = 0;
  /** Whether the file is ASCII (then byte offsets are character offsets). */
  private readonly ascii: boolean;
  /** Events walked, of every class. */
  found = 0;
  private insights = 0;
  private aggregated = 0;

  /**
   * `scratch`: a buffer to write the records into when it is large enough (a worker reuses one
   * across files instead of allocating as much again for each); `buffer` is the one written.
   */
  /**
   * `cut`: stage the raw event as a template (schema.ts RawLayout), else whole. `ascii`: whether
   * the source is ASCII, when the caller already knows.
   */
  constructor(
    private readonly source: Uint8Array,
    fileId: number,
    scratch?: Buffer,
    private readonly cut = true,
    ascii?: boolean,
  ) {
    this.src = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    this.slots = new Slots(this.src);
    this.csv = new RecordBuffer(source.length + 1024, scratch);
    this.prefix = Uint8Array.from(Buffer.from(`\x1f${fileId}\x1f`, 'latin1'));
    this.bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    this.view = new DataView(source.buffer, source.byteOffset, source.byteLength);
    this.ascii = ascii ?? isAscii(source);
  }

  /** The event spanning [start, end). */
  add(start: number, end: number): void {
    try {
      walker.walk(this.source, start, end);
    } catch (err) {
      throw this.malformed(err);
    }
    this.encode(start, end);
  }

  /** An EventVisitor for scanCloudTrail: the event object starting at `start`. */
  readonly visit = (start: number, limit: number): number => {
    let end: number;
    try {
      end = walker.walkObject(this.source, start, limit);
    } catch (err) {
      throw this.malformed(err);
    }
    this.encode(start, end);
    return end;
  };

  private malformed(err: unknown): unknown {
    return err instanceof ScanError
      ? new ScanError(`malformed JSON in event ${this.found + 1}: ${err.message}`)
      : err;
  }

  /** The buffer the CSV records are in (possibly the scratch buffer, possibly grown). */
  get buffer(): Buffer {
    return this.csv.buf;
  }

  result(): EncodedEvents {
    const updated = new Uint8Array(this.n);
    for (const k of this.updatedAt) updated[k] = 1;
    return {
      count: this.n,
      keys: this.keys.subarray(0, this.keysAt),
      keyEnds: Uint32Array.from(this.keyEnds),
      keyHashes: Int32Array.from(this.keyHashes),
      updated,
      bytes: this.csv.bytes(),
      big: this.big?.bytes() ?? null,
      insights: this.insights,
      aggregated: this.aggregated,
    };
  }

  /** Room for `need` more key bytes. */
  private keyRoom(need: number): void {
    if (this.keysAt + need <= this.keys.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.keys.length, this.keysAt + need));
    bigger.set(this.keys.subarray(0, this.keysAt));
    this.keys = bigger;
    this.keysView = new DataView(bigger.buffer);
  }

  /** Appends the next event's key: bytes [from, to) of the source, or `text` when it is not a plain string. */
  private addKey(from: number, to: number, text: string | null): void {
    const start = this.keysAt;
    if (text === null) {
      this.keyRoom(to - from);
      this.keysAt = copyBytes(this.bytes, this.view, from, to, this.keys, this.keysView, start);
    } else {
      this.keyRoom(3 * text.length);
      this.keysAt += encoder.encodeInto(text, this.keys.subarray(start)).written;
    }
    this.keyEnds.push(this.keysAt);
    this.keyHashes.push(hashKey(this.keys, this.keysView, start, this.keysAt));
  }

  /**
   * Chooses the cuts of the event [start, end) (none when `whole`): each RAW_CUTS value whose bytes
   * are the column's text, in RAW_CUTS order, after the previous cut.
   */
  private chooseCuts(start: number, idSlot: number, idPlain: boolean, whole: boolean): void {
    const { slots, cutAt } = this;
    for (let c = 0; c < cutAt.length; c++) cutAt[c] = -1;
    this.cuts = 0;
    if (whole) return;
    let last = start;
    let chars = 0;
    for (let c = 0; c < CUT_FIELDS.length; c++) {
      const f = CUT_FIELDS[c]!;
      let s: number;
      let e: number;
      if (f < 0) {
        if (!idPlain) continue;
        s = walker.start[idSlot]! + 1;
        e = walker.end[idSlot]! - 1;
      } else {
        const slot = FIELD_SLOTS[f]!;
        if (slots.missing(slot)) continue;
        if (FIELD_TYPES[f] === 'JSON') {
          s = walker.start[slot]!;
          e = walker.end[slot]!;
        } else if (slots.plainString(slot)) {
          s = walker.start[slot]! + 1;
          e = walker.end[slot]! - 1;
        } else continue;
      }
      if (s < last) continue;
      chars += this.ascii ? s - last : characters(this.src, last, s);
      cutAt[c] = chars;
      this.cutStart[this.cuts] = s;
      this.cutEnd[this.cuts] = e;
      this.cuts++;
      last = e;
    }
  }

  /** Encodes the event [start, end) the walker has just walked. */
  private encode(start: number, end: number): void {
    this.found++;
    const { src, slots, decoded, prefix, source } = this;
    if (slots.is(TYPE_SLOT, INSIGHT_TYPE) || slots.is(CATEGORY_SLOT, INSIGHT_CATEGORY)) {
      this.insights++;
      return;
    }
    if (slots.is(TYPE_SLOT, AGGREGATED_TYPE) || slots.is(CATEGORY_SLOT, AGGREGATED_CATEGORY)) {
      this.aggregated++;
      return;
    }
    // The dedupe key, as json_extract_string would give it: eventID, else eventId, else the hash.
    const idSlot = !slots.missing(ID_SLOT) ? ID_SLOT : !slots.missing(ID_LOWER_SLOT) ? ID_LOWER_SLOT : -1;
    const idPlain = idSlot >= 0 && slots.plainString(idSlot);
    // A plain id's bytes are the key (addKey); any other is made a string.
    const id = idPlain
      ? ''
      : idSlot < 0
        ? `sha256:${createHash('sha256').update(source.subarray(start, end)).digest('hex')}`
        : asText(slots.value(idSlot))!;
    // Values that are not plain strings go through JSON.parse; a text value holding a separator is
    // left out (its place kept) and the record marked for DuckDB to read it from the JSON.
    let safe = idPlain || !unsafeText(id);
    for (let f = 0; f < STAGE_FIELDS.length; f++) {
      const slot = FIELD_SLOTS[f]!;
      decoded[f] = null;
      if (FIELD_TYPES[f] !== 'VARCHAR' || slots.missing(slot) || slots.plainString(slot)) continue;
      const text = asText(slots.value(slot));
      if (text !== null && unsafeText(text)) safe = false;
      else decoded[f] = text;
    }
    const rawLength = end - start;
    // A big event goes to the U+001D-separated file, unquoted; the others are CSV lines.
    const isBig = rawLength > BIG_EVENT_BYTES;
    if (isBig && this.big === null) this.big = new RecordBuffer(rawLength * 2 + 1024);
    const r = isBig ? this.big! : this.csv;
    const quote = isBig ? -1 : QUOTE_BYTE;
    r.room(2 * rawLength + 64 * (STAGE_FIELDS.length + RAW_CUTS.length) + 64);
    let out = r.buf;
    let outView = r.view;
    let at = r.at;
    if (isBig && at > 0) out[at++] = RECORD_SEPARATOR;
    if (!safe) out[at++] = 0x4a; // 'J'
    const { bytes, view } = this;
    for (let k = 0; k < prefix.length; k++) out[at++] = prefix[k]!;
    at = writeInteger(out, at, this.n);
    out[at++] = SEPARATOR_BYTE;
    if (idPlain)
      at = copyBytes(bytes, view, walker.start[idSlot]! + 1, walker.end[idSlot]! - 1, out, outView, at);
    else if (unsafeText(id)) out[at++] = NULL_BYTE;
    else {
      // A decoded id may hold a line break: quoted.
      if (quote >= 0) out[at++] = quote;
      r.at = at;
      r.text(id);
      r.room(2 * rawLength + 64 * (STAGE_FIELDS.length + RAW_CUTS.length) + 64);
      out = r.buf;
      outView = r.view;
      at = r.at;
      if (quote >= 0) out[at++] = quote;
    }
    for (let f = 0; f < STAGE_FIELDS.length; f++) {
      out[at++] = SEPARATOR_BYTE;
      const slot = FIELD_SLOTS[f]!;
      if (slots.missing(slot)) {
        out[at++] = NULL_BYTE;
        continue;
      }
      const s = walker.start[slot]!;
      const e = walker.end[slot]!;
      switch (FIELD_TYPES[f]) {
        case 'VARCHAR': {
          if (slots.plainString(slot)) {
            at = copyBytes(bytes, view, s + 1, e - 1, out, outView, at);
            break;
          }
          const text = decoded[f];
          if (text == null) {
            out[at++] = NULL_BYTE;
            break;
          }
          // Decoded text may hold a line break: quoted.
          if (quote >= 0) out[at++] = quote;
          r.at = at;
          r.text(text);
          out = r.buf;
          outView = r.view;
          at = r.at;
          r.room(64 * (STAGE_FIELDS.length + RAW_CUTS.length) + rawLength + 64);
          out = r.buf;
          outView = r.view;
          if (quote >= 0) out[at++] = quote;
          break;
        }
        case 'JSON':
          // The value as delivered (valid JSON: the walk checked it), quoted: it may span lines.
          if (quote >= 0) out[at++] = quote;
          at = copyBytes(bytes, view, s, e, out, outView, at);
          if (quote >= 0) out[at++] = quote;
          break;
        case 'BOOLEAN': {
          const first = src[s];
          const b =
            first === 0x74
              ? true
              : first === 0x66
                ? false
                : asBoolean(slots.plainString(slot) ? slots.text(slot) : slots.value(slot));
          out[at++] = b === null ? NULL_BYTE : b ? 0x74 : 0x66;
          break;
        }
        case 'TIMESTAMP': {
          const micros =
            src[s] !== QUOTE
              ? null
              : ((e - s === 22 && walker.escaped[slot] === 0 ? canonicalMicrosAt(src, s + 1) : null) ??
                isoMicros(slots.text(slot)));
          if (micros === null) out[at++] = NULL_BYTE;
          else at = writeInteger(out, at, micros);
          break;
        }
      }
    }
    // An event whose text columns DuckDB reads from its JSON (mode J) is kept whole.
    this.chooseCuts(start, idSlot, idPlain, !this.cut || !safe);
    for (let c = 0; c < CUT_FIELDS.length; c++) {
      out[at++] = SEPARATOR_BYTE;
      const offset = this.cutAt[c]!;
      if (offset < 0) out[at++] = NULL_BYTE;
      else at = writeInteger(out, at, offset);
    }
    out[at++] = SEPARATOR_BYTE;
    if (quote >= 0) out[at++] = quote;
    let from = start;
    for (let c = 0; c < this.cuts; c++) {
      at = copyBytes(bytes, view, from, this.cutStart[c]!, out, outView, at);
      from = this.cutEnd[c]!;
    }
    at = copyBytes(bytes, view, from, end, out, outView, at);
    if (quote >= 0) {
      out[at++] = quote;
      out[at++] = NEWLINE;
    }
    r.at = at;
    if (idPlain) this.addKey(walker.start[idSlot]! + 1, walker.end[idSlot]! - 1, null);
    else this.addKey(0, 0, id);
    if (slots.is(ADDENDUM_REASON_SLOT, UPDATED_DATA)) this.updatedAt.push(this.n);
    this.n++;
  }
}

/** Each event's key (EncodedEvents.keys) as text, in order. */
export function eventKeys(encoded: Pick<EncodedEvents, 'keys' | 'keyEnds'>): string[] {
  const keys: string[] = [];
  let from = 0;
  for (const end of encoded.keyEnds) {
    keys.push(decoder.decode(encoded.keys.subarray(from, end)));
    from = end;
  }
  return keys;
}

/** Validates and encodes the events at the scanner's spans (see EventEncoder). */
export function encodeEvents(
  source: Uint8Array,
  sourceSpans: Uint32Array,
  fileId: number,
  cut = true,
): EncodedEvents {
  const encoder = new EventEncoder(source, fileId, undefined, cut);
  for (let k = 0; k < sourceSpans.length; k += 2) encoder.add(sourceSpans[k]!, sourceSpans[k + 1]!);
  return encoder.result();
}

/** Where each value sits in a record (1-based: columns c1… of read_csv, or `string_split`'s list). */
const MODE = 1;
const FILE_ID = 2;
const ORD = 3;
const EVENT_ID_AT = 4;
const FIRST_FIELD = 5;
const FIRST_CUT = FIRST_FIELD + STAGE_FIELDS.length;
const RAW_AT = FIRST_CUT + RAW_CUTS.length;

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** SQL naming value `k` of a record. */
type ValueRef = (k: number) => string;

function fromRawJson(ref: ValueRef, path: string): string {
  return `json_extract_string(${ref(RAW_AT)}, ${sqlString(path)})`;
}

/**
 * The SQL of a field. `typed`: the CSV reader has already made the marked NULLs NULL, the booleans
 * BOOLEAN and the times BIGINT (csvType); otherwise every value is text.
 */
function fieldExpression(ref: ValueRef, field: StageField, k: number, typed: boolean): string {
  const v = typed ? ref(k) : `nullif(${ref(k)}, chr(30))`;
  switch (field.type) {
    case 'VARCHAR':
      return `CASE WHEN ${ref(MODE)} = 'J' THEN ${fromRawJson(ref, field.path)} ELSE ${v} END`;
    case 'JSON':
      return v;
    case 'BOOLEAN':
      return typed ? v : `CASE ${ref(k)} WHEN 't' THEN true WHEN 'f' THEN false END`;
    case 'TIMESTAMP':
      return `make_timestamp(${typed ? v : `CAST(${v} AS BIGINT)`})`;
  }
}

/** The CSV reader's type for value `k` of a record. */
function csvType(k: number): string {
  if (k === FILE_ID || k === ORD || (k >= FIRST_CUT && k < RAW_AT)) return 'INTEGER';
  const field = STAGE_FIELDS[k - FIRST_FIELD];
  if (field?.type === 'BOOLEAN') return 'BOOLEAN';
  if (field?.type === 'TIMESTAMP') return 'BIGINT';
  return 'VARCHAR';
}

/** The columns of `cloudtrail_events` that a staged record fills, in the order of `stageSelect`. */
export const STAGE_COLUMNS: readonly string[] = [
  'event_id',
  'file_id',
  ...STAGE_FIELDS.map((f) => f.column),
  ...RAW_CUTS.map(cutColumn),
  'raw',
];

function selectList(ref: ValueRef, typed: boolean): string {
  const eventId = `CASE WHEN ${ref(MODE)} = 'J' THEN coalesce(${fromRawJson(ref, EVENT_ID_PATH)}, ${fromRawJson(
    ref,
    INGEST_EXTRA_PATHS.eventIdLower,
  )}, 'sha256:' || sha256(${ref(RAW_AT)})) ELSE ${ref(EVENT_ID_AT)} END`;
  return [
    `${eventId} AS event_id`,
    typed ? `${ref(FILE_ID)} AS file_id` : `CAST(${ref(FILE_ID)} AS INTEGER) AS file_id`,
    ...STAGE_FIELDS.map((f, k) => `${fieldExpression(ref, f, FIRST_FIELD + k, typed)} AS ${f.column}`),
    ...RAW_CUTS.map(
      (c, k) =>
        `${typed ? ref(FIRST_CUT + k) : `CAST(nullif(${ref(FIRST_CUT + k)}, chr(30)) AS INTEGER)`} AS ${cutColumn(c)}`,
    ),
    `${ref(RAW_AT)} AS raw`,
    typed ? `${ref(ORD)} AS ord` : `CAST(${ref(ORD)} AS INTEGER) AS ord`,
  ].join(',\n  ');
}

/** Longest CSV record DuckDB reads (an event of BIG_EVENT_BYTES at most is well below it). */
const MAX_LINE_BYTES = 4 * BIG_EVENT_BYTES + 1024 * 1024;

/**
 * SQL selecting STAGE_COLUMNS, plus `ord` (the record's position in its file), from staging files:
 * `csvPaths` hold newline-separated records that DuckDB's CSV reader splits into columns (raw and
 * JSON values quoted with U+001C, which valid JSON text cannot hold either); `bigPaths` hold the
 * records of events above BIG_EVENT_BYTES, unquoted and separated by U+001D, split with
 * `string_split` instead (a CSV line has a size bound).
 */
export function stageSelect(csvPaths: readonly string[], bigPaths: readonly string[] = []): string {
  const parts: string[] = [];
  if (csvPaths.length > 0) {
    const columns = Array.from({ length: RAW_AT }, (_, k) => `'c${k + 1}': '${csvType(k + 1)}'`).join(', ');
    parts.push(`SELECT ${selectList((k) => `c${k}`, true)}
FROM read_csv([${csvPaths.map(sqlString).join(', ')}], delim = chr(31), quote = chr(28), escape = chr(28),
  header = false, auto_detect = false, nullstr = chr(30), new_line = '\\n', strict_mode = true,
  max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${2 * MAX_LINE_BYTES}, columns = {${columns}})`);
  }
  if (bigPaths.length > 0)
    parts.push(`SELECT ${selectList((k) => `p[${k}]`, false)}
FROM (SELECT string_split(record, chr(31)) AS p
  FROM (SELECT unnest(string_split(content, chr(29))) AS record FROM read_text([${bigPaths.map(sqlString).join(', ')}])))`);
  if (parts.length === 0) throw new Error('stageSelect needs at least one staging file');
  return parts.join('\nUNION ALL\n');
}
