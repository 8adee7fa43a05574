import type { PolicyIssue, SourcePosition } from '../../model/issue.js';
import type {
  ConditionClause,
  Effect,
  Policy,
  PrincipalSet,
  Statement,
  StatementElement,
} from '../../model/policy.js';
import { parseConditionOperator } from './condition-operator.js';
import { makeIssue, type ParseIssueCode, quote } from './issues.js';
import { describeKind, findEntry, type JsonEntry, type JsonObject, type JsonValue } from './json-value.js';
import { formatPath, type PathSegment } from './path.js';
import type { TypeRules } from './type-rules.js';

/**
 * Turns the JSON tree of a policy into the normalised `Policy`: single-or-array elements become
 * arrays, every element is checked for type and presence, and issues are recorded with paths and
 * positions.
 *
 * A statement with any ERROR inside it (a duplicate key, an unknown element, a bad Effect, a
 * condition that cannot be read...) is left out of `policy.statements`. AWS refuses to store such a
 * policy, so no reading of it is "right"; leaving the whole statement out (rather than, say, the
 * one bad condition) means a misread statement can never grant more than it says. Callers must
 * check `ok` before trusting the statements of a policy to be complete.
 */

const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL_ELEMENTS: readonly string[] = ['Version', 'Id', 'Statement'];
/** The statement elements IAM knows, in the grammar's order. */
export const STATEMENT_ELEMENTS: readonly StatementElement[] = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const STATEMENT_ELEMENT_SET: ReadonlySet<string> = new Set(STATEMENT_ELEMENTS);
const PRINCIPAL_KINDS = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface NormaliseInput {
  readonly root: JsonValue;
  readonly rules: TypeRules;
  readonly hasDuplicates: boolean;
  readonly size: number;
}

export function normalisePolicy(input: NormaliseInput, issues: PolicyIssue[]): Policy | undefined {
  const { root, rules } = input;
  if (root.kind !== 'object') {
    issues.push(
      makeIssue(
        'not-an-object',
        'ERROR',
        '',
        root.pos,
        `A policy must be a JSON object, not ${describeKind(root)}`,
      ),
    );
    return undefined;
  }
  const tainted = input.hasDuplicates ? reportDuplicates(root, issues) : new Set<JsonObject>();

  for (const entry of root.entries) {
    if (!TOP_LEVEL_ELEMENTS.includes(entry.key)) unknownElement(entry, [], TOP_LEVEL_ELEMENTS, issues);
  }

  const version = readVersion(root, rules, issues);
  const id = readId(root, issues);
  const statements = readStatements(root, rules, tainted, issues);

  // Member by member, in the order the spreads this replaced gave (version?, id?, statements, ...).
  const policy = {} as { -readonly [K in keyof Policy]: Policy[K] };
  if (version !== undefined) policy.version = version;
  if (id !== undefined) policy.id = id;
  policy.statements = statements;
  policy.variablesEnabled = version === '2012-10-17' && !root.duplicateKeys.includes('Version');
  policy.size = input.size;
  policy.pos = root.pos;
  return policy;
}

function readVersion(root: JsonObject, rules: TypeRules, issues: PolicyIssue[]): string | undefined {
  const entry = findEntry(root, 'Version');
  if (entry === undefined) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    issues.push(
      makeIssue(
        'missing-version',
        rules.requires2012Version ? 'ERROR' : 'WARNING',
        'Version',
        root.pos,
        rules.requires2012Version
          ? 'This kind of policy must have a Version element'
          : 'No Version element: AWS then uses the 2008-10-17 language, where policy variables are literal text',
        'Add "Version": "2012-10-17"',
      ),
    );
    return undefined;
  }
  if (entry.value.kind !== 'string') {
    issues.push(
      makeIssue(
        'invalid-version',
        'ERROR',
        'Version',
        entry.value.pos,
        `Version must be a string, not ${describeKind(entry.value)}`,
        'Use "Version": "2012-10-17"',
      ),
    );
    return undefined;
  }
  const version = entry.value.value;
  const accepted = rules.requires2012Version ? version === '2012-10-17' : VERSIONS.includes(version);
  if (!accepted) {
    issues.push(
      makeIssue(
        'invalid-version',
        'ERROR',
        'Version',
        entry.value.pos,
        rules.requires2012Version
          ? `Version must be 2012-10-17 for this kind of policy, not ${quote(version)}`
          : `Version must be 2012-10-17 or 2008-10-17, not ${quote(version)}`,
        'Use "Version": "2012-10-17"',
      ),
    );
  }
  return version;
}

