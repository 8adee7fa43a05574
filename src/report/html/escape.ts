/** Text for HTML element content and quoted attribute values: every character that could end either. */
export function escapeHtml(text: string): string {
  // One pass (no replacement brings in a character replaced), and none for text without any.
  return HTML_SPECIAL_TEST.test(text) ? text.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] ?? c) : text;
}

const HTML_SPECIAL_TEST = /[&<>"']/;
const HTML_SPECIAL = /[&<>"']/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes so no
 * `</script>` or `<!--` can appear, and U+2028/U+2029 escaped for consumers that eval as JS.
 */
export function jsonForScript(value: unknown): string {
  return scriptSafe(JSON.stringify(value));
}

const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/g;
const SCRIPT_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON text (whole or any slice of it: every replacement is of one character) made safe for a
 * script block, as `jsonForScript` does. One pass: no replacement brings in a character replaced.
 */
export function scriptSafe(json: string): string {
  return json.replace(SCRIPT_UNSAFE, (c) => SCRIPT_ESCAPES[c] ?? c);
}

/** At most `max` characters, with an ellipsis: for labels inside fixed-width SVG. */
export function clip(text: string, max: number): string {
  // No more UTF-16 units than `max` is no more characters either: most labels stop here.
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
