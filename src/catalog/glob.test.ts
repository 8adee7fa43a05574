import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseStars, globMatch, literalPrefix, minimumMatchLength } from './glob.js';

/** Reference matcher: textbook dynamic programming, obviously correct, used only as an oracle. */
function referenceMatch(pattern: string, text: string): boolean {
  const dp: boolean[][] = Array.from({ length: pattern.length + 1 }, () =>
    new Array<boolean>(text.length + 1).fill(false),
  );
  dp[0]![0] = true;
  for (let p = 1; p <= pattern.length; p++) {
    const c = pattern[p - 1];
    dp[p]![0] = c === '*' && dp[p - 1]![0]!;
    for (let t = 1; t <= text.length; t++) {
      if (c === '*') dp[p]![t] = dp[p - 1]![t]! || dp[p]![t - 1]!;
      else dp[p]![t] = (c === '?' || c === text[t - 1]) && dp[p - 1]![t - 1]!;
    }
  }
  return dp[pattern.length]![text.length]!;
}

// Action wildcards: `*` matches any run of characters, `?` exactly one.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
describe('globMatch', () => {
  it.each([
    ['s3:get*', 's3:getobject', true],
    ['s3:get*', 's3:putobject', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['?', '', false],
    ['iam:?ut*', 'iam:putrolepolicy', true],
    ['iam:?ut*', 'iam:getrole', false],
    ['*object', 's3:getobject', true],
    ['*object', 's3:getobjects', false],
    ['a*b*c', 'abbbc', true],
    ['a*b*c', 'acb', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('agrees with a dynamic-programming reference on random inputs', () => {
    const pat = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 8 });
    const txt = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 10 });
    fc.assert(
      fc.property(pat, txt, (p, t) => {
        expect(globMatch(p, t)).toBe(referenceMatch(p, t));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers a pathological pattern that a backtracking regex would explode on', () => {
    const pattern = `${'*a'.repeat(30)}*b`;
    expect(globMatch(pattern, 'a'.repeat(200))).toBe(false);
    expect(globMatch(pattern, `${'a'.repeat(200)}b`)).toBe(true);
  });
});

describe('pattern helpers', () => {
  it.each([
    ['s3:get*', 's3:get'],
    ['iam:?ut*', 'iam:'],
    ['*', ''],
    ['ec2:describeinstances', 'ec2:describeinstances'],
  ])('literal prefix of %s is %s', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });

  it('collapsing runs of stars keeps the set of matches', () => {
    const pat = fc.string({ unit: fc.constantFrom('a', '*', '?'), maxLength: 10 });
    const txt = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 8 });
    fc.assert(
      fc.property(pat, txt, (p, t) => {
        const collapsed = collapseStars(p);
        expect(collapsed.includes('**')).toBe(false);
        expect(globMatch(collapsed, t)).toBe(globMatch(p, t));
      }),
    );
  });

  it('minimum match length counts every non-star character', () => {
    expect(minimumMatchLength('s3:?et*')).toBe(6);
    expect(minimumMatchLength('***')).toBe(0);
  });
});