function readId(root: JsonObject, issues: PolicyIssue[]): string | undefined {
  const entry = findEntry(root, 'Id');
  if (entry === undefined) return undefined;
  if (entry.value.kind !== 'string') {
    issues.push(typeIssue(entry.value, ['Id'], 'Id', 'a string'));
    return undefined;
  }
  return entry.value.value;
}

function readStatements(
  root: JsonObject,
  rules: TypeRules,
  tainted: ReadonlySet<JsonObject>,
  issues: PolicyIssue[],
): Statement[] {
  const entry = findEntry(root, 'Statement');
  if (entry === undefined) {
    issues.push(
      makeIssue(
        'missing-statement',
        'ERROR',
        'Statement',
        root.pos,
        'A policy must have a Statement element',
      ),
    );
    return [];
  }
  let items: readonly JsonValue[];
  if (entry.value.kind === 'object') {
    items = [entry.value];
  } else if (entry.value.kind === 'array') {
    items = entry.value.items;
    if (items.length === 0) {
      issues.push(emptyArrayIssue(entry.value.pos, ['Statement'], 'Statement'));
    }
  } else {
    issues.push(typeIssue(entry.value, ['Statement'], 'Statement', 'an object or an array of objects'));
    return [];
  }

  const statements: Statement[] = [];
  const sids = new Map<string, number>();
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as JsonValue;
    const path: PathSegment[] = ['Statement', index];
    if (item.kind !== 'object') {
      issues.push(typeIssue(item, path, 'Statement', 'an object'));
      continue;
    }
    const before = issues.length;
    const statement = readStatement(item, index, path, rules, issues);
    if (statement?.sid !== undefined && statement.sid !== '') {
      const first = sids.get(statement.sid);
      if (first === undefined) sids.set(statement.sid, index);
      else {
        issues.push(
          makeIssue(
            'duplicate-sid',
            rules.strictSid ? 'ERROR' : 'WARNING',
            formatPath([...path, 'Sid']),
            statement.elementPos.Sid ?? item.pos,
            `Sid ${quote(statement.sid)} is also used by Statement[${first}]; in IAM a Sid must be unique within a policy`,
            'Give each statement its own Sid',
          ),
        );
      }
    }
    // When the top-level object itself has a duplicate key, even which Statement is meant is unclear.
    const readable =
      statement !== undefined &&
      !tainted.has(item) &&
      !root.duplicateKeys.includes('Statement') &&
      !hasError(issues, before);
    if (readable) statements.push(statement);
  }
  return statements;
}

function hasError(issues: readonly PolicyIssue[], from: number): boolean {
  for (let i = from; i < issues.length; i++) {
    if (issues[i]?.severity === 'ERROR') return true;
  }
  return false;
}

interface StringList {
  readonly values: readonly string[];
  readonly positions: readonly SourcePosition[];
}

