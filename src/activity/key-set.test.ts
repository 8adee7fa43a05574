import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey, KeySet } from './key-set.js';

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const hashOf = (bytes: Uint8Array): number =>
  hashKey(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);

/** Adds each key to a KeySet and to a Set of strings; returns both sets' answers. */
function addAll(keys: readonly string[], hash: (bytes: Uint8Array) => number): [boolean[], boolean[]] {
  const set = new KeySet();
  const strings = new Set<string>();
  const ours: boolean[] = [];
  const theirs: boolean[] = [];
  for (const key of keys) {
    const bytes = bytesOf(key);
    ours.push(set.add(bytes, 0, bytes.length, hash(bytes)));
    const size = strings.size;
    strings.add(key);
    theirs.push(strings.size !== size);
  }
  expect(set.size).toBe(strings.size);
  return [ours, theirs];
}

describe('KeySet', () => {
  it('adds exactly the keys a Set of strings adds', () => {
    const key = fc.oneof(
      fc.constantFrom('', 'a', 'ab', 'abc', 'abcd', 'abcde', 'é', 'x'.repeat(40)),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), (keys) => {
        const [ours, theirs] = addAll(keys, hashOf);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['every key with the same hash', () => 7],
    ['hashes differing only above the table bits', (b: Uint8Array) => (b.length << 24) | 5],
  ])('tells keys apart by their bytes with %s', (_label, hash) => {
    const keys = ['a', 'b', 'ab', 'ba', '', 'a', 'abc', 'abd', 'b', 'abc', 'é', 'e\u0301', 'é'];
    const [ours, theirs] = addAll(keys, hash);
    expect(ours).toEqual(theirs);
  });

  it.each([
    ['the default size', undefined],
    ['a size hint', 50_000],
  ])('keeps every key through its growth and forgets them when cleared (%s)', (_label, expected) => {
    const set = new KeySet(expected);
    const key = (k: number): Uint8Array => bytesOf(`id-${k}-${'z'.repeat(k % 50)}`);
    for (let k = 0; k < 100_000; k++) expect(set.add(key(k), 0, key(k).length, hashOf(key(k)))).toBe(true);
    for (let k = 0; k < 100_000; k += 7) expect(set.has(key(k), 0, key(k).length, hashOf(key(k)))).toBe(true);
    expect(set.add(key(5), 0, key(5).length, hashOf(key(5)))).toBe(false);
    expect(set.size).toBe(100_000);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.has(key(5), 0, key(5).length, hashOf(key(5)))).toBe(false);
  });

  it('reads a key from within a larger buffer', () => {
    const set = new KeySet();
    const buffer = bytesOf('xxabcyyabczz');
    const view = new DataView(buffer.buffer);
    expect(set.add(buffer, 2, 5, hashKey(buffer, view, 2, 5))).toBe(true);
    expect(set.add(buffer, 7, 10, hashKey(buffer, view, 7, 10))).toBe(false);
    expect(hashKey(buffer, view, 2, 5)).toBe(hashOf(bytesOf('abc')));
  });
});
