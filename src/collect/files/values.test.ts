import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate } from './values.js';

/** What isoDate promised before its fast path: Date's own reading of the text. */
function viaDate(text: string): string | undefined {
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

describe('isoDate', () => {
  // AWS CLI and credential-report times are ISO 8601 UTC:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
  it.each([
    ['2021-10-04T17:40:30Z', '2021-10-04T17:40:30.000Z'],
    ['2021-10-04T17:40:30+00:00', '2021-10-04T17:40:30.000Z'],
    ['2021-10-04T17:40:30.5Z', '2021-10-04T17:40:30.500Z'],
    ['2021-10-04T17:40:30.05+00:00', '2021-10-04T17:40:30.050Z'],
    ['2020-02-29T23:59:59Z', '2020-02-29T23:59:59.000Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    // Out-of-range fields go through Date, which rolls some over and refuses others.
    ['2021-02-29T00:00:00Z', '2021-03-01T00:00:00.000Z'],
    ['1900-02-29T00:00:00Z', '1900-03-01T00:00:00.000Z'],
    ['2021-04-31T00:00:00Z', '2021-05-01T00:00:00.000Z'],
    ['2021-01-01T24:00:00Z', '2021-01-02T00:00:00.000Z'],
    ['2021-01-01T10:00:60Z', undefined],
    ['2021-13-01T10:00:00Z', undefined],
    ['2021-01-01T10:00:00.1234Z', '2021-01-01T10:00:00.123Z'],
    ['2021-01-01T10:00:00+02:00', '2021-01-01T08:00:00.000Z'],
    ['2021-10-04T17:40:30.123Z', '2021-10-04T17:40:30.123Z'],
    ['2021-10-04T17:40:30.123+00:00', '2021-10-04T17:40:30.123Z'],
    ['2021-10-04T17:40:30.Z', undefined],
    ['2021-10-04T17:40:30Z ', undefined],
    ['2021-10-04 17:40:30Z', '2021-10-04T17:40:30.000Z'],
    ['2021-10-04T17:40:30+00:0', undefined],
    ['', undefined],
    ['not a date', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(isoDate(text)).toBe(expected);
    expect(isoDate(text)).toBe(viaDate(text));
  });

  it('agrees with Date on any UTC time whose fields are two digits', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(99),
        two(99),
        two(99),
        two(99),
        two(99),
        fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }),
        fc.constantFrom('Z', '+00:00'),
        (y, mo, d, h, mi, s, fraction, zone) => {
          const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction === undefined ? '' : `.${fraction}`}${zone}`;
          expect(isoDate(text)).toBe(viaDate(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with Date on near-misses: a valid time with one character replaced, added or removed', () => {
    const unit = fc.constantFrom(...'0123456789-T:.Z+ x');
    fc.assert(
      fc.property(
        fc.constantFrom('2021-10-04T17:40:30Z', '2024-02-29T23:59:59.123+00:00', '1999-12-31T00:00:00.5Z'),
        fc.nat(32),
        fc.constantFrom('replace', 'insert', 'delete'),
        unit,
        (base, at, edit, c) => {
          const i = at % base.length;
          const text =
            edit === 'replace'
              ? base.slice(0, i) + c + base.slice(i + 1)
              : edit === 'insert'
                ? base.slice(0, i) + c + base.slice(i)
                : base.slice(0, i) + base.slice(i + 1);
          expect(isoDate(text)).toBe(viaDate(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
