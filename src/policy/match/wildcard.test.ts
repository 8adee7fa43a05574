// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileActionPattern, compileLowerActionPattern, compileWildcard } from './index.js';

/** Reference matcher: textbook dynamic programming over (pattern, value) prefixes. */
function referenceMatch(pattern: string, value: string): boolean {
  const m = pattern.length;
  const n = value.length;
  let prev = new Array<boolean>(n + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= m; i++) {
    const p = pattern[i - 1];
    const cur = new Array<boolean>(n + 1).fill(false);
    cur[0] = p === '*' && prev[0]!;
    for (let j = 1; j <= n; j++) {
      if (p === '*') cur[j] = prev[j]! || cur[j - 1]!;
      else cur[j] = prev[j - 1]! && (p === '?' || p === value[j - 1]);
    }
    prev = cur;
  }
  return prev[n]!;
}

describe('compileWildcard', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
  // (StringLike: `*` multi-character, `?` single-character, anywhere in the string)
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'a/b:c', true],
    ['**', 'x', true],
    ['a*', 'a', true],
    ['a*', 'ba', false],
    ['*a', 'ba', true],
    ['*a', 'ab', false],
    ['a*b', 'ab', true],
    ['a*b', 'a/x:y/b', true],
    ['a*b', 'axxbc', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['?', '', false],
    ['??', 'ab', true],
    ['*a*a*', 'aa', true],
    ['*a*a*', 'a', false],
    ['a*?b', 'ab', false],
    ['a*?b', 'axb', true],
    ['*.?', 'x.y', true],
    ['home/*', 'home/', true],
    ['a.b', 'aXb', false],
    ['[a]', '[a]', true],
  ])('%j against %j is %s', (pattern, value, expected) => {
    expect(compileWildcard(pattern, false)(value)).toBe(expected);
    expect(referenceMatch(pattern, value)).toBe(expected);
  });

  it('is case-sensitive unless asked otherwise', () => {
    expect(compileWildcard('Bob*', false)('bob1')).toBe(false);
    expect(compileWildcard('Bob*', true)('bOB1')).toBe(true);
    expect(compileWildcard('B?b', true)('BOB')).toBe(true);
  });

  it('agrees with a dynamic-programming reference on random patterns', () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 10 });
    const value = fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 14 });
    fc.assert(
      fc.property(pattern, value, (p, v) => compileWildcard(p, false)(v) === referenceMatch(p, v)),
      { numRuns: 5000 },
    );
  });

  it('agrees with the reference case-insensitively', () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'B', '*', '?'), maxLength: 8 });
    const value = fc.string({ unit: fc.constantFrom('A', 'b'), maxLength: 10 });
    fc.assert(
      fc.property(
        pattern,
        value,
        (p, v) => compileWildcard(p, true)(v) === referenceMatch(p.toLowerCase(), v.toLowerCase()),
      ),
      { numRuns: 2000 },
    );
  });

  it('stays linear on adversarial input (20 wildcards vs 10,000 characters, 1,000 runs)', () => {
    // A backtracking matcher needs ~n^k steps here; the segment walk needs a few passes. The
    // trailing `*` stops the end anchor from rejecting early: `b` is searched across the value.
    const value = 'a'.repeat(10_000);
    const match = compileWildcard(`${'*a'.repeat(20)}*b*`, false);
    for (let i = 0; i < 1000; i++) expect(match(value)).toBe(false);
    // `?` parts take the char-by-char scan instead of indexOf.
    const qMatch = compileWildcard(`${'*a?'.repeat(20)}*a?b*`, false);
    for (let i = 0; i < 1000; i++) expect(qMatch(value)).toBe(false);
    expect(match(`${value}b`)).toBe(true);
    expect(qMatch(`${value}b`)).toBe(true);
  });
});

describe('compileActionPattern', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  // ("action names are case-insensitive"; wildcards allowed in the action part)
  it.each([
    ['s3:GetObject', 'S3:getobject', true],
    ['s3:Get*', 's3:GetObjectAcl', true],
    ['s3:Get*', 's3:PutObject', false],
    ['iam:*AccessKey*', 'iam:CreateAccessKey', true],
    ['*', 'ec2:RunInstances', true],
    ['ec2:*', 'ec2:RunInstances', true],
    ['ec2:*', 'ec2x:RunInstances', false],
    ['s3:?etObject', 's3:GetObject', true],
  ])('%j matches %j: %s', (pattern, action, expected) => {
    expect(compileActionPattern(pattern)(action)).toBe(expected);
    // The engine's form: the request's action lower-cased once, the pattern's case ignored.
    expect(compileLowerActionPattern(pattern)(action.toLowerCase())).toBe(expected);
  });

  it('the lower-case form agrees with the case-insensitive matcher on any spelling', () => {
    const text = fc.stringMatching(/^[aAbB:*?]{0,6}$/);
    fc.assert(
      fc.property(text, fc.stringMatching(/^[aAbB:]{0,6}$/), (pattern, action) => {
        expect(compileLowerActionPattern(pattern)(action.toLowerCase())).toBe(
          compileActionPattern(pattern)(action),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
