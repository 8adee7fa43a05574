/**
 * The staging format between the worker threads and DuckDB. A worker parses each event once
 * (JSON.parse, which also validates it), takes the typed columns out, and writes one record per
 * event: the column values as text separated by U+001F, NULL as a lone U+001E, the raw event text
 * last; records are separated by U+001D, one staging file per log file. DuckDB reads the staging
 * files itself (read_text, in parallel) and only splits them: no JSON parsing on the database side,
 * where it cost more than half of the ingest time, and no per-event call from JavaScript.
 *
 * Valid JSON text cannot hold a raw control character (RFC 8259 §7), so neither the raw event nor a
 * JSON column can contain a separator. A string value can (an escaped `\u001f` in a user agent, say):
 * such an event's record starts with the `J` mode mark and DuckDB takes its text columns from the
 * raw event with its JSON functions instead, so every value stays exact.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { ScanError } from './scan.js';
import { EVENT_COLUMNS, INGEST_EXTRA_PATHS } from './schema.js';

const SEPARATOR = '\x1f';
const NULL_MARK = '\x1e';
const RECORD_SEPARATOR = 0x1d;
/** A text value that would break the record (or that DuckDB's text functions do not keep) sends the event the JSON way. */
function unsafeText(s: string): boolean {
  return s.includes('\x1f') || s.includes('\x1e') || s.includes('\x1d') || s.includes('\x00');
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

// The keys are our constants, none of them a member of Object.prototype (or of an array), so a plain
// property read finds the event's own member or nothing: no own-property check on the hot path.
for (const path of [...FIELD_SEGMENTS, EVENT_ID, EVENT_ID_LOWER])
  for (const key of path)
    if (key in Object.prototype || key in Array.prototype || /^\d+$/.test(key))
      throw new Error(`stage field key ${key} would read an inherited member`);

function valueAt(event: unknown, path: readonly string[]): unknown {
  let v = event;
  for (let k = 0; k < path.length; k++) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[path[k]!];
  }
  return v;
}

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

/** `YYYY-MM-DDTHH:MM:SSZ`, CloudTrail's own format, without a regex; null for anything else. */
function canonicalMicros(v: string): number | null {
  for (const k of [4, 7]) if (v.charCodeAt(k) !== 0x2d) return null;
  if (v.charCodeAt(10) !== 0x54 || v.charCodeAt(13) !== 0x3a || v.charCodeAt(16) !== 0x3a) return null;
  if (v.charCodeAt(19) !== 0x5a) return null;
  const two = (k: number): number => {
    const a = v.charCodeAt(k) - DIGIT_0;
    const b = v.charCodeAt(k + 1) - DIGIT_0;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  };
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
  /** The key each event is deduplicated by: eventID, else eventId, else `sha256:` + hash of its text. */
  readonly ids: string[];
  /** 1 where the event is an UPDATED_DATA addendum (it replaces an earlier copy of its eventID). */
  readonly updated: Uint8Array;
  /** The records, separated by U+001D; record k has position k (`ord`). */
  readonly bytes: Uint8Array;
  readonly insights: number;
  readonly aggregated: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const WHOLE_TEXT_BYTES = 128 * 1024 * 1024;

/** Classifies an event: Insights and aggregated events are counted, not stored. */
function classOf(event: Record<string, unknown>): 'event' | 'insight' | 'aggregated' {
  const type = event.eventType;
  const category = event.eventCategory;
  if (type === 'AwsCloudTrailInsight' || category === 'Insight') return 'insight';
  if (type === 'AwsAggregatedEvent' || category === 'Aggregated') return 'aggregated';
  return 'event';
}

/**
 * Parses and encodes the events found by the scanner. Throws a ScanError naming the first event that
 * is not valid JSON (the whole file is then rejected).
 */
export function encodeEvents(source: Uint8Array, sourceSpans: Uint32Array, fileId: number): EncodedEvents {
  const count = sourceSpans.length / 2;
  // An ASCII file (the usual case) is one latin1 string; events are slices of it, not copies. A
  // string has a length limit (about 512 MB in V8): past a bound, each event is decoded on its own.
  const text =
    source.length <= WHOLE_TEXT_BYTES && isAscii(source)
      ? Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('latin1')
      : null;
  let out = Buffer.allocUnsafeSlow(source.length + count * 512 + 1024);
  const ids: string[] = [];
  const updated = new Uint8Array(count);
  let n = 0;
  let at = 0;
  let insights = 0;
  let aggregated = 0;
  const prefix = `${SEPARATOR}${fileId}${SEPARATOR}`;
  for (let k = 0; k < count; k++) {
    const start = sourceSpans[2 * k]!;
    const end = sourceSpans[2 * k + 1]!;
    const eventText = text !== null ? text.slice(start, end) : decoder.decode(source.subarray(start, end));
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(eventText) as Record<string, unknown>;
    } catch {
      throw new ScanError(`malformed JSON in event ${k + 1}`);
    }
    const kind = classOf(event);
    if (kind === 'insight') {
      insights++;
      continue;
    }
    if (kind === 'aggregated') {
      aggregated++;
      continue;
    }
    const id =
      asText(valueAt(event, EVENT_ID)) ??
      asText(valueAt(event, EVENT_ID_LOWER)) ??
      `sha256:${createHash('sha256').update(source.subarray(start, end)).digest('hex')}`;
    // JSON text cannot hold a raw control character, and an ASCII text without a \u escape cannot
    // decode to anything but ASCII: then no value needs checking and the record is written as latin1.
    const plain = text !== null && !eventText.includes('\\u');
    // An unsafe text value is left out of the record (its place kept with a NULL mark, so the
    // positions of the other values hold) and the record marked for DuckDB to read it from the JSON.
    let safe = plain || !unsafeText(id);
    let line = `${prefix}${n}${SEPARATOR}${safe ? id : NULL_MARK}`;
    for (let f = 0; f < STAGE_FIELDS.length; f++) {
      const v = valueAt(event, FIELD_SEGMENTS[f]!);
      let value: string | null;
      switch (STAGE_FIELDS[f]!.type) {
        case 'VARCHAR':
          value = asText(v);
          if (!plain && value !== null && unsafeText(value)) {
            value = null;
            safe = false;
          }
          break;
        case 'JSON':
          value = v === undefined || v === null ? null : JSON.stringify(v);
          break;
        case 'BOOLEAN': {
          const b = asBoolean(v);
          value = b === null ? null : b ? 't' : 'f';
          break;
        }
        case 'TIMESTAMP': {
          const micros = isoMicros(v);
          value = micros === null ? null : String(micros);
          break;
        }
      }
      line += SEPARATOR;
      line += value ?? NULL_MARK;
    }
    line += SEPARATOR;
    if (!safe) line = `J${line}`;
    const rawLength = end - start;
    if (out.length - at < line.length * 3 + rawLength + 1) {
      const bigger = Buffer.allocUnsafeSlow(
        Math.max(out.length * 2, at + line.length * 3 + rawLength + 1024),
      );
      bigger.set(out.subarray(0, at));
      out = bigger;
    }
    if (n > 0) out[at++] = RECORD_SEPARATOR;
    at += plain
      ? (out as Buffer & { latin1Write(s: string, offset: number): number }).latin1Write(line, at)
      : encoder.encodeInto(line, out.subarray(at)).written;
    out.set(source.subarray(start, end), at);
    at += rawLength;
    ids.push(id);
    if (event.addendum !== null && typeof event.addendum === 'object') {
      if ((event.addendum as Record<string, unknown>).reason === 'UPDATED_DATA') updated[n] = 1;
    }
    n++;
  }
  return {
    count: n,
    ids,
    updated: updated.slice(0, n),
    bytes: out.subarray(0, at),
    insights,
    aggregated,
  };
}

