import { describe, expect, it } from 'vitest';
import { sanitize, wrap } from './audit-table.js';

describe('audit table text handling', () => {
  it('neutralises control characters from account data (no terminal escape sequences)', () => {
    expect(sanitize('user\u001b[2J\u0007name\u009b31m')).toBe('user\uFFFD[2J\uFFFDname\uFFFD31m');
    expect(sanitize('plain · text é')).toBe('plain · text é');
  });

  it.each([
    ['short words', 'a b c', 10, '  ', ['  a b c']],
    ['breaks at spaces', 'alpha beta gamma delta', 14, '', ['alpha beta', 'gamma delta']],
    [
      'cuts a word longer than a line',
      `${'x'.repeat(25)} y`,
      12,
      '',
      ['x'.repeat(12), 'x'.repeat(12), 'x y'],
    ],
  ])('wrap: %s', (_name, text, width, indent, expected) => {
    const lines = wrap(text, width < 10 ? 10 : width, indent);
    expect(lines).toEqual(expected);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.max(width, 10 + indent.length));
  });
});
