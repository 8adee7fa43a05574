/**
 * Whether two wildcard patterns can match a common string: a policy `Resource` pattern against an
 * ARN template from the service reference. Both sides may hold `*`; `${...}` (policy variables in
 * the pattern, placeholders in the template) count as `*`, because their value is not known here.
 * Dynamic programming over both strings, O(n*m) time with bounded inputs: no regular expression is
 * built from policy text.
 */

const STAR = -1;
const ONE = -2;
/** Longer inputs are not analysed (the caller then reports nothing: unsure means silent). */
export const MAX_OVERLAP_INPUT = 2048;

type Piece = number;

export function toPieces(text: string, wildcards: boolean): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close !== -1) {
        if (out[out.length - 1] !== STAR) out.push(STAR);
        i = close + 1;
        continue;
      }
    }
    const c = text.charCodeAt(i);
    if (wildcards && c === 42) {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else if (wildcards && c === 63) out.push(ONE);
    else out.push(c);
    i++;
  }
  return out;
}

/** True when some string matches both patterns; undefined when an input is too long to analyse. */
export function globsOverlap(a: readonly Piece[], b: readonly Piece[]): boolean | undefined {
  const n = a.length;
  const m = b.length;
  if (n > MAX_OVERLAP_INPUT || m > MAX_OVERLAP_INPUT) return undefined;
  // reach[i][j]: the prefixes a[..i) and b[..j) can both be consumed producing the same string.
  const width = m + 1;
  const reach = new Uint8Array((n + 1) * width);
  reach[0] = 1;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (reach[i * width + j] === 0) continue;
      const pa = i < n ? a[i]! : undefined;
      const pb = j < m ? b[j]! : undefined;
      // A star may match nothing.
      if (pa === STAR) reach[(i + 1) * width + j] = 1;
      if (pb === STAR) reach[i * width + j + 1] = 1;
      if (pa === undefined || pb === undefined) continue;
      if (pa === STAR && pb === STAR) {
        reach[(i + 1) * width + j + 1] = 1;
      } else if (pa === STAR) {
        // The star absorbs the character (or `?`) that b produces; it stays open.
        reach[i * width + j + 1] = 1;
      } else if (pb === STAR) {
        reach[(i + 1) * width + j] = 1;
      } else if (pa === ONE || pb === ONE || pa === pb) {
        reach[(i + 1) * width + j + 1] = 1;
      }
    }
  }
  return reach[n * width + m] === 1;
}
