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

/** `2021-10-04T17:40:30Z`, `…+00:00`, with up to three fraction digits: how AWS writes times. */
const UTC_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,3}))?(?:Z|\+00:00)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * What `new Date(Date.parse(value)).toISOString()` returns for a UTC time whose fields are all in
 * range, built from the text: a load reads about 100,000 of them and `toISOString` dominates.
 * Undefined for anything else (other offsets, Feb 30, 24:00, leap seconds), which takes the Date
 * path and so gets exactly Date's answer.
 */
function canonicalUtc(value: string): string | undefined {
  const m = UTC_TIME.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > days || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  const fraction = (m[7] ?? '').padEnd(3, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}Z`;
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
