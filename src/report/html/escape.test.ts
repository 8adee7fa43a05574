import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, escapeHtml, jsonForScript, scriptSafe } from './escape.js';

// The escapes as one replacement per character, in sequence: what the one-pass versions must equal.
const htmlInSteps = (t: string): string =>
  t
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const scriptInSteps = (t: string): string =>
  t
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const markup = fc.string({
  unit: fc.constantFrom('a', ' ', '&', '<', '>', '"', "'", '\u2028', '\u2029', '/', 's', '\\', 'é'),
  maxLength: 40,
});

describe('escapeHtml', () => {
  it('equals the five replacements done one after another', () => {
    fc.assert(
      fc.property(fc.oneof(markup, fc.string()), (t) => {
        expect(escapeHtml(t)).toBe(htmlInSteps(t));
      }),
    );
  });

  it.each([
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ["a & b's", 'a &amp; b&#39;s'],
    ['&amp;', '&amp;amp;'],
    ['plain', 'plain'],
  ])('%s → %s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('script data', () => {
  it('scriptSafe equals the replacements one after another, on the whole text or on any split of it', () => {
    fc.assert(
      fc.property(fc.oneof(markup, fc.string()), fc.nat(), (t, at) => {
        const cut = t.length === 0 ? 0 : at % t.length;
        expect(scriptSafe(t)).toBe(scriptInSteps(t));
        expect(scriptSafe(t.slice(0, cut)) + scriptSafe(t.slice(cut))).toBe(scriptInSteps(t));
      }),
    );
  });

  it('jsonForScript leaves no way to close the script and parses back to the value', () => {
    const value = { s: '</script><!-- & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('clip', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['one too long', 11, 'one too lo…'],
    ['😀😀😀', 3, '😀😀😀'],
    ['😀😀😀😀', 3, '😀😀…'],
  ])('%s at most %i characters → %s', (text, max, expected) => {
    expect(clip(text, max)).toBe(expected);
  });
});
