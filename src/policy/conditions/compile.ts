/**
 * Compiles one condition clause: operator lookup, policy values parsed once, set operators
 * (`ForAnyValue:`/`ForAllValues:`), `IfExists`, `Null`, and the missing-key rules.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import type { ConditionExplanation, ConditionVerdict } from '../../model/explanation.js';
import type { ConditionClause } from '../../model/policy.js';
import { hasVariables, substituteVariables, variableKeysIn } from '../match/index.js';
import type { RequestContext } from './context.js';
import { keyIsNull, parseNullValue } from './null.js';
import type { ConditionOperator } from './operator.js';
import { findOperator } from './registry.js';

export interface ConditionResult {
  readonly verdict: ConditionVerdict;
  /** Only built when asked for (`explain`), so bulk evaluation allocates nothing. */
  readonly explanation?: ConditionExplanation;
}

export interface CompiledCondition {
  readonly clause: ConditionClause;
  /** Lower-cased request keys the condition reads: its own key and those its policy variables name. */
  readonly contextKeys: readonly string[];
  evaluate(context: RequestContext, explain: boolean): ConditionResult;
}

export interface CompileConditionOptions {
  /** Version 2012-10-17: substitute policy variables in values. */
  readonly variablesEnabled: boolean;
}

const MATCH: ConditionResult = Object.freeze({ verdict: 'match' });
const NO_MATCH: ConditionResult = Object.freeze({ verdict: 'no-match' });
const UNKNOWN: ConditionResult = Object.freeze({ verdict: 'unknown' });

function result(ok: boolean): ConditionResult {
  return ok ? MATCH : NO_MATCH;
}

function explained(
  clause: ConditionClause,
  verdict: ConditionVerdict,
  reason: string,
  context?: RequestContext,
  variables = false,
): ConditionResult {
  const raw = context?.get(clause.key);
  const explanation: ConditionExplanation = {
    operator: clause.operator,
    key: clause.key,
    policyValues:
      context === undefined
        ? clause.values
        : clause.values.map((v) => displayPolicyValue(v, context, variables)),
    ...(raw === undefined ? {} : { requestValues: typeof raw === 'string' ? [raw] : raw }),
    verdict,
    reason,
    ...(clause.pos.line > 0 ? { pos: clause.pos } : {}),
  };
  return { verdict, explanation };
}

/** The policy value as the request saw it: variables substituted where they apply. */
function displayPolicyValue(value: string, context: RequestContext, variables: boolean): string {
  if (!variables) return value;
  const resolved = substituteVariables(value, context);
  return resolved.ok ? resolved.value : value;
}

/** An operator this engine does not know: always `unknown`, never a guess. */
function unknownCondition(clause: ConditionClause, why: string): CompiledCondition {
  return {
    clause,
    contextKeys: [],
    evaluate: (_context, explain) => (explain ? explained(clause, 'unknown', why) : UNKNOWN),
  };
}

function compileNull(clause: ConditionClause): CompiledCondition {
  const key = clause.key.toLowerCase();
  const wanted = clause.values.map(parseNullValue);
  const acceptsAbsent = wanted.includes(true);
  const acceptsPresent = wanted.includes(false);
  return {
    clause,
    contextKeys: [key],
    evaluate(context, explain) {
      const absent = keyIsNull(context, key);
      const ok = absent ? acceptsAbsent : acceptsPresent;
      if (!explain) return result(ok);
      const state = absent ? 'is not present in the request' : 'is present in the request';
      const invalid = wanted.includes(undefined) ? ' (values other than true/false never match)' : '';
      const verdict = ok ? 'match' : 'no-match';
      return explained(
        clause,
        verdict,
        `${clause.key} ${state}, so Null ${clause.values.join(', ')} is ${ok ? 'satisfied' : 'not satisfied'}${invalid}`,
        context,
      );
    },
  };
}

interface Compiled {
  readonly op: ConditionOperator;
  /** One slot per policy value; undefined where the value cannot be interpreted. */
  readonly values: readonly unknown[];
  readonly anyInvalid: boolean;
  /** StringEquals/StringNotEquals with plain values (no variables): one set lookup decides. */
  readonly exact?: ReadonlySet<string>;
}

