const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * Matches `text` against an IAM-style glob (`*` any run, `?` exactly one character) from the given
 * offsets, comparing UTF-16 code units exactly (callers lower-case both sides first).
 *
 * Greedy two-pointer matching that only ever backtracks to the most recent `*`: O(|pattern|·|text|)
 * in the worst case and never exponential, unlike a regex compiled from attacker-controlled text.
 */
export function globMatchFrom(
  pattern: string,
  patternStart: number,
  text: string,
  textStart: number,
): boolean {
  const pl = pattern.length;
  const tl = text.length;
  let p = patternStart;
  let t = textStart;
  let starP = -1;
  let starT = 0;
  while (t < tl) {
    if (p < pl) {
      const c = pattern.charCodeAt(p);
      if (c === STAR) {
        starP = p++;
        starT = t;
        continue;
      }
      if (c === QUESTION || c === text.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (p < pl && pattern.charCodeAt(p) === STAR) p++;
  return p === pl;
}

export function globMatch(pattern: string, text: string): boolean {
  return globMatchFrom(pattern, 0, text, 0);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** The literal text before the first wildcard: every match starts with it. */
export function literalPrefix(pattern: string): string {
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charCodeAt(i);
    if (c === STAR || c === QUESTION) break;
    i++;
  }
  return pattern.slice(0, i);
}

/** Runs of `*` are equivalent to one `*`; collapsing them bounds the pattern by its literal content. */
export function collapseStars(pattern: string): string {
  if (!pattern.includes('**')) return pattern;
  let out = '';
  let previousStar = false;
  for (const ch of pattern) {
    const star = ch === '*';
    if (!(star && previousStar)) out += ch;
    previousStar = star;
  }
  return out;
}

/** The fewest characters any match can have (every non-`*` consumes exactly one). */
export function minimumMatchLength(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) if (pattern.charCodeAt(i) !== STAR) n++;
  return n;
}