function readStatement(
  object: JsonObject,
  index: number,
  path: PathSegment[],
  rules: TypeRules,
  issues: PolicyIssue[],
): Statement | undefined {
  const elementPos: Partial<Record<StatementElement, SourcePosition>> = {};
  const entries: Partial<Record<StatementElement, JsonEntry>> = {};
  for (const entry of object.entries) {
    const element = STATEMENT_ELEMENT_SET.has(entry.key) ? (entry.key as StatementElement) : undefined;
    if (element === undefined) {
      unknownElement(entry, path, STATEMENT_ELEMENTS, issues);
      continue;
    }
    if (entries[element] === undefined) {
      entries[element] = entry;
      elementPos[element] = entry.keyPos;
    }
  }

  let sid: string | undefined;
  if (entries.Sid !== undefined) {
    const value = entries.Sid.value;
    if (value.kind !== 'string') issues.push(typeIssue(value, [...path, 'Sid'], 'Sid', 'a string'));
    else {
      sid = value.value;
      if (!isAlphanumeric(sid)) {
        issues.push(
          makeIssue(
            'invalid-sid',
            rules.strictSid ? 'ERROR' : 'WARNING',
            formatPath([...path, 'Sid']),
            value.pos,
            `Sid ${quote(sid)} has characters other than A-Z, a-z and 0-9, which IAM and AWS Organizations do not accept`,
            'Use only letters and digits in the Sid',
          ),
        );
      }
    }
  }

  const effect = readEffect(entries.Effect, object, path, issues);

  const action = entries.Action && readStringList(entries.Action, path, issues);
  const notAction = entries.NotAction && readStringList(entries.NotAction, path, issues);
  requireOneOf(entries, 'Action', 'NotAction', 'required', object, path, issues);

  const resource = entries.Resource && readStringList(entries.Resource, path, issues);
  const notResource = entries.NotResource && readStringList(entries.NotResource, path, issues);
  requireOneOf(entries, 'Resource', 'NotResource', rules.resource, object, path, issues);

  const principal = entries.Principal && readPrincipal(entries.Principal, path, issues);
  const notPrincipal = entries.NotPrincipal && readPrincipal(entries.NotPrincipal, path, issues);
  requireOneOf(entries, 'Principal', 'NotPrincipal', rules.principal, object, path, issues);

  const conditions = entries.Condition ? readConditions(entries.Condition, path, issues) : [];

  if (effect === undefined) return undefined;
  const valuePos: Partial<
    Record<'Action' | 'NotAction' | 'Resource' | 'NotResource', readonly SourcePosition[]>
  > = {};
  if (action) valuePos.Action = action.positions;
  if (notAction) valuePos.NotAction = notAction.positions;
  if (resource) valuePos.Resource = resource.positions;
  if (notResource) valuePos.NotResource = notResource.positions;
  // Built member by member in the documented order (the same keys, in the same order, as the
  // object spread this replaced): the spreads made a throwaway object per optional member, and a
  // large export has hundreds of thousands of statements.
  const statement: { -readonly [K in keyof Statement]: Statement[K] } = { index } as Statement;
  if (sid !== undefined) statement.sid = sid;
  statement.effect = effect;
  if (action) statement.action = action.values;
  if (notAction) statement.notAction = notAction.values;
  if (resource) statement.resource = resource.values;
  if (notResource) statement.notResource = notResource.values;
  if (principal) statement.principal = principal;
  if (notPrincipal) statement.notPrincipal = notPrincipal;
  statement.conditions = conditions;
  statement.pos = object.pos;
  statement.elementPos = elementPos;
  statement.valuePos = valuePos;
  return statement;
}

function readEffect(
  entry: JsonEntry | undefined,
  statement: JsonObject,
  path: PathSegment[],
  issues: PolicyIssue[],
): Effect | undefined {
  // "Valid values for Effect are Allow and Deny. The Effect value is case sensitive."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
  if (entry === undefined) {
    issues.push(
      makeIssue(
        'missing-effect',
        'ERROR',
        formatPath([...path, 'Effect']),
        statement.pos,
        'A statement must have an Effect element',
        'Add "Effect": "Allow" or "Effect": "Deny"',
      ),
    );
    return undefined;
  }
  const value = entry.value;
  if (value.kind === 'string' && (value.value === 'Allow' || value.value === 'Deny')) return value.value;
  issues.push(
    makeIssue(
      'invalid-effect',
      'ERROR',
      formatPath([...path, 'Effect']),
      value.pos,
      value.kind === 'string'
        ? `Effect must be exactly "Allow" or "Deny" (case-sensitive), not ${quote(value.value)}`
        : `Effect must be the string "Allow" or "Deny", not ${describeKind(value)}`,
      'Use "Effect": "Allow" or "Effect": "Deny"',
    ),
  );
  return undefined;
}