/**
 * One request value against the clause. Positive operators OR the policy values; negated ones
 * need every policy value to be definitely different (an AND of negations, as AWS documents for
 * "negated matching condition operators" with several values). A comparison that cannot be made
 * (uninterpretable request or policy value, a policy variable the request cannot fill) never
 * counts in the request's favour: it is not a match for a positive operator, and it blocks a
 * negated one.
 */
function compareOne(c: Compiled, raw: string, context: RequestContext): boolean {
  if (c.exact !== undefined) return c.exact.has(raw) !== c.op.negated;
  const { op, values } = c;
  const parsed = op.parseRequest(raw);
  if (parsed === undefined) return false;
  let failed = c.anyInvalid;
  for (let i = 0; i < values.length; i++) {
    const p = values[i];
    if (p === undefined) continue;
    const r = op.matches(parsed, p, raw, context);
    if (r === true) return !op.negated;
    if (r !== false) failed = true;
  }
  return op.negated && !failed;
}

export function compileCondition(
  clause: ConditionClause,
  options: CompileConditionOptions,
): CompiledCondition {
  const base = clause.baseOperator;
  if (base.toLowerCase() === 'null') {
    if (clause.ifExists) return unknownCondition(clause, `Null cannot take IfExists (${clause.operator})`);
    if (clause.setOperator !== undefined) {
      return unknownCondition(clause, `Null cannot take a set operator (${clause.operator})`);
    }
    return compileNull(clause);
  }
  const op = findOperator(base);
  if (op === undefined) return unknownCondition(clause, `unknown condition operator ${clause.operator}`);
  const variables = options.variablesEnabled && op.variables;
  const { compiled, decide, contextKeys } = sharedPart(clause, op, variables);
  return {
    clause,
    contextKeys,
    evaluate(context, explain) {
      const ok = decide(context);
      if (!explain) return result(ok);
      const reason = explainReason(clause, compiled, context, ok, variables);
      return explained(clause, ok ? 'match' : 'no-match', reason, context, variables);
    },
  };
}

/** The part of a compiled condition that depends only on its text: shared by equal clauses. */
interface SharedCondition {
  readonly compiled: Compiled;
  readonly decide: (context: RequestContext) => boolean;
  readonly contextKeys: readonly string[];
}

/**
 * Clauses repeat across policies (the same MFA, organization or source-IP condition in hundreds of
 * policies): their values are compiled once and the decision function shared, keyed by everything
 * the decision depends on. Bounded; cleared when full.
 */
const sharedConditions = new Map<string, SharedCondition>();
const SHARED_CONDITIONS_LIMIT = 50_000;

function sharedPart(clause: ConditionClause, op: ConditionOperator, variables: boolean): SharedCondition {
  const cacheKey = `${variables ? 1 : 0}|${clause.operator}|${clause.key}|${JSON.stringify(clause.values)}`;
  const hit = sharedConditions.get(cacheKey);
  if (hit) return hit;
  const values = clause.values.map((v) => op.compileValue(v, variables));
  const plainEquality =
    (op.name === 'StringEquals' || op.name === 'StringNotEquals') &&
    !(variables && clause.values.some(hasVariables));
  const compiled: Compiled = {
    op,
    values,
    anyInvalid: values.includes(undefined),
    ...(plainEquality ? { exact: new Set(clause.values) } : {}),
  };
  const { ifExists, setOperator } = clause;
  // Lower-cased once: the context lower-cases lookups, which is free for text already lower-case.
  const key = clause.key.toLowerCase();

  // Missing key: IfExists matches; ForAllValues matches (vacuous truth); ForAnyValue does not;
  // otherwise "the values do not match and the condition is false", except that a negated
  // operator ("the key is not matched, such as StringNotLike or ArnNotLike") is then true.
  const whenMissing = ifExists || setOperator === 'ForAllValues' || (setOperator === undefined && op.negated);

  const decide = (context: RequestContext): boolean => {
    const raw = context.get(key);
    if (raw === undefined) return whenMissing;
    if (setOperator === undefined) {
      // A multivalued key needs a set operator; without one the condition does not match.
      if (typeof raw !== 'string') return false;
      return compareOne(compiled, raw, context);
    }
    if (typeof raw === 'string') {
      // "If the key values in the request resolve to an empty data set (for example, an empty
      // string)", ForAllValues is true and ForAnyValue false (reference_policies_multi-value-conditions).
      if (raw === '') return setOperator === 'ForAllValues';
      return compareOne(compiled, raw, context);
    }
    if (setOperator === 'ForAnyValue') {
      for (let i = 0; i < raw.length; i++) if (compareOne(compiled, raw[i]!, context)) return true;
      return false;
    }
    for (let i = 0; i < raw.length; i++) if (!compareOne(compiled, raw[i]!, context)) return false;
    return true;
  };

  const contextKeys = [key];
  if (variables) {
    for (const v of clause.values) {
      for (const k of variableKeysIn(v)) {
        const lower = k.toLowerCase();
        if (!contextKeys.includes(lower)) contextKeys.push(lower);
      }
    }
  }

  const shared: SharedCondition = { compiled, decide, contextKeys };
  if (sharedConditions.size >= SHARED_CONDITIONS_LIMIT) sharedConditions.clear();
  sharedConditions.set(cacheKey, shared);
  return shared;
}

