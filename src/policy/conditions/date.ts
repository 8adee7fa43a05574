/**
 * Date operators. Values are W3C ISO 8601 dates (`2020-01-01`, `2020-01-01T00:00:01Z`,
 * `2020-01-01T00:00:01.5+02:00`) or epoch seconds, on either side. No policy variables, no wildcards.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 * https://www.w3.org/TR/NOTE-datetime
 */
import { type ConditionOperator, negate } from './operator.js';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Reads `count` ASCII digits at `at` as a number, or -1. */
export function digits(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch seconds: digits with an optional fraction. All-digit text is read as epoch, never as a year. */
function parseEpochSeconds(text: string): number | undefined {
  let i = 0;
  let seen = 0;
  while (i < text.length && isDigit(text.charCodeAt(i))) {
    i++;
    seen++;
  }
  if (seen === 0) return undefined;
  if (i < text.length && text.charCodeAt(i) === 46) {
    i++;
    let fraction = 0;
    while (i < text.length && isDigit(text.charCodeAt(i))) {
      i++;
      fraction++;
    }
    if (fraction === 0) return undefined;
  }
  return i === text.length ? Number(text) * 1000 : undefined;
}

/**
 * Epoch milliseconds for an ISO 8601 (W3C profile) date or epoch seconds, or undefined.
 * A date-time without a zone designator is read as UTC (AWS's own values always carry `Z`).
 * Parsed with char codes: no allocation, no `Date.parse` (whose no-zone rule is local time).
 */
export function parseDate(text: string): number | undefined {
  const epoch = parseEpochSeconds(text);
  if (epoch !== undefined) return epoch;
  const year = digits(text, 0, 4);
  if (year < 0) return undefined;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let i = 4;
  const n = text.length;
  if (i < n) {
    if (text.charCodeAt(i) !== 45) return undefined;
    month = digits(text, i + 1, 2);
    if (month < 1 || month > 12) return undefined;
    i += 3;
  }
  if (i < n) {
    if (text.charCodeAt(i) !== 45) return undefined;
    day = digits(text, i + 1, 2);
    if (day < 1 || day > daysInMonth(year, month)) return undefined;
    i += 3;
  }
  let offsetMinutes = 0;
  if (i < n) {
    if (i !== 10 || text.charCodeAt(i) !== 84 /* T */) return undefined;
    hour = digits(text, i + 1, 2);
    minute = text.charCodeAt(i + 3) === 58 ? digits(text, i + 4, 2) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    i += 6;
    if (i < n && text.charCodeAt(i) === 58) {
      second = digits(text, i + 1, 2);
      if (second < 0 || second > 59) return undefined;
      i += 3;
      if (i < n && text.charCodeAt(i) === 46) {
        i++;
        let scale = 100;
        const start = i;
        while (i < n && isDigit(text.charCodeAt(i))) {
          millis += (text.charCodeAt(i) - 48) * scale;
          scale /= 10;
          i++;
        }
        if (i === start) return undefined;
        millis = Math.floor(millis);
      }
    }
    if (i < n) {
      const zone = text.charCodeAt(i);
      if (zone === 90 /* Z */ && i + 1 === n) {
        i++;
      } else if (zone === 43 || zone === 45) {
        const oh = digits(text, i + 1, 2);
        const om = text.charCodeAt(i + 3) === 58 ? digits(text, i + 4, 2) : -1;
        if (oh < 0 || oh > 23 || om < 0 || om > 59 || i + 6 !== n) return undefined;
        offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
        i += 6;
      } else {
        return undefined;
      }
    }
  }
  if (i !== n) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

function date(
  name: string,
  compare: (request: number, policy: number) => boolean,
  phrase: { yes: string; no: string },
): ConditionOperator<number, number> {
  return {
    name,
    valueType: 'date',
    negated: false,
    variables: false,
    compileValue: parseDate,
    parseRequest: parseDate,
    matches: (r, p) => compare(r, p),
    phrase,
    expects: 'an ISO 8601 date or epoch seconds',
  };
}

export const DateEquals = date('DateEquals', (r, p) => r === p, { yes: 'is', no: 'is not' });
export const DateNotEquals = negate(DateEquals, 'DateNotEquals');
export const DateLessThan = date('DateLessThan', (r, p) => r < p, { yes: 'is before', no: 'is not before' });
export const DateLessThanEquals = date('DateLessThanEquals', (r, p) => r <= p, {
  yes: 'is at or before',
  no: 'is after',
});
export const DateGreaterThan = date('DateGreaterThan', (r, p) => r > p, {
  yes: 'is after',
  no: 'is not after',
});
export const DateGreaterThanEquals = date('DateGreaterThanEquals', (r, p) => r >= p, {
  yes: 'is at or after',
  no: 'is before',
});

export const DATE_OPERATORS: readonly ConditionOperator[] = [
  DateEquals,
  DateNotEquals,
  DateLessThan,
  DateLessThanEquals,
  DateGreaterThan,
  DateGreaterThanEquals,
] as readonly ConditionOperator[];
