import { NO_POSITION, type SourcePosition } from '../../model/issue.js';
import type {
  ConditionClause,
  Effect,
  Policy,
  PrincipalSet,
  Statement,
  StatementElement,
} from '../../model/policy.js';
import { parseConditionOperator } from './condition-operator.js';
import { jsonStringLength } from './from-object.js';
import { STATEMENT_ELEMENTS } from './normalise.js';
import type { TypeRules } from './type-rules.js';

/**
 * A fast path for a policy given as an already-parsed object (a document inside a 200 MB
 * authorization-details export): reads the object directly into the `Policy`, without building the
 * intermediate JSON tree that `jsonValueFromObject` + `normalisePolicy` go through.
 *
 * It only accepts documents the full path would read without a single issue, and gives up
 * (returns undefined) at the first thing that would raise one — an unknown element, a missing
 * Version, a bad Sid, an odd value — so the caller then parses the same object the full way and
 * reports exactly what it always did. When it succeeds, the `Policy` is the one the full path
 * builds: same members in the same order, `NO_POSITION` everywhere, the same compact-JSON size.
 * Every value is visited and type-checked, so whatever is accepted would also convert (plain
 * objects and arrays of strings, finite numbers and booleans, at most 6 levels deep).
 */

/** Thrown to give up; one instance, as giving up is the rare case. */
const GIVE_UP: unique symbol = Symbol('give up');

const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
/** A principal list longer than this takes the full path, which spreads it into `push`. */
const MAX_FAST_PRINCIPALS = 4096;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ValueElement = 'Action' | 'NotAction' | 'Resource' | 'NotResource';

interface State {
  size: number;
}

export interface PlainPolicy {
  readonly policy: Policy;
  /** The length of the document as compact JSON, as `jsonValueFromObject` counts it. */
  readonly size: number;
}

/**
 * The policy, or undefined when the full path must read it. `maxChars` is the converter's limit on
 * the compact size (beyond it the full path reports the document as too large).
 */
