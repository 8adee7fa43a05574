/**
 * Turns the text a user or the IAM API gave into JSON text. The raw IAM API (and so
 * `get-account-authorization-details` output from some tools) returns policy documents
 * RFC 3986 percent-encoded: `%7B%22Version%22...`. It is decoded exactly once, with
 * `decodeURIComponent` semantics: `+` stays `+` (this is not form decoding), and decoding twice
 * would corrupt a policy whose strings legitimately contain `%`.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
 */

export type DecodedText =
  | { readonly ok: true; readonly text: string; readonly urlEncoded: boolean }
  | { readonly ok: false; readonly message: string };

export function decodePolicyText(input: string): DecodedText {
  if (!looksUrlEncoded(input)) return { ok: true, text: input, urlEncoded: false };
  let decoded: string;
  try {
    decoded = decodeURIComponent(input);
  } catch {
    return {
      ok: false,
      message:
        'The policy looks URL-encoded (it starts with %7B) but has an invalid percent-escape: a % not followed by two hex digits of valid UTF-8',
    };
  }
  if (decoded.trimStart().startsWith('{')) return { ok: true, text: decoded, urlEncoded: true };
  // Not a URL-encoded object after all: hand the original to the JSON parser so it says where it fails.
  return { ok: true, text: input, urlEncoded: false };
}

/**
 * Whether the text is an encoded JSON object: its first character other than (plain or
 * percent-encoded) whitespace is `%7B`, the encoded `{`. Text starting with anything else goes to
 * the JSON parser as it is, so a stray `%` in non-JSON text is reported as a JSON error rather than
 * as bad URL encoding.
 */
function looksUrlEncoded(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (c !== 0x25) return false; // %
    const hex = text.slice(i + 1, i + 3).toUpperCase();
    if (hex === '7B') return true;
    if (hex === '20' || hex === '09' || hex === '0A' || hex === '0D') {
      i += 3;
      continue;
    }
    return false;
  }
  return false;
}
