import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batched, JSON_BATCH, jsonChunks, StreamedArray, streamedArray } from './json-chunks.js';

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

  it('makes the elements of a streamed array at most JSON_BATCH ahead of writing them', () => {
    const made: number[] = [];
    const n = 3 * JSON_BATCH + 5;
    const doc = {
      head: 1,
      list: streamedArray(
        Array.from({ length: n }, (_, i) => i),
        (i) => {
          made.push(i);
          return { n: i };
        },
      ),
    };
    const chunks = jsonChunks(doc, '  ')[Symbol.iterator]();
    const seen: string[] = [];
    for (let r = chunks.next(); !r.done; r = chunks.next()) {
      seen.push(r.value);
      const last = [...r.value.matchAll(/"n": (\d+)/g)].at(-1);
      if (last) expect(made.length).toBeLessThanOrEqual(Number(last[1]) + 1 + JSON_BATCH);
    }
    expect(made).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(seen.join('')).toBe(
      JSON.stringify({ head: 1, list: Array.from({ length: n }, (_, i) => ({ n: i })) }, null, 2),
    );
  });

  it('a deep document of many findings: the long list comes in pieces of at most JSON_BATCH elements', () => {
    const findings = Array.from({ length: 100 }, (_, i) => ({ id: `f${i}`, evidence: { facts: { n: i } } }));
    const doc = { schemaVersion: 1, summary: { findings: { total: 100 } }, findings, gaps: [] };
    for (const indent of ['  ', '']) {
      const pieces = [...jsonChunks(doc, indent)];
      expect(pieces.join('')).toBe(JSON.stringify(doc, null, indent));
      const withFindings = pieces.filter((p) => p.includes('"id"'));
      expect(withFindings.length).toBe(Math.ceil(100 / JSON_BATCH));
      for (const p of withFindings) expect(p.match(/"id"/g)!.length).toBeLessThanOrEqual(JSON_BATCH);
    }
  });

  it('mixes batched elements with nested streamed arrays and values JSON writes as null', () => {
    const inner = streamedArray([1, 2], (i) => ({ i }));
    const list = streamedArray(
      Array.from({ length: 70 }, (_, i) => i),
      (i) => (i === 3 ? undefined : i === 65 ? inner : { k: i }),
    );
    for (const indent of ['  ', ''])
      expect([...jsonChunks({ list }, indent)].join('')).toBe(
        JSON.stringify(
          {
            list: Array.from({ length: 70 }, (_, i) =>
              i === 3 ? null : i === 65 ? [{ i: 1 }, { i: 2 }] : { k: i },
            ),
          },
          null,
          indent,
        ),
      );
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
