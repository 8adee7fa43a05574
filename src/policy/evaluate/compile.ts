/**
 * A policy compiled once for many requests: each statement's actions as a bitset over the catalog
 * (plus wildcard matchers for actions the catalog does not know), its resources as matchers, its
 * principal as sets, its conditions compiled. Compiled policies are cached by object identity.
 */
import { ActionSetBuilder } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { PolicyIssue, SourcePosition } from '../../model/issue.js';
import type { Effect, NamedPolicy, Policy, Statement } from '../../model/policy.js';
import { type CompiledCondition, compileCondition } from '../conditions/index.js';
import {
  compileLowerActionPattern,
  compileResourceTemplate,
  type StringMatcher,
  type TemplateMatcher,
} from '../match/index.js';
import { type CompiledPrincipal, compilePrincipalSet } from './principal.js';

export interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly deny: boolean;
  readonly pos: SourcePosition;
  /** No Action and no NotAction: the statement matches no action. */
  readonly hasAction: boolean;
  readonly notAction: boolean;
  /** Catalog actions named by the Action/NotAction patterns (before NotAction's complement). */
  readonly actionBits: ActionSet;
  /** The same patterns as matchers of the lower-cased action name, for actions the catalog does not know. */
  readonly actionMatchers: readonly StringMatcher[];
  /** 0: no Resource element (trust policies), 1: Resource, 2: NotResource. */
  readonly resourceMode: 0 | 1 | 2;
  /** `*` among the values: matches every resource without looking. */
  readonly resourceAll: boolean;
  readonly resourceMatchers: readonly TemplateMatcher[];
  readonly principal?: CompiledPrincipal;
  readonly notPrincipal?: CompiledPrincipal;
  readonly conditions: readonly CompiledCondition[];
  /**
   * Matches every request its action matches: no conditions, every resource, and (in policies
   * with a Principal element) every principal. 0: no; 1: where no Principal is read; 2: anywhere.
   */
  readonly unconditional: 0 | 1 | 2;
  /** Lower-cased request keys the conditions and Resource variables read. */
  readonly contextKeys: readonly string[];
}

const COMPILED: unique symbol = Symbol('leastpriv.compiledPolicy');

export interface CompiledPolicyData {
  readonly [COMPILED]: true;
  readonly name: string;
  readonly source?: string;
  readonly statements: readonly CompiledStatement[];
  /** The document had ERRORs: statements may be missing, so any request may be undecidable. */
  readonly incomplete: boolean;
  readonly incompleteReason?: string;
  /** Lower-cased request keys any statement reads. */
  readonly contextKeys: readonly string[];
  /**
   * Statements that can match an action, by catalog index, filled on first use (at most one entry
   * per catalog action): a request visits only its candidates, in document order.
   */
  readonly byAction: Map<number, Candidates>;
}

/** A `NamedPolicy`, optionally with the parser's issues so the engine knows when statements are missing. */
export interface EvaluablePolicy extends NamedPolicy {
  readonly issues?: readonly PolicyIssue[];
}

export function isCompiledPolicy(value: unknown): value is CompiledPolicyData {
  return (
    typeof value === 'object' && value !== null && (value as { [COMPILED]?: unknown })[COMPILED] === true
  );
}

const statementCache = new WeakMap<Policy, readonly CompiledStatement[]>();
const namedCache = new WeakMap<NamedPolicy, CompiledPolicyData>();

export function compileNamedPolicy(named: EvaluablePolicy): CompiledPolicyData {
  const cached = namedCache.get(named);
  if (cached) return cached;
  let statements = statementCache.get(named.policy);
  if (!statements) {
    statements = named.policy.statements.map((s) => compileStatement(s, named.policy.variablesEnabled));
    statementCache.set(named.policy, statements);
  }
  const firstError = named.issues?.find((i) => i.severity === 'ERROR');
  const contextKeys = new Set<string>();
  for (const s of statements) for (const k of s.contextKeys) contextKeys.add(k);
  const compiled: CompiledPolicyData = {
    [COMPILED]: true,
    name: named.name,
    ...(named.source !== undefined ? { source: named.source } : {}),
    statements,
    incomplete: firstError !== undefined,
    ...(firstError
      ? { incompleteReason: `${firstError.code} at line ${firstError.line}: ${firstError.message}` }
      : {}),
    contextKeys: [...contextKeys],
    byAction: new Map(),
  };
  namedCache.set(named, compiled);
  return compiled;
}