/** Where each value sits in DuckDB's `string_split(record, chr(31))` list (1-based). */
const MODE = 1;
const FILE_ID = 2;
const ORD = 3;
const EVENT_ID_AT = 4;
const FIRST_FIELD = 5;
const RAW_AT = FIRST_FIELD + STAGE_FIELDS.length;

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function fromRawJson(path: string): string {
  return `json_extract_string(p[${RAW_AT}], ${sqlString(path)})`;
}

function fieldExpression(field: StageField, k: number): string {
  const v = `nullif(p[${k}], chr(30))`;
  switch (field.type) {
    case 'VARCHAR':
      return `CASE WHEN p[${MODE}] = 'J' THEN ${fromRawJson(field.path)} ELSE ${v} END`;
    case 'JSON':
      return v;
    case 'BOOLEAN':
      return `CASE p[${k}] WHEN 't' THEN true WHEN 'f' THEN false END`;
    case 'TIMESTAMP':
      return `make_timestamp(CAST(${v} AS BIGINT))`;
  }
}

/** The columns of `cloudtrail_events` that a staged record fills, in the order of `stageSelect`. */
export const STAGE_COLUMNS: readonly string[] = [
  'event_id',
  'file_id',
  ...STAGE_FIELDS.map((f) => f.column),
  'raw',
];

/**
 * SQL selecting STAGE_COLUMNS, plus `ord` (the record's position in its file), from the rows of
 * `source`, whose `content` column holds a staging file.
 */
export function stageSelect(source: string): string {
  const eventId = `CASE WHEN p[${MODE}] = 'J' THEN coalesce(${fromRawJson(EVENT_ID_PATH)}, ${fromRawJson(
    INGEST_EXTRA_PATHS.eventIdLower,
  )}, 'sha256:' || sha256(p[${RAW_AT}])) ELSE p[${EVENT_ID_AT}] END`;
  const columns = [
    `${eventId} AS event_id`,
    `CAST(p[${FILE_ID}] AS INTEGER) AS file_id`,
    ...STAGE_FIELDS.map((f, k) => `${fieldExpression(f, FIRST_FIELD + k)} AS ${f.column}`),
    `p[${RAW_AT}] AS raw`,
    `CAST(p[${ORD}] AS INTEGER) AS ord`,
  ];
  return `SELECT ${columns.join(',\n  ')}
FROM (SELECT string_split(record, chr(31)) AS p
  FROM (SELECT unnest(string_split(content, chr(29))) AS record FROM ${source}))`;
}