export function plainPolicy(input: object, rules: TypeRules, maxChars: number): PlainPolicy | undefined {
  const state: State = { size: 0 };
  let policy: Policy;
  try {
    policy = readPolicy(input, rules, state);
  } catch {
    // Giving up, or a getter or proxy that throws: the full path reports what it finds.
    return undefined;
  }
  // Every accepted value adds at least one character, so the node limit cannot be hit first.
  if (state.size > maxChars) return undefined;
  return { policy, size: state.size };
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An array that `slice` copies into a plain array (not a subclass, whose species would be kept). */
function isPlainArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

function objectKeys(value: unknown, state: State): string[] {
  if (!isPlainObject(value)) throw GIVE_UP;
  const keys = Object.keys(value);
  state.size += keys.length === 0 ? 2 : keys.length + 1;
  return keys;
}

function readPolicy(input: object, rules: TypeRules, state: State): Policy {
  const root = input as Readonly<Record<string, unknown>>;
  let version: string | undefined;
  let id: string | undefined;
  let statementValue: unknown;
  let hasStatement = false;
  let hasVersion = false;
  for (const key of objectKeys(root, state)) {
    // Any other name gives up below, so the name is one of three that need no escaping.
    state.size += key.length + 3;
    const value = root[key];
    if (key === 'Version') {
      if (typeof value !== 'string') throw GIVE_UP;
      const accepted = rules.requires2012Version ? value === '2012-10-17' : VERSIONS.includes(value);
      if (!accepted) throw GIVE_UP;
      state.size += value.length + 2;
      version = value;
      hasVersion = true;
    } else if (key === 'Id') {
      if (typeof value !== 'string') throw GIVE_UP;
      state.size += jsonStringLength(value);
      id = value;
    } else if (key === 'Statement') {
      statementValue = value;
      hasStatement = true;
    } else throw GIVE_UP;
  }
  // A missing Version is a warning at least; a missing Statement an error.
  if (!hasVersion || !hasStatement) throw GIVE_UP;

  let statements: Statement[];
  if (Array.isArray(statementValue)) {
    if (!isPlainArray(statementValue)) throw GIVE_UP;
    const length = statementValue.length;
    if (length === 0) throw GIVE_UP;
    // Replaced in place in a copy, as condition values are.
    statements = statementValue.slice() as Statement[];
    state.size += length + 1;
    for (let index = 0; index < length; index++)
      statements[index] = readStatement(statements[index], index, rules, state);
    if (hasDuplicateSid(statements)) throw GIVE_UP;
  } else statements = [readStatement(statementValue, 0, rules, state)];

  // Member by member, in the order normalisePolicy gives them.
  const policy = {} as Mutable<Policy>;
  if (version !== undefined) policy.version = version;
  if (id !== undefined) policy.id = id;
  policy.statements = statements;
  policy.variablesEnabled = version === '2012-10-17';
  // Every value has been read by now, so the count is complete.
  policy.size = state.size;
  policy.pos = NO_POSITION;
  return policy;
}

/** Whether two statements share a non-empty Sid. Pairwise for a few statements (most policies), else a Set. */
function hasDuplicateSid(statements: readonly Statement[]): boolean {
  const n = statements.length;
  if (n > 16) {
    const seen = new Set<string>();
    for (const { sid } of statements) {
      if (sid === undefined || sid === '') continue;
      if (seen.has(sid)) return true;
      seen.add(sid);
    }
    return false;
  }
  for (let i = 1; i < n; i++) {
    const sid = (statements[i] as Statement).sid;
    if (sid === undefined || sid === '') continue;
    for (let j = 0; j < i; j++) if ((statements[j] as Statement).sid === sid) return true;
  }
  return false;
}

function readStatement(value: unknown, index: number, rules: TypeRules, state: State): Statement {
  const object = value as Readonly<Record<string, unknown>>;
  // Which elements, in which order: one digit (1-9) per element, in the order written.
  let shape = 0;
  let sid: string | undefined;
  let effect: Effect | undefined;
  let action: string[] | undefined;
  let notAction: string[] | undefined;
  let resource: string[] | undefined;
  let notResource: string[] | undefined;
  let principal: PrincipalSet | undefined;
  let notPrincipal: PrincipalSet | undefined;
  let conditions: ConditionClause[] = [];
  for (const key of objectKeys(object, state)) {
    const v = object[key];
    switch (key) {
      case 'Sid':
        if (typeof v !== 'string' || !isAlphanumeric(v)) throw GIVE_UP;
        state.size += jsonStringLength(v);
        sid = v;
        break;
      case 'Effect':
        if (v !== 'Allow' && v !== 'Deny') throw GIVE_UP;
        state.size += v.length + 2;
        effect = v;
        break;
      case 'Action':
        action = stringList(v, state);
        break;
      case 'NotAction':
        notAction = stringList(v, state);
        break;
      case 'Resource':
        resource = stringList(v, state);
        break;
      case 'NotResource':
        notResource = stringList(v, state);
        break;
      case 'Principal':
        principal = readPrincipal(v, state);
        break;
      case 'NotPrincipal':
        notPrincipal = readPrincipal(v, state);
        break;
      case 'Condition':
        conditions = readConditions(v, state);
        break;
      default:
        throw GIVE_UP;
    }
    // A known element name: nothing in it to escape, so quotes and colon are all it adds.
    state.size += key.length + 3;
    shape = shape * 10 + ELEMENT_DIGIT[key as StatementElement];
  }
  if (effect === undefined) throw GIVE_UP;
  if (action !== undefined && notAction !== undefined) throw GIVE_UP;
  if (action === undefined && notAction === undefined) throw GIVE_UP;
  requireOneOf(resource !== undefined, notResource !== undefined, rules.resource);
  requireOneOf(principal !== undefined, notPrincipal !== undefined, rules.principal);

  const elementPos = elementPositions(shape);
  const valuePos = valuePositions(action, notAction, resource, notResource);
  // The members and their order of normalise.ts readStatement.
  const statement = { index } as Mutable<Statement>;
  if (sid !== undefined) statement.sid = sid;
  statement.effect = effect;
  if (action) statement.action = action;
  if (notAction) statement.notAction = notAction;
  if (resource) statement.resource = resource;
  if (notResource) statement.notResource = notResource;
  if (principal) statement.principal = principal;
  if (notPrincipal) statement.notPrincipal = notPrincipal;
  statement.conditions = conditions;
  statement.pos = NO_POSITION;
  statement.elementPos = elementPos;
  statement.valuePos = valuePos;
  return statement;
}

function requireOneOf(present: boolean, notPresent: boolean, requirement: TypeRules['resource']): void {
  if (present && notPresent) throw GIVE_UP;
  const found = present || notPresent;
  if (requirement === 'required' && !found) throw GIVE_UP;
  if (requirement === 'forbidden' && found) throw GIVE_UP;
}

const ELEMENTS_BY_DIGIT: readonly StatementElement[] = STATEMENT_ELEMENTS;
const ELEMENT_DIGIT = Object.fromEntries(ELEMENTS_BY_DIGIT.map((e, i) => [e, i + 1])) as Readonly<
  Record<StatementElement, number>
>;
/** Distinct element orders seen; bounded, as the documents are untrusted. */
const MAX_SHAPES = 1024;
type ElementPos = Statement['elementPos'];
type ValuePos = Statement['valuePos'];
const ELEMENT_POS = new Map<number, ElementPos>();
const VALUE_POS = new Map<number, ValuePos>();

/**
 * `elementPos` for a statement whose elements were written in the order `shape` encodes: each
 * element NO_POSITION, members in the order written (as normalise.ts builds it). Shared and frozen,
 * as nothing writes to it: statements written the same way (most of an export) use one object.
 */
function elementPositions(shape: number): ElementPos {
  let pos = ELEMENT_POS.get(shape);
  if (pos !== undefined) return pos;
  const digits: number[] = [];
  for (let rest = shape; rest > 0; rest = Math.floor(rest / 10)) digits.unshift(rest % 10);
  const built: Partial<Record<StatementElement, SourcePosition>> = {};
  for (const digit of digits) built[ELEMENTS_BY_DIGIT[digit - 1] as StatementElement] = NO_POSITION;
  pos = Object.freeze(built);
  if (ELEMENT_POS.size < MAX_SHAPES) ELEMENT_POS.set(shape, pos);
  return pos;
}

/** `valuePos` as normalise.ts builds it (Action, NotAction, Resource, NotResource), shared as elementPos is. */
function valuePositions(
  action: readonly string[] | undefined,
  notAction: readonly string[] | undefined,
  resource: readonly string[] | undefined,
  notResource: readonly string[] | undefined,
): ValuePos {
  const actions = action ?? notAction;
  const resources = resource ?? notResource;
  const actionLength = actions?.length ?? 0;
  const resourceLength = resources?.length ?? 0;
  // Action and NotAction never come together here (the statement would have been given up).
  const key =
    ((action ? 1 : notAction ? 2 : 0) * 64 + actionLength) * 192 +
    (resource ? 1 : notResource ? 2 : 0) * 64 +
    resourceLength;
  const cacheable = actionLength < 64 && resourceLength < 64;
  let pos = cacheable ? VALUE_POS.get(key) : undefined;
  if (pos !== undefined) return pos;
  const built: Partial<Record<ValueElement, readonly SourcePosition[]>> = {};
  if (action) built.Action = noPositions(action.length);
  if (notAction) built.NotAction = noPositions(notAction.length);
  if (resource) built.Resource = noPositions(resource.length);
  if (notResource) built.NotResource = noPositions(notResource.length);
  pos = Object.freeze(built);
  if (cacheable && VALUE_POS.size < MAX_SHAPES) VALUE_POS.set(key, pos);
  return pos;
}

/**
 * `length` times NO_POSITION. Shared and frozen: an export has hundreds of thousands of these and
 * nothing writes to a statement's positions, so one list per length serves every statement.
 */
const NO_POSITIONS: (readonly SourcePosition[])[] = [];
function noPositions(length: number): readonly SourcePosition[] {
  let list = NO_POSITIONS[length];
  if (list === undefined) {
    list = Object.freeze(Array.from({ length }, () => NO_POSITION));
    if (length < 64) NO_POSITIONS[length] = list;
  }
  return list;
}

function stringList(value: unknown, state: State): string[] {
  if (typeof value === 'string') {
    state.size += jsonStringLength(value);
    return [value];
  }
  if (!isPlainArray(value) || value.length === 0) throw GIVE_UP;
  const length = value.length;
  state.size += length + 1;
  for (let i = 0; i < length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') throw GIVE_UP;
    state.size += jsonStringLength(item);
  }
  // A copy of exactly its length (a list grown by push keeps room for 17), never the caller's own.
  return value.slice() as string[];
}

function readPrincipal(value: unknown, state: State): PrincipalSet {
  if (value === '*') {
    state.size += 3;
    return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [], pos: NO_POSITION };
  }
  const object = value as Readonly<Record<string, unknown>>;
  const keys = objectKeys(object, state);
  if (keys.length === 0) throw GIVE_UP;
  let aws: string[] = [];
  let service: string[] = [];
  let federated: string[] = [];
  let canonicalUser: string[] = [];
  for (const key of keys) {
    // Any name but the four gives up below: those need no escaping.
    state.size += key.length + 3;
    const list = stringList(object[key], state);
    if (list.length > MAX_FAST_PRINCIPALS) throw GIVE_UP;
    if (key === 'AWS') aws = list;
    else if (key === 'Service') service = list;
    else if (key === 'Federated') federated = list;
    else if (key === 'CanonicalUser') canonicalUser = list;
    else throw GIVE_UP;
  }
  return { wildcard: false, aws, service, federated, canonicalUser, pos: NO_POSITION };
}

