/**
 * Wildcard, Resource and ARN matchers built from tokenized policy text. Each shape is decided
 * once at compile time; only patterns holding variables are re-resolved per request.
 */
import type { RequestContext } from '../conditions/context.js';
import {
  buildGlob,
  type Glob,
  type GlobPiece,
  globIsMatchAll,
  globMatches,
  globMatchesRange,
  ONE,
  STAR,
} from './glob.js';
import { resolveTokens, resolveVariable, type Token, tokenize, variableKeysOf } from './variables.js';

export type StringMatcher = (value: string) => boolean;

const matchAll: StringMatcher = () => true;
const matchNone: StringMatcher = () => false;

/** A compiled pattern: the whole value against one glob, or an ARN split into six segments. */
type Shape =
  | { readonly kind: 'never' }
  | { readonly kind: 'whole'; readonly tokens: readonly Token[] }
  | { readonly kind: 'arn'; readonly segments: readonly (readonly Token[])[] };

const ARN_SEGMENTS = 6;

/** Splits tokens at the first five literal `:` (the resource segment keeps any further colons). */
function splitArnTokens(tokens: readonly Token[]): Token[][] {
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (typeof token !== 'string' || segments.length === ARN_SEGMENTS) {
      segments[segments.length - 1]!.push(token);
      continue;
    }
    let rest = token;
    let colon = rest.indexOf(':');
    while (colon !== -1 && segments.length < ARN_SEGMENTS) {
      if (colon > 0) segments[segments.length - 1]!.push(rest.slice(0, colon));
      segments.push([]);
      rest = rest.slice(colon + 1);
      colon = rest.indexOf(':');
    }
    if (rest !== '') segments[segments.length - 1]!.push(rest);
  }
  return segments;
}

function startsWithArn(tokens: readonly Token[]): boolean {
  const first = tokens[0];
  return typeof first === 'string' && first.startsWith('arn:');
}

/**
 * ArnLike/ArnEquals: "Each of the six colon-delimited components of the ARN is checked
 * separately" — a pattern that is not a six-part ARN never matches.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
function arnShape(tokens: readonly Token[]): Shape {
  const segments = splitArnTokens(tokens);
  return segments.length === ARN_SEGMENTS ? { kind: 'arn', segments } : { kind: 'never' };
}

/**
 * Resource element: wildcards work within colon-separated segments; "If the * wildcard is the
 * last character of a resource ARN segment, it can expand to match beyond the colon
 * boundaries". We honour that expansion for short patterns (`arn:aws:s3:*` covers every S3 ARN)
 * by padding the missing segments with `*`. Non-ARN patterns (`*`) compare as whole strings.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 */
function resourceShape(tokens: readonly Token[]): Shape {
  if (!startsWithArn(tokens)) return { kind: 'whole', tokens };
  const segments = splitArnTokens(tokens);
  if (segments.length === ARN_SEGMENTS) return { kind: 'arn', segments };
  const last = segments[segments.length - 1]!;
  if (last[last.length - 1] !== STAR) return { kind: 'never' };
  while (segments.length < ARN_SEGMENTS) segments.push([STAR]);
  return { kind: 'arn', segments };
}

function lowerPieces(pieces: GlobPiece[]): GlobPiece[] {
  return pieces.map((p) => (typeof p === 'string' ? p.toLowerCase() : p));
}

/** The fastest matcher for a glob: equality, prefix, match-all, or the general walk. */
function globMatcher(glob: Glob, caseInsensitive: boolean): StringMatcher {
  if (globIsMatchAll(glob)) return matchAll;
  const { parts } = glob;
  const first = parts[0]!;
  if (parts.length === 1 && first.anyMask === null) {
    const text = first.text;
    return caseInsensitive ? (v) => v.toLowerCase() === text : (v) => v === text;
  }
  if (parts.length === 2 && parts[1]!.text === '' && first.anyMask === null) {
    const prefix = first.text;
    return caseInsensitive ? (v) => v.toLowerCase().startsWith(prefix) : (v) => v.startsWith(prefix);
  }
  return caseInsensitive ? (v) => globMatches(glob, v.toLowerCase()) : (v) => globMatches(glob, v);
}

