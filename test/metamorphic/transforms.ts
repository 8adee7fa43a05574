/**
 * Rewrites of a request that must not change its decision (or may change it only one way), for
 * the metamorphic properties. Each takes a seed so fast-check can shrink it.
 */
import type { PolicyDocument, SimulateRequest } from '../differential/case.js';
import { mapPolicies } from '../differential/case.js';
import { recase } from '../differential/generators.js';

type Json = unknown;

/** A small deterministic PRNG so one fast-check integer drives a whole rewrite. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function statementsOf(doc: PolicyDocument): unknown[] {
  const s = doc.Statement;
  return Array.isArray(s) ? s : s === undefined ? [] : [s];
}

/** Shuffles the statements of every policy and the policies within every layer/level. */
export function shuffleStatements(request: SimulateRequest, seed: number): SimulateRequest {
  const random = prng(seed);
  const reordered = mapPolicies(request, (doc) => ({
    ...doc,
    Statement: shuffle(statementsOf(doc), random),
  }));
  const p = reordered.policies;
  return {
    ...reordered,
    policies: {
      ...p,
      ...(p.identity ? { identity: shuffle(p.identity, random) } : {}),
      ...(p.boundary ? { boundary: shuffle(p.boundary, random) } : {}),
      ...(p.scp ? { scp: p.scp.map((level) => shuffle(level, random)) } : {}),
      ...(p.rcp ? { rcp: p.rcp.map((level) => shuffle(level, random)) } : {}),
    },
  };
}

/** Rebuilds every object with its keys in a shuffled order, recursively (values untouched). */
export function shuffleKeys(value: Json, random: () => number): Json {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const key of shuffle(Object.keys(value), random))
      out[key] = shuffleKeys((value as Record<string, Json>)[key], random);
    return out;
  }
  return value;
}

/** JSON text with arbitrary whitespace between tokens (never inside strings). */
export function withWhitespace(doc: PolicyDocument, seed: number): string {
  const random = prng(seed);
  const blanks = [' ', '\n', '\t', '\r\n', '  ', ''];
  const pad = () => blanks[Math.floor(random() * blanks.length)] as string;
  const write = (v: Json): string => {
    if (Array.isArray(v)) return `[${pad()}${v.map((x) => `${pad()}${write(x)}${pad()}`).join(',')}]${pad()}`;
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).map(
        ([k, x]) => `${pad()}${JSON.stringify(k)}${pad()}:${pad()}${write(x)}${pad()}`,
      );
      return `{${entries.join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return `${pad()}${write(doc)}${pad()}`;
}

/** Re-cases the request's action and every Action/NotAction value (action names are case-insensitive). */
export function recaseActions(request: SimulateRequest, seed: number): SimulateRequest {
  const random = prng(seed);
  const re = (a: string) => recase(a, Math.floor(random() * 0x3fff_ffff));
  const fix = (v: unknown) =>
    typeof v === 'string' ? re(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? re(x) : x)) : v;
  const rewritten = mapPolicies(request, (doc) => ({
    ...doc,
    Statement: statementsOf(doc).map((st) => {
      const s = { ...(st as Record<string, unknown>) };
      if ('Action' in s) s.Action = fix(s.Action);
      if ('NotAction' in s) s.NotAction = fix(s.NotAction);
      return s;
    }),
  }));
  return { ...rewritten, action: re(request.action) };
}

/** RFC 3986 percent-encoding of the JSON text, as the raw IAM API returns policy documents. */
export function urlEncoded(doc: PolicyDocument): string {
  return encodeURIComponent(JSON.stringify(doc));
}