function readConditions(value: unknown, state: State): ConditionClause[] {
  const block = value as Readonly<Record<string, unknown>>;
  const clauses: ConditionClause[] = [];
  for (const operator of objectKeys(block, state)) {
    state.size += jsonStringLength(operator) + 1;
    const parsed = parseConditionOperator(operator);
    if (!parsed.ok) throw GIVE_UP;
    const keys = block[operator] as Readonly<Record<string, unknown>>;
    for (const key of objectKeys(keys, state)) {
      if (key === '') throw GIVE_UP;
      state.size += jsonStringLength(key) + 1;
      const clause = {
        operator,
        baseOperator: parsed.baseOperator,
        ifExists: parsed.ifExists,
        key,
        values: conditionValues(keys[key], state),
        pos: NO_POSITION,
        keyPos: NO_POSITION,
      } as Mutable<ConditionClause>;
      // Last, as the full path's spread puts it.
      if (parsed.setOperator !== undefined) clause.setOperator = parsed.setOperator;
      clauses.push(clause);
    }
  }
  return clauses;
}

function conditionValues(value: unknown, state: State): string[] {
  if (!Array.isArray(value)) return [scalarText(value, state)];
  if (!isPlainArray(value)) throw GIVE_UP;
  const length = value.length;
  if (length === 0) throw GIVE_UP;
  state.size += length + 1;
  // Replaced in place in a copy: exactly as long as the list and packed, unlike a grown or `new Array`.
  const values = value.slice() as unknown[];
  for (let i = 0; i < length; i++) values[i] = scalarText(values[i], state);
  return values as string[];
}

/** Condition values as text, as normalise.ts `scalarText` writes them. */
function scalarText(value: unknown, state: State): string {
  switch (typeof value) {
    case 'string':
      state.size += jsonStringLength(value);
      return value;
    case 'number': {
      if (!Number.isFinite(value)) throw GIVE_UP;
      const raw = JSON.stringify(value);
      state.size += raw.length;
      return raw;
    }
    case 'boolean':
      state.size += value ? 4 : 5;
      return value ? 'true' : 'false';
    default:
      throw GIVE_UP;
  }
}

function isAlphanumeric(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!ok) return false;
  }
  return true;
}