function isPlainText(glob: Glob): boolean {
  return glob.parts.length === 1 && glob.parts[0]!.anyMask === null;
}

/** Matches an ARN value segment by segment, without splitting (no allocation). */
function arnMatcher(globs: readonly Glob[]): StringMatcher {
  const head = globs.slice(0, ARN_SEGMENTS - 1);
  // The usual shape: partition, service, region and account spelled out (`arn:aws:s3:::`). Plain
  // segments without a colon fix where the value's first five colons are, so one prefix test does.
  if (head.every((g) => isPlainText(g) && !g.parts[0]!.text.includes(':'))) {
    const prefix = `${head.map((g) => g.parts[0]!.text).join(':')}:`;
    const resource = globs[ARN_SEGMENTS - 1]!;
    const pieces: GlobPiece[] = [];
    for (const [i, part] of resource.parts.entries()) {
      pieces.push(i === 0 ? prefix : STAR);
      if (part.anyMask === null) pieces.push(part.text);
      else
        for (let j = 0; j < part.text.length; j++) pieces.push(part.anyMask[j] === 1 ? ONE : part.text[j]!);
    }
    return globMatcher(buildGlob(pieces), false);
  }
  return (value) => {
    let start = 0;
    for (let i = 0; i < ARN_SEGMENTS - 1; i++) {
      const colon = value.indexOf(':', start);
      if (colon === -1 || !globMatchesRange(globs[i]!, value, start, colon)) return false;
      start = colon + 1;
    }
    return globMatchesRange(globs[ARN_SEGMENTS - 1]!, value, start, value.length);
  };
}

/** Turns a shape into a matcher, substituting variables from `context` (undefined: none allowed). */
function realize(
  shape: Shape,
  context: RequestContext | undefined,
  caseInsensitive: boolean,
): StringMatcher | { readonly missingKey: string } {
  if (shape.kind === 'never') return matchNone;
  if (shape.kind === 'whole') {
    const pieces = resolveTokens(shape.tokens, context);
    if (!Array.isArray(pieces)) return pieces as { missingKey: string };
    return globMatcher(buildGlob(caseInsensitive ? lowerPieces(pieces) : pieces), caseInsensitive);
  }
  const globs: Glob[] = [];
  for (const segment of shape.segments) {
    const pieces = resolveTokens(segment, context);
    if (!Array.isArray(pieces)) return pieces as { missingKey: string };
    globs.push(buildGlob(pieces));
  }
  return arnMatcher(globs);
}

function compileStatic(shape: Shape, caseInsensitive: boolean): StringMatcher {
  const m = realize(shape, undefined, caseInsensitive);
  // Static tokens hold no variables, so resolution cannot fail.
  return typeof m === 'function' ? m : matchNone;
}

/** `*` matches any run of characters (including `/` and `:`), `?` exactly one. */
export function compileWildcard(pattern: string, caseInsensitive: boolean): StringMatcher {
  const tokens = tokenize(caseInsensitive ? pattern.toLowerCase() : pattern, {
    variables: false,
    wildcards: true,
  });
  return compileStatic({ kind: 'whole', tokens }, caseInsensitive);
}

/** Matcher for a value of the `Action`/`NotAction` element (case-insensitive, `service:pattern`). */
export function compileActionPattern(pattern: string): StringMatcher {
  let m = actionMatchers.get(pattern);
  if (m === undefined) {
    // Pure and repeated across policies (`s3:GetObject` appears in thousands): one per text.
    if (actionMatchers.size >= STATIC_TEMPLATE_LIMIT) actionMatchers.clear();
    m = compileWildcard(pattern, true);
    actionMatchers.set(pattern, m);
  }
  return m;
}

const actionMatchers = new Map<string, StringMatcher>();

/**
 * `compileActionPattern` for a value the caller has already lower-cased: the engine lower-cases a
 * request's action once instead of once per statement value it is compared with.
 */
