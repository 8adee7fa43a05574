import { daysInMonth, digits } from '../../policy/conditions/date.js';
/** Small readers for untrusted JSON values: they never throw and never trust a shape. */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: `__proto__` or `constructor` in the data never reach Object.prototype. */
export function field(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function str(record: JsonRecord, key: string): string | undefined {
  const v = field(record, key);
  return typeof v === 'string' ? v : undefined;
}

export function num(record: JsonRecord, key: string): number | undefined {
  const v = field(record, key);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export function bool(record: JsonRecord, key: string): boolean | undefined {
  const v = field(record, key);
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return undefined;
}

/**
 * A list member. A single object where a list belongs (hand-edited exports, the CLI documentation's
 * own example) is read as a one-element list.
 */
export function list(record: JsonRecord, key: string): readonly unknown[] {
  const v = field(record, key);
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return [v];
}

/**
 * A timestamp as an ISO string. Accepts ISO strings (AWS CLI), epoch seconds, and the placebo
 * recordings' `{"__class__": "datetime", "year": …}` objects.
 */
export function isoDate(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value === '') return undefined;
    const canonical = canonicalUtc(value);
    if (canonical !== undefined) return canonical;
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value > 1e11 ? value : value * 1000;
    return new Date(ms).toISOString();
  }
  if (isRecord(value) && field(value, '__class__') === 'datetime') {
    const part = (k: string) => {
      const n = field(value, k);
      return typeof n === 'number' && Number.isInteger(n) ? n : 0;
    };
    const ms = Date.UTC(
      part('year'),
      part('month') - 1,
      part('day'),
      part('hour'),
      part('minute'),
      part('second'),
      Math.floor(part('microsecond') / 1000),
    );
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  return undefined;
}

/**
 * What `new Date(Date.parse(value)).toISOString()` returns for a UTC time whose fields are all in
 * range — `2021-10-04T17:40:30Z`, `…+00:00`, with up to three fraction digits: how AWS writes times —
 * built from the text: a load reads about 100,000 of them and `toISOString` dominates.
 * Undefined for anything else (other offsets, Feb 30, 24:00, leap seconds), which takes the Date
 * path and so gets exactly Date's answer.
 *
 * Read character by character rather than with a regular expression, and returned as one flat
 * string: the model keeps every date, and a string pieced together from a match's groups is kept
 * as a tree of a dozen small strings (about 500 bytes instead of 40).
 */
function canonicalUtc(value: string): string | undefined {
  const n = value.length;
  if (n < 20) return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    value.charCodeAt(4) !== 0x2d || // -
    value.charCodeAt(7) !== 0x2d ||
    value.charCodeAt(10) !== 0x54 || // T
    value.charCodeAt(13) !== 0x3a || // :
    value.charCodeAt(16) !== 0x3a
  )
    return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  // An optional fraction of one to three digits, then the zone.
  let end = 19;
  if (value.charCodeAt(19) === 0x2e) {
    end = 20;
    while (end < 23 && end < n && isDigit(value.charCodeAt(end))) end++;
    if (end === 20) return undefined;
  }
  const zoneLength = n - end;
  const zoned =
    (zoneLength === 1 && value.charCodeAt(end) === 0x5a) || (zoneLength === 6 && value.endsWith('+00:00'));
  if (!zoned) return undefined;
  // Already in the canonical form: the text itself.
  if (end === 23 && zoneLength === 1) return value;
  const fraction = end === 19 ? '000' : value.slice(20, end).padEnd(3, '0');
  // `join` makes one flat string, where `+` or a template would keep the parts.
  return [value.slice(0, 19), '.', fraction, 'Z'].join('');
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function dateField(record: JsonRecord, key: string): string | undefined {
  return isoDate(field(record, key));
}

/** The account id in an ARN's fifth field, when it is 12 digits. */
export function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(':', 6);
  const account = parts[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

export function partitionOfArn(arn: string): string | undefined {
  const parts = arn.split(':', 3);
  return parts[0] === 'arn' && parts[1] ? parts[1] : undefined;
}

/** `[{Key, Value}]` (IAM) into a Map; later duplicates win, as IAM forbids them anyway. */
export function tagMap(value: unknown): Map<string, string> {
  const tags = new Map<string, string>();
  const items = Array.isArray(value) ? value : isRecord(value) ? [value] : [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    const key = str(item, 'Key');
    const v = field(item, 'Value');
    if (key !== undefined) tags.set(key, typeof v === 'string' ? v : String(v ?? ''));
  }
  return tags;
}

/** `decodeURIComponent` that returns the input unchanged when it is not valid percent-encoding. */
export function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