type PairElement = 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Principal' | 'NotPrincipal';

function requireOneOf(
  entries: Partial<Record<StatementElement, JsonEntry>>,
  element: PairElement,
  notElement: PairElement,
  requirement: 'required' | 'optional' | 'forbidden',
  statement: JsonObject,
  path: PathSegment[],
  issues: PolicyIssue[],
): void {
  const present = entries[element];
  const notPresent = entries[notElement];
  if (present !== undefined && notPresent !== undefined) {
    issues.push(
      makeIssue(
        'conflicting-elements',
        'ERROR',
        formatPath([...path, notElement]),
        notPresent.keyPos,
        `A statement cannot have both ${element} and ${notElement}`,
        `Keep either ${element} or ${notElement}`,
      ),
    );
  }
  const found = present ?? notPresent;
  const family = element === 'Action' ? 'action' : element === 'Resource' ? 'resource' : 'principal';
  if (requirement === 'required' && found === undefined) {
    issues.push(
      makeIssue(
        `missing-${family}` as ParseIssueCode,
        'ERROR',
        formatPath([...path, element]),
        statement.pos,
        `This statement needs a ${element} or ${notElement} element`,
      ),
    );
  }
  if (requirement === 'forbidden' && found !== undefined) {
    issues.push(
      makeIssue(
        `${family}-not-allowed` as ParseIssueCode,
        'ERROR',
        formatPath([...path, found.key]),
        found.keyPos,
        `${found.key} is not allowed in this kind of policy`,
        `Remove ${found.key}`,
      ),
    );
  }
}

function readStringList(
  entry: JsonEntry,
  path: PathSegment[],
  issues: PolicyIssue[],
): StringList | undefined {
  return stringListFrom(entry.value, [...path, entry.key], entry.key, issues);
}

function stringListFrom(
  value: JsonValue,
  path: PathSegment[],
  element: string,
  issues: PolicyIssue[],
): StringList | undefined {
  if (value.kind === 'string') return { values: [value.value], positions: [value.pos] };
  if (value.kind !== 'array') {
    issues.push(typeIssue(value, path, element, 'a string or an array of strings'));
    return undefined;
  }
  if (value.items.length === 0) {
    issues.push(emptyArrayIssue(value.pos, path, element));
    return undefined;
  }
  const values: string[] = [];
  const positions: SourcePosition[] = [];
  let ok = true;
  for (let i = 0; i < value.items.length; i++) {
    const item = value.items[i] as JsonValue;
    if (item.kind !== 'string') {
      issues.push(typeIssue(item, [...path, i], element, 'a string'));
      ok = false;
      continue;
    }
    values.push(item.value);
    positions.push(item.pos);
  }
  return ok ? { values, positions } : undefined;
}

function readPrincipal(
  entry: JsonEntry,
  path: PathSegment[],
  issues: PolicyIssue[],
): PrincipalSet | undefined {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  const value = entry.value;
  const elementPath = [...path, entry.key];
  if (value.kind === 'string') {
    if (value.value === '*') {
      return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [], pos: value.pos };
    }
    issues.push(
      makeIssue(
        'invalid-principal',
        'ERROR',
        formatPath(elementPath),
        value.pos,
        `${entry.key} must be "*" or an object such as {"AWS": "..."}, not the string ${quote(value.value)}`,
        'Write {"AWS": "..."} (or Service, Federated or CanonicalUser) around the principal',
      ),
    );
    return undefined;
  }
  if (value.kind !== 'object') {
    issues.push(typeIssue(value, elementPath, entry.key, '"*" or an object'));
    return undefined;
  }
  if (value.entries.length === 0) {
    issues.push(
      makeIssue(
        'invalid-principal',
        'ERROR',
        formatPath(elementPath),
        value.pos,
        `${entry.key} is an empty object and names no principal`,
      ),
    );
    return undefined;
  }
  const lists: Record<PrincipalKind, string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  let ok = true;
  for (const principalEntry of value.entries) {
    const kind = PRINCIPAL_KINDS.find((name) => name === principalEntry.key);
    if (kind === undefined) {
      issues.push(
        makeIssue(
          'invalid-principal',
          'ERROR',
          formatPath([...elementPath, principalEntry.key]),
          principalEntry.keyPos,
          `${quote(principalEntry.key)} is not a principal type (AWS, Service, Federated or CanonicalUser; case-sensitive)`,
        ),
      );
      ok = false;
      continue;
    }
    const list = stringListFrom(principalEntry.value, [...elementPath, kind], `${entry.key}.${kind}`, issues);
    if (list === undefined) ok = false;
    else lists[kind].push(...list.values);
  }
  if (!ok) return undefined;
  return {
    wildcard: false,
    aws: lists.AWS,
    service: lists.Service,
    federated: lists.Federated,
    canonicalUser: lists.CanonicalUser,
    pos: value.pos,
  };
}

