import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitActionSet } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import { parsePolicy } from '../../policy/parse/index.js';
import {
  policyActions,
  policyWords,
  statementActions,
  statementIntersects,
  statementWords,
} from './policy-actions.js';
import {
  packedEquals,
  packedIntersects,
  packedIsSubset,
  packedOf,
  packedSubsetOf,
  packedUnion,
  WordAccumulator,
  wordCount,
} from './word-sets.js';

const size = getCatalog().actionCount;

/** Sets from a few clustered runs (like a service's actions) or scattered indices, or a large block. */
const arbSet = fc
  .oneof(
    fc.array(fc.integer({ min: 0, max: size - 1 }), { maxLength: 40 }),
    fc
      .tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 1, max: size }))
      .map(([start, length]) => Array.from({ length: Math.min(length, size - start) }, (_, i) => start + i)),
  )
  .map((indices) => BitActionSet.fromIndices(size, indices) as ActionSet);

function unpack(words: Uint32Array): ActionSet {
  const indices: number[] = [];
  for (let k = 0; k < words.length; k += 2) {
    const at = words[k] as number;
    const w = words[k + 1] as number;
    for (let b = 0; b < 32; b++) if ((w >>> b) & 1) indices.push(at * 32 + b);
  }
  return BitActionSet.fromIndices(size, indices);
}

function dense(set: ActionSet): Uint32Array {
  const out = new Uint32Array(wordCount());
  for (const i of set.indices()) out[i >>> 5] = ((out[i >>> 5] as number) | (1 << (i & 31))) >>> 0;
  return out;
}

describe('packed words agree with the action-set algebra', () => {
  it('round trip, union, intersects, subset, equals', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        const pa = packedOf(a);
        const pb = packedOf(b);
        expect(unpack(pa).equals(a)).toBe(true);
        expect(unpack(packedUnion([pa, pb])).equals(a.union(b))).toBe(true);
        expect(packedIntersects(pa, pb)).toBe(a.intersects(b));
        expect(packedIntersects(pb, pa)).toBe(a.intersects(b));
        expect(packedIsSubset(pa, pb)).toBe(a.isSubsetOf(b));
        expect(packedSubsetOf(pa, dense(b))).toBe(a.isSubsetOf(b));
        expect(packedEquals(pa, pb)).toBe(a.equals(b));
      }),
      { numRuns: 300 },
    );
  });

  it('the accumulator: unions, restriction and reset, in both its sparse and whole-array modes', () => {
    const acc = new WordAccumulator();
    fc.assert(
      fc.property(fc.array(arbSet, { minLength: 1, maxLength: 5 }), arbSet, arbSet, (sets, keep, drop) => {
        acc.reset();
        let expected = getCatalog().emptySet();
        for (const set of sets) {
          acc.or(packedOf(set));
          expected = expected.union(set);
        }
        expect(unpack(acc.pack()).equals(expected)).toBe(true);
        acc.restrict(dense(keep), dense(drop));
        const restricted = expected.intersect(keep).difference(drop);
        expect(unpack(acc.pack()).equals(restricted)).toBe(true);
        expect(acc.popcount()).toBe(restricted.count());
        const copy = new WordAccumulator();
        copy.orAccumulator(acc);
        expect(unpack(copy.pack()).equals(restricted)).toBe(true);
        acc.reset();
        expect(acc.pack().length).toBe(0);
        expect(acc.dense.every((w) => w === 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

// Action and NotAction, wildcards and case-insensitive names:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
describe('statement words are the statement action set', () => {
  it.each([
    ['one exact action', { Action: 's3:GetObject' }],
    [
      'exact names in any case, an unknown one, a wildcard',
      { Action: ['S3:getobject', 'iam:Nope', 'ec2:Describe*'] },
    ],
    ['question mark wildcard', { Action: ['iam:?etRole', 'kms:Decrypt'] }],
    ['every action', { Action: '*' }],
    ['NotAction with one pattern', { NotAction: 'iam:*' }],
    ['NotAction with several', { NotAction: ['iam:*', 's3:GetObject', 'organizations:*'] }],
  ])('%s', (_name, element) => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...element }] };
    const statement = parsePolicy(JSON.stringify(doc)).policy?.statements[0];
    if (!statement) throw new Error('fixture has a statement');
    const set = statementActions(statement);
    expect(unpack(statementWords(statement)).equals(set)).toBe(true);
    fc.assert(
      fc.property(arbSet, (other) => {
        expect(statementIntersects(statement, dense(other))).toBe(set.intersects(other));
      }),
      { numRuns: 50 },
    );
    for (const i of [...set.indices()].slice(0, 3))
      expect(statementIntersects(statement, dense(BitActionSet.fromIndices(size, [i])))).toBe(true);
  });

  it('policy words are the policy action sets (allowAll, allowAny, denyAll)', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:Get*', 'kms:Decrypt'], Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:*', Resource: 'arn:aws:ec2:*:*:instance/*' },
        {
          Effect: 'Allow',
          NotAction: 'iam:*',
          Resource: '*',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Deny', Action: 'kms:*', Resource: 'arn:aws:kms:*:*:key/1' },
        { Effect: 'Allow', Action: 'sts:AssumeRole' },
      ],
    };
    const policy = parsePolicy(JSON.stringify(doc)).policy;
    if (!policy) throw new Error('fixture policy must parse');
    const sets = policyActions(policy);
    const words = policyWords(policy);
    expect(unpack(words.allowAll).equals(sets.allowAll)).toBe(true);
    expect(unpack(words.allowAny).equals(sets.allowAny)).toBe(true);
    expect(unpack(words.denyAll).equals(sets.denyAll)).toBe(true);
  });
});
