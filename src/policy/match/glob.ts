/**
 * The glob engine behind every wildcard matcher: `*` (any run, possibly empty) and `?` (exactly
 * one UTF-16 code unit). A pattern is split on `*` into fixed-length parts; the first part is
 * anchored at the start, the last at the end, and the middle parts are found left to right at
 * their leftmost position. Leftmost placement is always safe because a later part can only gain
 * room from an earlier part ending sooner, so no backtracking is ever needed.
 */

/** A run of pattern text between two `*`. `anyMask[i] === 1` marks a `?` wildcard at position i. */
export interface GlobPart {
  readonly text: string;
  readonly anyMask: Uint8Array | null;
}

export interface Glob {
  /** Parts between `*`s; one part means the pattern has no `*`. */
  readonly parts: readonly GlobPart[];
  /** Sum of the part lengths: the shortest value that can match. */
  readonly minLength: number;
}

/** Pieces a glob is built from: literal text, `*`, or `?`. */
export type GlobPiece = string | typeof STAR | typeof ONE;
export const STAR: unique symbol = Symbol('*');
export const ONE: unique symbol = Symbol('?');

/** Builds a glob from pieces; literal text never acts as a wildcard, whatever it contains. */
export function buildGlob(pieces: readonly GlobPiece[]): Glob {
  const parts: GlobPart[] = [];
  let text = '';
  let mask: number[] | null = null;
  let minLength = 0;
  const flush = (): void => {
    parts.push({ text, anyMask: mask === null ? null : Uint8Array.from(mask) });
    minLength += text.length;
    text = '';
    mask = null;
  };
  for (const piece of pieces) {
    if (piece === STAR) {
      flush();
    } else if (piece === ONE) {
      mask ??= new Array<number>(text.length).fill(0);
      mask.push(1);
      // Placeholder character: never compared because the mask marks it.
      text += '?';
    } else {
      if (mask !== null) for (let i = 0; i < piece.length; i++) mask.push(0);
      text += piece;
    }
  }
  flush();
  return { parts, minLength };
}

/** Parses `*` and `?` in raw text as wildcards. */
export function globFromPattern(pattern: string): Glob {
  const pieces: GlobPiece[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 /* * */ || c === 63 /* ? */) {
      if (i > start) pieces.push(pattern.slice(start, i));
      pieces.push(c === 42 ? STAR : ONE);
      start = i + 1;
    }
  }
  if (start < pattern.length) pieces.push(pattern.slice(start));
  return buildGlob(pieces);
}

function partMatchesAt(part: GlobPart, value: string, pos: number): boolean {
  const { text, anyMask } = part;
  if (anyMask === null) return value.startsWith(text, pos);
  for (let j = 0; j < text.length; j++) {
    if (anyMask[j] === 0 && text.charCodeAt(j) !== value.charCodeAt(pos + j)) return false;
  }
  return true;
}

/** Leftmost start of `part` in `value[from, limit)`, or -1. */
function findPart(part: GlobPart, value: string, from: number, limit: number): number {
  const len = part.text.length;
  if (part.anyMask === null) {
    const at = value.indexOf(part.text, from);
    return at !== -1 && at + len <= limit ? at : -1;
  }
  for (let i = from; i + len <= limit; i++) {
    if (partMatchesAt(part, value, i)) return i;
  }
  return -1;
}

/** Whether `value[start, end)` matches the glob. */
export function globMatchesRange(glob: Glob, value: string, start: number, end: number): boolean {
  const { parts } = glob;
  const n = parts.length;
  const first = parts[0]!;
  if (n === 1) return end - start === first.text.length && partMatchesAt(first, value, start);
  if (end - start < glob.minLength) return false;
  const last = parts[n - 1]!;
  const lastStart = end - last.text.length;
  if (!partMatchesAt(first, value, start) || !partMatchesAt(last, value, lastStart)) return false;
  let pos = start + first.text.length;
  for (let k = 1; k < n - 1; k++) {
    const part = parts[k]!;
    if (part.text.length === 0) continue;
    const at = findPart(part, value, pos, lastStart);
    if (at === -1) return false;
    pos = at + part.text.length;
  }
  return true;
}

export function globMatches(glob: Glob, value: string): boolean {
  return globMatchesRange(glob, value, 0, value.length);
}

/** True when the glob is made only of `*` (matches everything). */
export function globIsMatchAll(glob: Glob): boolean {
  return glob.parts.length > 1 && glob.minLength === 0;
}
