import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventWalker } from './json-walk.js';
import { ScanError } from './scan.js';

const PATHS = [['a'], ['b', 'c'], ['b', 'd', 'e'], ['eventID']];

function walkText(text: string): EventWalker {
  const walker = new EventWalker(PATHS);
  const bytes = Buffer.from(text);
  walker.walk(bytes, 0, bytes.length);
  return walker;
}

/** What the walker found at `path`, as JSON.parse reads the slot's bytes (undefined when absent). */
function found(walker: EventWalker, text: string, path: string[]): unknown {
  const slot = walker.slotOf(path);
  if (walker.start[slot]! < 0) return undefined;
  return JSON.parse(Buffer.from(text).subarray(walker.start[slot], walker.end[slot]).toString());
}

/** The same path read from JSON.parse's objects (an array or scalar on the way finds nothing). */
function expected(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

const accepts = (text: string, walker?: EventWalker): boolean => {
  try {
    if (walker === undefined) walkText(text);
    else {
      const bytes = Buffer.from(text);
      walker.walk(bytes, 0, bytes.length);
    }
    return true;
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    return false;
  }
};

const parses = (text: string): boolean => {
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
};

describe('EventWalker', () => {
  it('finds the values JSON.parse finds, last duplicate winning, none through non-objects', () => {
    const member = fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'eventID'), fc.string({ maxLength: 3 }));
    const tree = fc.letrec((tie) => ({
      // Every node is JSON text.
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        tie('object'),
        fc.array(tie('value'), { maxLength: 3 }).map((items) => `[ ${items.join(' , ')} ]`),
      ),
      object: fc
        .array(fc.tuple(member, tie('value')), { maxLength: 5 })
        .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    }));
    fc.assert(
      fc.property(tree.object, (text) => {
        const walker = walkText(text as string);
        const value = JSON.parse(text as string);
        for (const path of PATHS) expect(found(walker, text as string, path)).toEqual(expected(value, path));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the values JSON.parse finds when one walker walks many events in turn', () => {
    // A shared walker expects each object's names in the order the events before it had them
    // (json-walk.ts KeyEntry): other orders, near names, repeats and escapes must not fool it.
    const name = fc.constantFrom(
      'a',
      'b',
      'c',
      'd',
      'e',
      'eventID',
      'eventIDs',
      'eventI',
      'eventId',
      'b\\u0000',
      '\\u0061',
      'event\\u0049D',
    );
    const scalar = fc.jsonValue({ maxDepth: 0 }).map((v) => JSON.stringify(v));
    const object = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> =>
      fc
        .array(fc.tuple(name, inner), { maxLength: 6 })
        .map((entries) => `{${entries.map(([k, v]) => `"${k}":${v}`).join(',')}}`);
    const event = object(fc.oneof(scalar, object(fc.oneof(scalar, object(scalar)))));
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), (texts) => {
        const walker = new EventWalker(PATHS);
        for (const text of texts) {
          const bytes = Buffer.from(text);
          walker.walk(bytes, 0, bytes.length);
          const value = JSON.parse(text);
          for (const path of PATHS) expect(found(walker, text, path)).toEqual(expected(value, path));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the values past the bound on names it learns per object', () => {
    const walker = new EventWalker(PATHS);
    for (let round = 0; round < 3; round++) {
      const members = Array.from({ length: 100 }, (_, k) => `"n${(k * 7 + round) % 100}":${k}`);
      const text = `{${members.join(',')},"a":${round},"b":{"c":"x${round}"}}`;
      const bytes = Buffer.from(text);
      walker.walk(bytes, 0, bytes.length);
      expect(found(walker, text, ['a'])).toBe(round);
      expect(found(walker, text, ['b', 'c'])).toBe(`x${round}`);
    }
  });

  it('refuses a raw control character in a string and reads escapes at every position', () => {
    // The string scan takes four bytes at a time: each position within and across those words.
    // Pieces as they stand in the JSON text: escapes, bad escapes, and raw characters.
    const pieces = [
      '\\u0000',
      '\\u001f',
      '\\n',
      '\\"',
      '\\\\',
      '\\u00e9',
      '\\x',
      '\\u00',
      '\u0000',
      '\u001f',
      '\n',
      '"',
      '\\',
      'é',
      ' ',
      '!',
    ];
    const walker = new EventWalker(PATHS);
    for (let length = 0; length <= 13; length++) {
      for (let at = 0; at <= length; at++) {
        for (const piece of pieces) {
          const inner = `${'x'.repeat(at)}${piece}${'y'.repeat(length - at)}`;
          for (const text of [`{"a":"${inner}","eventID":"${inner}"}`, `{"${inner}":1,"a":2}`]) {
            expect(accepts(text, walker), text).toBe(parses(text));
            if (parses(text)) expect(found(walker, text, ['a'])).toEqual(expected(JSON.parse(text), ['a']));
          }
        }
      }
    }
  });

  it('accepts exactly the objects JSON.parse accepts', () => {
    // Valid objects with one character inserted, removed or replaced by JSON's own alphabet.
    const alphabet = fc.constantFrom(...'{}[]":,\\/ \n\t0123456789.eE+-tfnrulasbu\u0001\u001f'.split(''));
    fc.assert(
      fc.property(
        fc.object({ maxDepth: 3 }),
        fc.nat(),
        fc.integer({ min: 0, max: 2 }),
        alphabet,
        (obj, at, op, ch) => {
          const good = JSON.stringify(obj);
          const k = at % (good.length + 1);
          const text =
            op === 0
              ? good.slice(0, k) + ch + good.slice(k)
              : op === 1
                ? good.slice(0, k) + good.slice(k + 1)
                : good.slice(0, k) + ch + good.slice(k + 1);
          expect(accepts(text)).toBe(parses(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['a bad literal', '{"a":tru}'],
    ['a leading zero', '{"a":01}'],
    ['a bare minus', '{"a":-}'],
    ['a trailing dot', '{"a":1.}'],
    ['a trailing comma', '{"a":1,}'],
    ['an unknown escape', '{"a":"\\x"}'],
    ['a short \\u escape', '{"a":"\\u12"}'],
    ['a raw tab in a string', '{"a":"x\ty"}'],
    ['a missing colon', '{"a" 1}'],
    ['two values', '{"a":1} {"b":2}'],
    ['an array', '[1]'],
  ])('rejects %s', (_label, text) => {
    expect(accepts(text)).toBe(false);
    expect(parses(text)).toBe(false);
  });

  it('reads a member name spelled with escapes as JSON.parse does', () => {
    const text = '{"\\u0061":"x","b":{"\\u0063":1}}';
    const walker = walkText(text);
    expect(found(walker, text, ['a'])).toBe('x');
    expect(found(walker, text, ['b', 'c'])).toBe(1);
  });

  it('stops at the end it is given, whatever the bytes after it hold', () => {
    // The string scan reads on without checking the end at each byte: a string (or value) that
    // runs past the end is still refused, even when the bytes beyond would close it.
    const walker = new EventWalker(PATHS);
    for (const [text, to] of [
      ['{"a":"abc"}', 7],
      ['{"a":"abc"}{"a":1}', 8],
      ['{"a":"ab\\"}', 9],
    ] as const) {
      const bytes = Buffer.from(text);
      expect(() => walker.walk(bytes, 0, to)).toThrow(ScanError);
    }
    const bytes = Buffer.from('{"a":"abc"} trailing');
    walker.walk(bytes, 0, 11);
    expect(
      Buffer.from(
        bytes.subarray(walker.start[walker.slotOf(['a'])]!, walker.end[walker.slotOf(['a'])]!),
      ).toString(),
    ).toBe('"abc"');
  });
});