export function compileLowerActionPattern(pattern: string): StringMatcher {
  let m = lowerActionMatchers.get(pattern);
  if (m === undefined) {
    if (lowerActionMatchers.size >= STATIC_TEMPLATE_LIMIT) lowerActionMatchers.clear();
    m = compileWildcard(pattern.toLowerCase(), false);
    lowerActionMatchers.set(pattern, m);
  }
  return m;
}

const lowerActionMatchers = new Map<string, StringMatcher>();

/** Matcher for a value of the `Resource`/`NotResource` element (variables already substituted). */
export function compileResourcePattern(pattern: string): StringMatcher {
  return compileStatic(resourceShape(tokenize(pattern, { variables: false, wildcards: true })), false);
}

/** `ArnLike`/`ArnEquals` semantics: the six ARN segments are compared separately. */
export function compileArnPattern(pattern: string): StringMatcher {
  return compileStatic(arnShape(tokenize(pattern, { variables: false, wildcards: true })), false);
}

/**
 * A pattern that may hold policy variables. `test` answers true/false, or the name of the key a
 * variable needed and the request lacks: AWS then treats the element as not matching ("any
 * attempt to match it fails", reference_policies_variables.html#principaltable).
 */
export interface TemplateMatcher {
  readonly hasVariables: boolean;
  /** The request keys the variables read (as written, not lower-cased). */
  readonly variableKeys: readonly string[];
  test(value: string, context: RequestContext): boolean | string;
}

type VariableToken = Extract<Token, { readonly key: string }>;

function variableTokens(shape: Shape): VariableToken[] {
  const all = shape.kind === 'whole' ? shape.tokens : shape.kind === 'arn' ? shape.segments.flat() : [];
  return all.filter((t): t is VariableToken => typeof t === 'object');
}

/**
 * For an ARN pattern with variables: a matcher over the segments without variables only (the
 * others accept anything). When it fails, no value of the variables can make the pattern match.
 */
function staticSegmentsMatcher(shape: Shape): StringMatcher | undefined {
  if (shape.kind !== 'arn') return undefined;
  const globs = shape.segments.map((segment) =>
    hasVariableToken(segment) ? buildGlob([STAR]) : buildGlob(segment as readonly GlobPiece[]),
  );
  return arnMatcher(globs);
}

function template(
  shape: Shape,
  hasVars: boolean,
  caseInsensitive: boolean,
  staticSegmentsFirst = false,
): TemplateMatcher {
  if (!hasVars) {
    const m = compileStatic(shape, caseInsensitive);
    return { hasVariables: false, variableKeys: [], test: m };
  }
  const vars = variableTokens(shape);
  const staticSegments = staticSegmentsFirst ? staticSegmentsMatcher(shape) : undefined;
  // The matcher for the last substituted values: bulk work asks about one principal many times,
  // so the glob is rebuilt only when a variable's value changes.
  let lastValues: string[] | undefined;
  let lastMatcher: StringMatcher = matchNone;
  return {
    hasVariables: true,
    variableKeys: variableKeysOf(vars),
    test: (value, context) => {
      if (staticSegments !== undefined && !staticSegments(value)) return false;
      let same = lastValues !== undefined;
      for (let i = 0; i < vars.length; i++) {
        const token = vars[i]!;
        const resolved = resolveVariable(token, context);
        // The first variable (in text order) the request cannot fill decides, as in `realize`.
        if (resolved === undefined) return token.key;
        if (same && lastValues![i] !== resolved) same = false;
      }
      if (!same) {
        const m = realize(shape, context, caseInsensitive);
        if (typeof m !== 'function') return m.missingKey;
        lastValues = vars.map((t) => resolveVariable(t, context) ?? '');
        lastMatcher = m;
      }
      return lastMatcher(value);
    },
  };
}

function hasVariableToken(tokens: readonly Token[]): boolean {
  return tokens.some((t) => typeof t === 'object');
}

export interface TemplateOptions {
  /** Version 2012-10-17: substitute `${...}`. */
  readonly variables: boolean;
  readonly caseInsensitive?: boolean;
}

