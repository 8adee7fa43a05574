import { describe, expect, it } from 'vitest';
import { decodePolicyText } from './decode.js';

// The raw IAM API returns policy documents URL-encoded per RFC 3986:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
describe('decodePolicyText', () => {
  it.each([
    ['plain JSON is left alone', '{"a":"%41"}', '{"a":"%41"}', false],
    ['leading whitespace before {', '  \n{"a":1}', '  \n{"a":1}', false],
    ['URL-encoded object is decoded once', '%7B%22a%22%3A%22%2541%22%7D', '{"a":"%41"}', true],
    ['lower-case escapes', '%7b%22a%22%3a1%7d', '{"a":1}', true],
    ['+ stays + (not form decoding)', '%7B%22a%22%3A%22x+y%22%7D', '{"a":"x+y"}', true],
    ['%2B decodes to +', '%7B%22a%22%3A%22x%2By%22%7D', '{"a":"x+y"}', true],
    ['encoded leading whitespace', '%0A%20%7B%7D', '\n {}', true],
    ['text that is not encoded JSON goes to the JSON parser', 'x = "%d" % 5', 'x = "%d" % 5', false],
  ])('%s', (_name, input, text, urlEncoded) => {
    expect(decodePolicyText(input)).toEqual({ ok: true, text, urlEncoded });
  });

  it.each([['%7B%ZZ%7D'], ['%7B%22a%22%3A%22%E0%A4%A%22%7D'], ['%7B%']])(
    'reports bad percent-encoding in %j',
    (input) => {
      expect(decodePolicyText(input).ok).toBe(false);
    },
  );
});
