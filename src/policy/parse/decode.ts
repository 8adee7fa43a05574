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
  if (startsWithBrace(input)) return { ok: true, text: input, urlEncoded: false };
  if (!input.includes('%')) return { ok: true, text: input, urlEncoded: false };
  let decoded: string;
  try {
    decoded = decodeURIComponent(input);
  } catch {
    return {
      ok: false,
      message:
        'The policy looks URL-encoded but contains an invalid percent-escape (a % not followed by a valid UTF-8 sequence)',
    };
  }
  if (startsWithBrace(decoded)) return { ok: true, text: decoded, urlEncoded: true };
  // Not a URL-encoded object either: hand the original to the JSON parser so it reports where it fails.
  return { ok: true, text: input, urlEncoded: false };
}

function startsWithBrace(text: string): boolean {
  return text.trimStart().startsWith('{');
}
