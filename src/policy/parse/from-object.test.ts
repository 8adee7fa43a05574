import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonStringLength, jsonValueFromObject } from './from-object.js';

describe('jsonStringLength (the compact JSON size IAM counts, without making the string)', () => {
  it.each([
    ['', 2],
    ['s3:GetObject', 14],
    ['a"b', 6],
    ['a\\b', 6],
    ['\n\t\r\b\f', 12],
    ['\u0001', 8],
    ['\u00e9', 3],
    ['\ud83d\ude00', 4],
    ['\ud83d', 8],
    ['x\ude00y', 10],
  ])('%j is %i characters as JSON', (text, expected) => {
    expect(jsonStringLength(text)).toBe(expected);
    expect(JSON.stringify(text).length).toBe(expected);
  });

  it('agrees with JSON.stringify on any UTF-16 text, lone surrogates included', () => {
    const unit = fc.nat(0xffff).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(jsonStringLength(text)).toBe(JSON.stringify(text).length);
      }),
      { numRuns: 5000 },
    );
  });

  it('sizes a whole document exactly as its compact JSON text', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:Get*', 'kms:"x"'], Resource: '*', Condition: { Bool: { k: true } } },
      ],
      n: 1.5,
      z: null,
    };
    const r = jsonValueFromObject(doc, { maxDepth: 64, maxNodes: 10_000, maxChars: 1_000_000 });
    expect(r.ok && r.compactSize).toBe(JSON.stringify(doc).length);
  });
});