/** StringLike-style pattern with variables; `${*}` and substituted text stay literal. */
export function compileWildcardTemplate(pattern: string, options: TemplateOptions): TemplateMatcher {
  const ci = options.caseInsensitive === true;
  const tokens = tokenize(pattern, { variables: options.variables, wildcards: true });
  return template({ kind: 'whole', tokens }, hasVariableToken(tokens), ci);
}

/** StringEquals-style exact text with variables: `*` and `?` are ordinary characters. */
export function compileLiteralTemplate(text: string, options: TemplateOptions): TemplateMatcher {
  const ci = options.caseInsensitive === true;
  const tokens = tokenize(text, { variables: options.variables, wildcards: false });
  return template({ kind: 'whole', tokens }, hasVariableToken(tokens), ci);
}

/**
 * Resource/NotResource value with variables (the evaluator's per-request path). ARN segments are
 * compared one by one, so a value whose variable-free segments (service, account, ...) already
 * differ from the resource does not match it whatever the variables hold: it answers false even
 * when a variable cannot be filled. Only a value that could name the resource reports the key.
 */
export function compileResourceTemplate(pattern: string, options: TemplateOptions): TemplateMatcher {
  const plain = plainArnTemplate(pattern);
  if (plain !== undefined) return plain;
  const key = options.variables ? pattern : `\u0000${pattern}`;
  const known = staticResourceTemplates.get(key);
  if (known !== undefined) return known;
  const tokens = tokenize(pattern, { variables: options.variables, wildcards: true });
  const hasVars = hasVariableToken(tokens);
  const matcher = template(resourceShape(tokens), hasVars, false, true);
  // Variable-free matchers are pure, so one per pattern text serves every policy: an organization's
  // policies repeat the same few thousand resource patterns across tens of thousands of statements.
  // Matchers with variables keep per-instance state (the last substitution) and are never shared.
  if (!hasVars) {
    if (staticResourceTemplates.size >= STATIC_TEMPLATE_LIMIT) staticResourceTemplates.clear();
    staticResourceTemplates.set(key, matcher);
  }
  return matcher;
}

/**
 * The usual Resource value, compiled without tokenizing: `arn:` and five literal segments, then a
 * resource part that is exact or ends in one `*`. With the first five segments literal (no `*`, `?`
 * or `${`), a value matches segment by segment exactly when it matches the whole text (its first
 * five colons must fall where the pattern's are), so equality or a prefix test decides. Anything
 * else (variables, `?`, inner `*`) takes the general path.
 */
function plainArnTemplate(pattern: string): TemplateMatcher | undefined {
  if (!pattern.startsWith('arn:') || pattern.includes('$') || pattern.includes('?')) return undefined;
  let colon = -1;
  for (let i = 0; i < ARN_SEGMENTS - 1; i++) {
    colon = pattern.indexOf(':', colon + 1);
    if (colon === -1) return undefined;
  }
  const star = pattern.indexOf('*');
  let test: StringMatcher;
  if (star === -1) test = (v) => v === pattern;
  else if (star === pattern.length - 1 && star > colon) {
    const prefix = pattern.slice(0, -1);
    test = (v) => v.startsWith(prefix);
  } else return undefined;
  return { hasVariables: false, variableKeys: NO_KEYS, test };
}

const NO_KEYS: readonly string[] = [];
const STATIC_TEMPLATE_LIMIT = 200_000;
const staticResourceTemplates = new Map<string, TemplateMatcher>();

/** ArnLike/ArnEquals value with variables; segments are split before substitution. */
export function compileArnTemplate(pattern: string, options: TemplateOptions): TemplateMatcher {
  const tokens = tokenize(pattern, { variables: options.variables, wildcards: true });
  return template(arnShape(tokens), hasVariableToken(tokens), false);
}

/** Whether the text has the six colon-separated parts ArnLike needs (colons inside `${...}` excluded). */
export function isArnPattern(pattern: string, variables: boolean): boolean {
  return splitArnTokens(tokenize(pattern, { variables, wildcards: true })).length === ARN_SEGMENTS;
}

export { ONE, STAR };
