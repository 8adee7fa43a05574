import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionSetBuilder, BitActionSet } from './action-set.js';
import type { ActionSet } from './types.js';

/** Sizes around word boundaries catch tail-mask bugs in complement and count. */
const sizeArb = fc.oneof(fc.constantFrom(0, 1, 31, 32, 33, 63, 64, 65), fc.integer({ min: 0, max: 300 }));

const universeWithSets = (n: number) =>
  sizeArb.chain((size) =>
    fc.tuple(
      fc.constant(size),
      fc.array(
        size === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.nat(size - 1), { maxLength: size }),
        {
          minLength: n,
          maxLength: n,
        },
      ),
    ),
  );

function sets(size: number, members: number[][]): BitActionSet[] {
  return members.map((m) => BitActionSet.fromIndices(size, m));
}

function members(set: ActionSet): number[] {
  return [...set.indices()];
}

describe('BitActionSet algebra', () => {
  it('holds exactly the indices it was built from, in ascending order', () => {
    fc.assert(
      fc.property(universeWithSets(1), ([size, [m]]) => {
        const set = BitActionSet.fromIndices(size, m!);
        expect(members(set)).toEqual([...m!].sort((a, b) => a - b));
        for (let i = -1; i <= size; i++) expect(set.has(i)).toBe(m!.includes(i));
        expect(set.count()).toBe(m!.length);
        expect(set.isEmpty()).toBe(m!.length === 0);
      }),
    );
  });

  it('union, intersect and difference agree with plain set operations', () => {
    fc.assert(
      fc.property(universeWithSets(2), ([size, ms]) => {
        const [a, b] = sets(size, ms);
        const sa = new Set(ms[0]);
        const sb = new Set(ms[1]);
        const all = Array.from({ length: size }, (_, i) => i);
        expect(members(a!.union(b!))).toEqual(all.filter((i) => sa.has(i) || sb.has(i)));
        expect(members(a!.intersect(b!))).toEqual(all.filter((i) => sa.has(i) && sb.has(i)));
        expect(members(a!.difference(b!))).toEqual(all.filter((i) => sa.has(i) && !sb.has(i)));
      }),
    );
  });

  it('satisfies commutativity, associativity, distributivity and De Morgan', () => {
    fc.assert(
      fc.property(universeWithSets(3), ([size, ms]) => {
        const [a, b, c] = sets(size, ms) as [BitActionSet, BitActionSet, BitActionSet];
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(
          a
            .union(b)
            .union(c)
            .equals(a.union(b.union(c))),
        ).toBe(true);
        expect(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c)))).toBe(true);
        expect(a.union(b).complement().equals(a.complement().intersect(b.complement()))).toBe(true);
        expect(a.intersect(b).complement().equals(a.complement().union(b.complement()))).toBe(true);
        expect(a.difference(b).equals(a.intersect(b.complement()))).toBe(true);
      }),
    );
  });

  it('complement is an involution that never sets indices beyond the universe', () => {
    fc.assert(
      fc.property(universeWithSets(1), ([size, [m]]) => {
        const a = BitActionSet.fromIndices(size, m!);
        const c = a.complement();
        expect(c.count()).toBe(size - a.count());
        expect(members(c).every((i) => i < size)).toBe(true);
        expect(c.complement().equals(a)).toBe(true);
        expect(a.union(c).equals(BitActionSet.full(size))).toBe(true);
        expect(a.intersect(c).isEmpty()).toBe(true);
      }),
    );
  });

  it('subset and intersects agree with difference and intersect', () => {
    fc.assert(
      fc.property(universeWithSets(2), ([size, ms]) => {
        const [a, b] = sets(size, ms) as [BitActionSet, BitActionSet];
        expect(a.isSubsetOf(b)).toBe(a.difference(b).isEmpty());
        expect(a.intersects(b)).toBe(!a.intersect(b).isEmpty());
        expect(a.isSubsetOf(a.union(b))).toBe(true);
      }),
    );
  });

  it('count equals the number of indices iterated', () => {
    fc.assert(
      fc.property(universeWithSets(2), ([size, ms]) => {
        const [a, b] = sets(size, ms) as [BitActionSet, BitActionSet];
        for (const s of [a, b, a.union(b), a.complement(), a.difference(b)]) {
          expect(s.count()).toBe(members(s).length);
        }
      }),
    );
  });

  it('operations leave their operands unchanged', () => {
    const a = BitActionSet.fromIndices(70, [1, 40, 69]);
    const b = BitActionSet.fromIndices(70, [2, 40]);
    a.union(b);
    a.intersect(b);
    a.difference(b);
    a.complement();
    expect(members(a)).toEqual([1, 40, 69]);
    expect(members(b)).toEqual([2, 40]);
  });

  it('refuses to combine sets over different universes', () => {
    const a = BitActionSet.empty(10);
    const b = BitActionSet.empty(11);
    expect(() => a.union(b)).toThrow(RangeError);
  });

  it('combines with a foreign ActionSet implementation through its indices', () => {
    const a = BitActionSet.fromIndices(40, [1, 2, 3]);
    const foreign = { size: 40, indices: () => [3, 39] } as unknown as ActionSet;
    expect(members(a.union(foreign))).toEqual([1, 2, 3, 39]);
  });
});

describe('ActionSetBuilder', () => {
  it('rejects indices outside the universe instead of dropping them', () => {
    const builder = new ActionSetBuilder(5);
    expect(() => builder.add(5)).toThrow(RangeError);
    expect(() => builder.add(-1)).toThrow(RangeError);
    expect(() => builder.add(1.5)).toThrow(RangeError);
  });

  it('does not change a built set when the builder is reused', () => {
    const builder = new ActionSetBuilder(64);
    const first = builder.add(3).build();
    builder.add(10);
    const second = builder.build();
    expect(members(first)).toEqual([3]);
    expect(members(second)).toEqual([10]);
  });

  it('addSet unions whole sets', () => {
    const builder = new ActionSetBuilder(100);
    builder.addSet(BitActionSet.fromIndices(100, [1, 99])).addSet(BitActionSet.fromIndices(100, [50]));
    expect(members(builder.build())).toEqual([1, 50, 99]);
  });
});
