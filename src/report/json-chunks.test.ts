import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batched, jsonChunks, StreamedArray, streamedArray } from './json-chunks.js';

const join = (chunks: Iterable<string>): string => [...chunks].join('');

// JSON-like data with the values JSON.stringify treats specially: undefined, Dates, holes of
// meaning (empty arrays and objects), strings with newlines and escapes, `__proto__` keys.
const leaf = fc.oneof(
  fc.string(),
  fc.constantFrom('line\nbreak', '"quoted"', '\u2028', '</script>', 'AKIAIOSFODNN7EXAMPLE'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 12 }),
  object: fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('__proto__', 'findings', '0', '10')),
    tie('tree'),
    {
      maxKeys: 6,
    },
  ),
}));

/** The same data with some arrays as StreamedArrays (what JSON.stringify sees through toJSON). */
function streamSome(value: unknown, pick: () => boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => streamSome(v, pick));
    return pick() ? new StreamedArray(() => items) : items;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: streamSome(v, pick),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

describe('jsonChunks', () => {
  it.each([
    ['two-space indent', '  '],
    ['compact', ''],
    ['tab indent', '\t'],
  ])('joins to exactly what JSON.stringify writes (%s)', (_name, indent) => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(join(jsonChunks(value, indent))).toBe(JSON.stringify(value, null, indent) ?? '');
      }),
      { numRuns: 400 },
    );
  });

  it('writes streamed arrays, at any depth, as JSON.stringify writes the arrays they stand for', () => {
    fc.assert(
      fc.property(tree, fc.infiniteStream(fc.boolean()), (value, flips) => {
        const it = flips[Symbol.iterator]();
        const streamed = streamSome(value, () => it.next().value === true);
        const expected = JSON.stringify(value, null, 2) ?? '';
        expect(join(jsonChunks(streamed, '  '))).toBe(expected);
        expect(JSON.stringify(streamed, null, 2) ?? '').toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('makes the elements of a streamed array one at a time, as they are written', () => {
    const made: number[] = [];
    const doc = {
      head: 1,
      list: streamedArray([1, 2, 3], (n) => {
        made.push(n);
        return { n };
      }),
    };
    const chunks = jsonChunks(doc, '  ')[Symbol.iterator]();
    const seen: string[] = [];
    for (let r = chunks.next(); !r.done; r = chunks.next()) {
      seen.push(r.value);
      if (r.value.includes('"n": 1')) expect(made).toEqual([1]);
    }
    expect(made).toEqual([1, 2, 3]);
    expect(seen.join('')).toBe(JSON.stringify({ head: 1, list: [{ n: 1 }, { n: 2 }, { n: 3 }] }, null, 2));
  });

  it('a deep document of many findings: the elements of the long list are separate pieces', () => {
    const findings = Array.from({ length: 100 }, (_, i) => ({ id: `f${i}`, evidence: { facts: { n: i } } }));
    const doc = { schemaVersion: 1, summary: { findings: { total: 100 } }, findings, gaps: [] };
    const pieces = [...jsonChunks(doc, '  ')];
    expect(pieces.join('')).toBe(JSON.stringify(doc, null, 2));
    expect(pieces.length).toBeGreaterThan(100);
  });
});

describe('batched', () => {
  it('joins pieces into strings of at least the size, the last one shorter, the text unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 })), fc.integer({ min: 1, max: 50 }), (parts, size) => {
        const out = [...batched(parts, size)];
        expect(out.join('')).toBe(parts.join(''));
        for (const s of out.slice(0, -1)) expect(s.length).toBeGreaterThanOrEqual(size);
        for (const s of out) expect(s.length).toBeGreaterThan(0);
      }),
    );
  });
});