/**
 * Statements of different policies repeat the same action lists (AWS managed policies, stamped-out
 * customer policies): one immutable set per distinct list, not a 22,000-bit set per statement.
 * Keyed by the lower-cased, sorted patterns (expansion ignores case and union ignores order);
 * bounded like the catalog's pattern cache.
 */
const ACTION_BITS_CACHE_LIMIT = 8192;
const ACTION_BITS_KEY_LIMIT = 16_384;
const actionBitsCache = new Map<string, ActionSet>();

function actionBitsOf(patterns: readonly string[]): ActionSet {
  const catalog = getCatalog();
  if (patterns.length === 0) return catalog.emptySet();
  if (patterns.length === 1) return catalog.expandActionPattern(patterns[0] as string).set;
  const key = JSON.stringify(patterns.map((p) => p.toLowerCase()).sort());
  const cacheable = key.length <= ACTION_BITS_KEY_LIMIT;
  if (cacheable) {
    const hit = actionBitsCache.get(key);
    if (hit) return hit;
  }
  const builder = new ActionSetBuilder(catalog.actionCount);
  for (const p of patterns) builder.addSet(catalog.expandActionPattern(p).set);
  const bits = builder.build();
  if (cacheable) {
    if (actionBitsCache.size >= ACTION_BITS_CACHE_LIMIT) actionBitsCache.clear();
    actionBitsCache.set(key, bits);
  }
  return bits;
}

function compileStatement(s: Statement, variablesEnabled: boolean): CompiledStatement {
  const patterns = s.action ?? s.notAction ?? [];
  const bits = actionBitsOf(patterns);
  const resources = s.resource ?? s.notResource;
  const resourceMode = s.resource ? 1 : s.notResource ? 2 : 0;
  const resourceMatchers = (resources ?? []).map((r) =>
    compileResourceTemplate(r, { variables: variablesEnabled }),
  );
  const conditions = s.conditions.map((c) => compileCondition(c, { variablesEnabled }));
  const contextKeys = new Set<string>();
  for (const c of conditions) for (const k of c.contextKeys) contextKeys.add(k);
  for (const m of resourceMatchers) for (const k of m.variableKeys) contextKeys.add(k.toLowerCase());
  const anyResource = resourceMode === 0 || (resourceMode === 1 && resources?.includes('*') === true);
  const principal = s.principal ? compilePrincipalSet(s.principal) : undefined;
  const unconditional =
    conditions.length > 0 || !anyResource || s.notPrincipal ? 0 : principal?.wildcard ? 2 : 1;
  return {
    index: s.index,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    effect: s.effect,
    deny: s.effect === 'Deny',
    pos: s.pos,
    hasAction: s.action !== undefined || s.notAction !== undefined,
    notAction: s.action === undefined && s.notAction !== undefined,
    actionBits: bits,
    actionMatchers: patterns.map((p) => compileLowerActionPattern(p)),
    resourceMode,
    resourceAll: (resources ?? []).includes('*'),
    resourceMatchers,
    ...(principal ? { principal } : {}),
    ...(s.notPrincipal ? { notPrincipal: compilePrincipalSet(s.notPrincipal) } : {}),
    conditions,
    unconditional,
    contextKeys: [...contextKeys],
  };
}

/** The statements of one policy that can match one action, in document order. */
export interface Candidates {
  readonly all: readonly CompiledStatement[];
  /** The Deny statements among them: all that is left to look at once allows cannot matter. */
  readonly deny: readonly CompiledStatement[];
}

/** The statements whose Action/NotAction can match the catalog action `actionIndex`. */
export function statementsForAction(p: CompiledPolicyData, actionIndex: number): Candidates {
  let found = p.byAction.get(actionIndex);
  if (found === undefined) {
    const all = p.statements.filter(
      (s) => s.hasAction && (s.notAction ? !s.actionBits.has(actionIndex) : s.actionBits.has(actionIndex)),
    );
    const deny = all.filter((s) => s.deny);
    found =
      all.length === 0
        ? NO_CANDIDATES
        : { all, deny: deny.length === 0 ? NO_STATEMENTS : deny.length === all.length ? all : deny };
    p.byAction.set(actionIndex, found);
  }
  return found;
}

const NO_STATEMENTS: readonly CompiledStatement[] = [];
const NO_CANDIDATES: Candidates = { all: NO_STATEMENTS, deny: NO_STATEMENTS };