function readConditions(entry: JsonEntry, path: PathSegment[], issues: PolicyIssue[]): ConditionClause[] {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
  const block = entry.value;
  const conditionPath = [...path, 'Condition'];
  if (block.kind !== 'object') {
    issues.push(
      makeIssue(
        'invalid-condition',
        'ERROR',
        formatPath(conditionPath),
        block.pos,
        `Condition must be an object of {operator: {key: value}}, not ${describeKind(block)}`,
      ),
    );
    return [];
  }
  const clauses: ConditionClause[] = [];
  for (const operatorEntry of block.entries) {
    const operator = operatorEntry.key;
    const operatorPath = [...conditionPath, operator];
    const parsed = parseConditionOperator(operator);
    if (!parsed.ok) {
      issues.push(
        makeIssue(
          'invalid-condition-operator',
          'ERROR',
          formatPath(operatorPath),
          operatorEntry.keyPos,
          `Invalid condition operator ${quote(operator)}: ${parsed.reason}`,
        ),
      );
    }
    const keys = operatorEntry.value;
    if (keys.kind !== 'object') {
      issues.push(
        makeIssue(
          'invalid-condition',
          'ERROR',
          formatPath(operatorPath),
          keys.pos,
          `The value of condition operator ${quote(operator)} must be an object of {key: value}, not ${describeKind(keys)}`,
        ),
      );
      continue;
    }
    for (const keyEntry of keys.entries) {
      const keyPath = [...operatorPath, keyEntry.key];
      if (keyEntry.key === '') {
        issues.push(
          makeIssue(
            'invalid-condition',
            'ERROR',
            formatPath(keyPath),
            keyEntry.keyPos,
            'A condition key is empty',
          ),
        );
        continue;
      }
      const values = readConditionValues(keyEntry.value, keyPath, issues);
      if (values === undefined || !parsed.ok) continue;
      const clause: ConditionClause = {
        operator,
        baseOperator: parsed.baseOperator,
        ifExists: parsed.ifExists,
        key: keyEntry.key,
        values,
        pos: operatorEntry.keyPos,
        keyPos: keyEntry.keyPos,
      };
      clauses.push(
        parsed.setOperator === undefined ? clause : { ...clause, setOperator: parsed.setOperator },
      );
    }
  }
  return clauses;
}

function readConditionValues(
  value: JsonValue,
  path: PathSegment[],
  issues: PolicyIssue[],
): string[] | undefined {
  const single = scalarText(value);
  if (single !== undefined) return [single];
  if (value.kind !== 'array') {
    issues.push(conditionValueIssue(value, path));
    return undefined;
  }
  if (value.items.length === 0) {
    issues.push(emptyArrayIssue(value.pos, path, 'condition value'));
    return undefined;
  }
  const values: string[] = [];
  let ok = true;
  for (let i = 0; i < value.items.length; i++) {
    const item = value.items[i] as JsonValue;
    const text = scalarText(item);
    if (text === undefined) {
      issues.push(conditionValueIssue(item, [...path, i]));
      ok = false;
    } else values.push(text);
  }
  return ok ? values : undefined;
}

