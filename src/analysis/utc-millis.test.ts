import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysSince, utcMillis } from './unused.js';

// utcMillis is a fast path for the loader's UTC times; for every text it must agree with Date.parse.
describe('utcMillis', () => {
  it('reads the loader times as Date.parse does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (d, withMs) => {
          const iso = withMs ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
          expect(utcMillis(iso)).toBe(Date.parse(iso));
        },
      ),
    );
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-10-15T24:00:00Z',
    '2026-10-15T23:59:60Z',
    '0050-01-01T00:00:00Z',
    '2026-10-15 09:30:00Z',
    '2026-10-15T09:30:00+00:00',
    '2026-10-15T09:30:00.5Z',
    '2026-1a-15T09:30:00Z',
    'N/A',
    '',
  ])('agrees with Date.parse on %j', (text) => {
    expect(utcMillis(text)).toBe(Date.parse(text));
  });

  it('agrees with Date.parse on arbitrary text of the same length', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 20, maxLength: 24, unit: fc.constantFrom(...'0123456789-:TZ.') }),
        (text) => {
          expect(utcMillis(text)).toBe(Date.parse(text));
        },
      ),
    );
  });

  it('daysSince counts whole days and leaves missing dates undefined', () => {
    const now = new Date('2026-11-01T00:00:00Z');
    expect(daysSince('2026-10-01T12:00:00Z', now)).toBe(30);
    expect(daysSince('2026-11-03T00:00:00Z', now)).toBe(-2);
    expect(daysSince(undefined, now)).toBeUndefined();
    expect(daysSince('no_information', now)).toBeUndefined();
  });
});
