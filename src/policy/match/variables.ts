/**
 * Policy variables: `${key}`, `${key, 'default'}` and the escapes `${*}`, `${?}`, `${$}`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type { RequestContext } from '../conditions/context.js';
import { type GlobPiece, ONE, STAR } from './glob.js';

export type VariableResolution =
  | { readonly ok: true; readonly value: string }
  /** A variable without a default named a key the request does not have (or a multi-valued key). */
  | { readonly ok: false; readonly missingKey: string };

/** One lexical piece of policy text: literal text, a wildcard, or a variable reference. */
export type Token =
  | string
  | typeof STAR
  | typeof ONE
  | { readonly key: string; readonly defaultValue: string | undefined; readonly raw: string };

export interface TokenizeOptions {
  /** Version 2012-10-17: `${...}` is a variable; otherwise it is literal text. */
  readonly variables: boolean;
  /** `*` and `?` are wildcards (Like operators, Resource, Action); otherwise literal. */
  readonly wildcards: boolean;
}

/** The escapes stand for characters that would otherwise be wildcards or start a variable. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);

/** True when the text holds a policy variable (`${...}` with a closing brace). */
export function hasVariables(text: string): boolean {
  const open = text.indexOf('${');
  return open !== -1 && text.indexOf('}', open + 2) !== -1;
}

function parseVariable(inner: string, raw: string): Token {
  const escaped = ESCAPES.get(inner);
  if (escaped !== undefined) return escaped;
  const comma = inner.indexOf(',');
  if (comma === -1) return { key: inner.trim(), defaultValue: undefined, raw };
  const rest = inner.slice(comma + 1).trim();
  if (rest.length >= 2 && rest.startsWith("'") && rest.endsWith("'")) {
    return { key: inner.slice(0, comma).trim(), defaultValue: rest.slice(1, -1), raw };
  }
  // Not the documented `key, 'default'` shape: no request key can have this name, so it never resolves.
  return { key: inner.trim(), defaultValue: undefined, raw };
}

export function tokenize(text: string, options: TokenizeOptions): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (options.wildcards && (c === '*' || c === '?')) {
      if (literal !== '') tokens.push(literal);
      literal = '';
      tokens.push(c === '*' ? STAR : ONE);
      i++;
      continue;
    }
    if (options.variables && c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close !== -1) {
        const token = parseVariable(text.slice(i + 2, close), text.slice(i, close + 1));
        if (typeof token === 'string') {
          literal += token;
        } else {
          if (literal !== '') tokens.push(literal);
          literal = '';
          tokens.push(token);
        }
        i = close + 1;
        continue;
      }
    }
    literal += c;
    i++;
  }
  if (literal !== '') tokens.push(literal);
  return tokens;
}

/** The keys of the variables in tokenized text, in order of appearance (duplicates kept out). */
export function variableKeysOf(tokens: readonly Token[]): string[] {
  const keys: string[] = [];
  for (const token of tokens) {
    if (typeof token === 'object' && !keys.includes(token.key)) keys.push(token.key);
  }
  return keys;
}

/** The keys the policy variables in `text` read (Version 2012-10-17 reading). */
export function variableKeysIn(text: string): string[] {
  return hasVariables(text) ? variableKeysOf(tokenize(text, { variables: true, wildcards: false })) : [];
}

/** The request's value for a variable, its default, or undefined when neither exists. */
export function resolveVariable(
  token: { readonly key: string; readonly defaultValue: string | undefined },
  context: RequestContext,
): string | undefined {
  const value = context.get(token.key);
  // Multi-valued keys cannot be substituted (condition-single-vs-multi-valued-context-keys).
  if (typeof value === 'string') return value;
  return token.defaultValue;
}

/**
 * Resolves tokens to glob pieces. Substituted values are literal text: a `*` inside a user name
 * or tag value never acts as a wildcard (AWS escapes them the same way it provides `${*}`).
 */
export function resolveTokens(
  tokens: readonly Token[],
  context: RequestContext | undefined,
): GlobPiece[] | { readonly missingKey: string } {
  const pieces: GlobPiece[] = [];
  for (const token of tokens) {
    if (typeof token === 'string' || token === STAR || token === ONE) {
      pieces.push(token);
      continue;
    }
    const value = context === undefined ? undefined : resolveVariable(token, context);
    if (value === undefined) return { missingKey: token.key };
    pieces.push(value);
  }
  return pieces;
}

/**
 * Substitutes `${key}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`. For Resource patterns and
 * string-like condition values; the caller skips this entirely under Version 2008-10-17.
 * The result is plain text: to keep `${*}` literal inside a wildcard pattern, use the
 * template matchers (`compileWildcardTemplate`, `compileResourceTemplate`, `compileArnTemplate`).
 */
export function substituteVariables(text: string, context: RequestContext): VariableResolution {
  if (!hasVariables(text)) return { ok: true, value: text };
  const resolved = resolveTokens(tokenize(text, { variables: true, wildcards: false }), context);
  if (!Array.isArray(resolved))
    return { ok: false, missingKey: (resolved as { missingKey: string }).missingKey };
  return { ok: true, value: (resolved as string[]).join('') };
}