function quoteList(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : `any of ${values.join(', ')}`;
}

/** One sentence, e.g. `aws:SourceIp 198.51.100.7 is not in 203.0.113.0/24`. */
function explainReason(
  clause: ConditionClause,
  c: Compiled,
  context: RequestContext,
  ok: boolean,
  variables: boolean,
): string {
  const { op } = c;
  const { key, setOperator, ifExists } = clause;
  const raw = context.get(key);
  const policyValues = clause.values.map((v) => displayPolicyValue(v, context, variables));
  const invalid = clause.values.filter((_, i) => c.values[i] === undefined);
  const invalidNote =
    invalid.length === 0
      ? ''
      : op.negated
        ? `; ${invalid.join(', ')} is not ${op.expects}, so ${op.name} cannot be satisfied`
        : `; ${invalid.join(', ')} is not ${op.expects} and never matches`;
  if (raw === undefined) {
    const why = ifExists
      ? 'IfExists matches a missing key'
      : setOperator === 'ForAllValues'
        ? 'ForAllValues matches a missing key'
        : setOperator === 'ForAnyValue'
          ? 'ForAnyValue does not match a missing key'
          : op.negated
            ? `a negated operator (${op.name}) matches a missing key`
            : `${op.name} does not match a missing key`;
    return `${key} is not present in the request, and ${why}`;
  }
  if (typeof raw !== 'string' && setOperator === undefined) {
    return `${key} has several values (${raw.join(', ')}) and ${clause.operator} has no ForAnyValue/ForAllValues set operator, so it does not match`;
  }
  const requestValues =
    typeof raw === 'string' ? (raw === '' && setOperator !== undefined ? [] : [raw]) : raw;
  if (requestValues.length === 0) {
    return `${key} has no values, so ${setOperator} ${setOperator === 'ForAllValues' ? 'matches' : 'does not match'}`;
  }
  const positiveOp = { ...op, negated: false };
  const describe = (value: string): string => {
    if (op.parseRequest(value) === undefined) return `${key} ${value} is not ${op.expects}`;
    const matched = clause.values.find(
      (_, i) =>
        c.values[i] !== undefined &&
        compareOne({ op: positiveOp, values: [c.values[i]], anyInvalid: false }, value, context),
    );
    if (matched !== undefined)
      return `${key} ${value} ${op.phrase.yes} ${displayPolicyValue(matched, context, variables)}`;
    return `${key} ${value} ${op.phrase.no} ${quoteList(policyValues)}`;
  };
  if (setOperator === undefined) return describe(requestValues[0]!) + invalidNote;
  const sentences = requestValues.map(describe).join('; ');
  const verdictWord = ok ? 'matches' : 'does not match';
  return `${setOperator}:${op.name} ${verdictWord}: ${sentences}${invalidNote}`;
}