/** Condition values are compared as text: `true` and `5` become "true" and "5", as written. */
function scalarText(value: JsonValue): string | undefined {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return value.raw;
    case 'boolean':
      return value.value ? 'true' : 'false';
    default:
      return undefined;
  }
}

function conditionValueIssue(value: JsonValue, path: PathSegment[]): PolicyIssue {
  return makeIssue(
    'invalid-condition-value',
    'ERROR',
    formatPath(path),
    value.pos,
    `A condition value must be a string, number or boolean, not ${describeKind(value)}`,
  );
}

function typeIssue(value: JsonValue, path: PathSegment[], element: string, expected: string): PolicyIssue {
  return makeIssue(
    'invalid-type',
    'ERROR',
    formatPath(path),
    value.pos,
    `${element} must be ${expected}, not ${describeKind(value)}`,
  );
}

function emptyArrayIssue(pos: SourcePosition, path: PathSegment[], element: string): PolicyIssue {
  return makeIssue(
    'empty-array',
    'ERROR',
    formatPath(path),
    pos,
    `${element} is an empty array; AWS does not accept an element with no values`,
    'Add a value or remove the element',
  );
}

function unknownElement(
  entry: JsonEntry,
  path: PathSegment[],
  known: readonly string[],
  issues: PolicyIssue[],
): void {
  // Element names are written exactly as in the grammar; IAM rejects anything else.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
  const lower = entry.key.toLowerCase();
  const near = known.find((name) => name.toLowerCase() === lower);
  issues.push(
    makeIssue(
      'unknown-element',
      'ERROR',
      formatPath([...path, entry.key]),
      entry.keyPos,
      near === undefined
        ? `${quote(entry.key)} is not a policy element here (expected one of ${known.join(', ')})`
        : `${quote(entry.key)} is not a policy element: element names are case-sensitive`,
      near === undefined ? 'Remove it or fix its name' : `Write '${near}'`,
    ),
  );
}

function isAlphanumeric(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!ok) return false;
  }
  return true;
}

/**
 * Reports every duplicate key in the document and returns the statement objects that contain one
 * (anywhere inside them), so those statements can be left out.
 */
function reportDuplicates(root: JsonObject, issues: PolicyIssue[]): Set<JsonObject> {
  const tainted = new Set<JsonObject>();
  const segments: PathSegment[] = [];

  const visit = (value: JsonValue, statement: JsonObject | undefined): void => {
    if (value.kind === 'array') {
      for (let i = 0; i < value.items.length; i++) {
        segments.push(i);
        visit(value.items[i] as JsonValue, statement);
        segments.pop();
      }
      return;
    }
    if (value.kind !== 'object') return;
    for (const key of value.duplicateKeys) {
      let seen = 0;
      let later: JsonEntry | undefined;
      for (const entry of value.entries) {
        if (entry.key === key && ++seen === 2) {
          later = entry;
          break;
        }
      }
      segments.push(key);
      issues.push(
        makeIssue(
          'duplicate-key',
          'ERROR',
          formatPath(segments),
          later?.keyPos ?? value.pos,
          `Key ${quote(key)} appears more than once in the same object; which value AWS would use is undefined, so ${
            statement === undefined ? 'the policy' : 'the statement'
          } is treated as invalid`,
          'Remove all but one of the duplicate keys (merge their values if needed)',
        ),
      );
      segments.pop();
      if (statement !== undefined) tainted.add(statement);
    }
    for (const entry of value.entries) {
      segments.push(entry.key);
      if (value === root && entry.key === 'Statement') visitStatements(entry.value);
      else visit(entry.value, statement);
      segments.pop();
    }
  };

  const visitStatements = (value: JsonValue): void => {
    if (value.kind === 'object') {
      segments.push(0);
      visit(value, value);
      segments.pop();
    } else if (value.kind === 'array') {
      for (let i = 0; i < value.items.length; i++) {
        const item = value.items[i] as JsonValue;
        segments.push(i);
        visit(item, item.kind === 'object' ? item : undefined);
        segments.pop();
      }
    }
  };

  visit(root, undefined);
  return tainted;
}
