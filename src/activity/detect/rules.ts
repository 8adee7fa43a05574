import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../model/errors.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import { isKnownField } from './fields.js';
import { predicateProblems } from './predicate.js';
import type { Aggregate, CloudTrailRecord, DetectionRule, Predicate, RuleTest } from './types.js';

/**
 * Rule files: one YAML (or JSON) document per rule in `detections/` at the repository root, named
 * `<id>.yaml`. The folder sits beside `src/` and `dist/` so both find it at the same relative
 * place (`../../../detections` from this module).
 */
export const DEFAULT_RULES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../detections',
);

const MAX_RULE_FILE_BYTES = 1_048_576;
const MAX_REPEAT = 5_000;

function fail(file: string, message: string, place?: string): never {
  throw new InputError(message, {
    file,
    ...(place ? { place } : {}),
    hint: 'see docs/detections.md for the rule format',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown, file: string, place: string): readonly string[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) fail(file, 'expected a string or a list of strings', place);
  return list as string[];
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i] as string;
    const next = Object.hasOwn(node, k) ? node[k] : undefined;
    if (!isRecord(next)) {
      const fresh: Record<string, unknown> = {};
      Object.defineProperty(node, k, { value: fresh, enumerable: true, writable: true, configurable: true });
      node = fresh;
    } else node = next;
  }
  Object.defineProperty(node, parts[parts.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A deep copy through JSON: test events are plain data. */
function clone(v: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

const BASE_TIME = Date.parse('2024-06-01T12:00:00Z');

function expandTest(raw: unknown, ruleId: string, index: number, file: string): RuleTest {
  const place = `tests[${index}]`;
  if (!isRecord(raw)) fail(file, 'expected a test case object', place);
  if (typeof raw.name !== 'string') fail(file, 'a test needs a name', place);
  if (typeof raw.expect !== 'boolean') fail(file, 'a test needs expect: true or false', place);
  const templates = raw.event !== undefined ? [raw.event] : raw.events;
  if (!Array.isArray(templates) || templates.length === 0 || !templates.every(isRecord))
    fail(file, 'a test needs event: {...} or events: [...]', place);
  const events: Record<string, unknown>[] = [];
  const repeat = raw.repeat;
  if (repeat !== undefined) {
    if (
      !isRecord(repeat) ||
      typeof repeat.count !== 'number' ||
      repeat.count < 1 ||
      repeat.count > MAX_REPEAT
    )
      fail(file, `repeat needs count between 1 and ${MAX_REPEAT}`, `${place}.repeat`);
    const interval = typeof repeat.intervalSeconds === 'number' ? repeat.intervalSeconds : 1;
    const cycle = isRecord(repeat.cycle) ? repeat.cycle : {};
    const template = templates[0] as Record<string, unknown>;
    const start = typeof template.eventTime === 'string' ? Date.parse(template.eventTime) : BASE_TIME;
    for (let i = 0; i < repeat.count; i++) {
      const e = clone(template);
      e.eventTime = new Date(start + i * interval * 1000).toISOString().replace('.000Z', 'Z');
      e.eventID = `${ruleId}-${index}-${i}`;
      for (const [field, values] of Object.entries(cycle)) {
        if (!Array.isArray(values) || values.length === 0)
          fail(file, 'cycle values must be lists', `${place}.repeat`);
        setPath(e, field, values[i % values.length]);
      }
      events.push(e);
    }
    for (const extra of templates.slice(1)) events.push(clone(extra));
  } else for (const t of templates) events.push(clone(t));
  events.forEach((e, i) => {
    if (typeof e.eventID !== 'string') e.eventID = `${ruleId}-${index}-${i}`;
    if (typeof e.eventTime !== 'string') e.eventTime = new Date(BASE_TIME + i * 1000).toISOString();
  });
  return { name: raw.name, expect: raw.expect, events: events as CloudTrailRecord[] };
}

function parseAggregate(v: unknown, file: string): Aggregate | undefined {
  if (v === undefined) return undefined;
  if (!isRecord(v)) fail(file, 'aggregate must be an object', 'aggregate');
  const num = (k: string): number => {
    const n = v[k];
    if (typeof n !== 'number' || !(n > 0))
      fail(file, `aggregate.${k} must be a positive number`, 'aggregate');
    return n;
  };
  const field = (k: string): string => {
    const f = v[k];
    if (typeof f !== 'string' || !isKnownField(f))
      fail(file, `aggregate.${k} must name a field`, 'aggregate');
    return f;
  };
  switch (v.kind) {
    case 'threshold':
      return {
        kind: 'threshold',
        groupBy: field('groupBy'),
        windowMinutes: num('windowMinutes'),
        count: num('count'),
        ...(v.distinct !== undefined ? { distinct: field('distinct') } : {}),
      };
    case 'new-value':
      return {
        kind: 'new-value',
        groupBy: field('groupBy'),
        value: field('value'),
        learningDays: num('learningDays'),
        minHistory: num('minHistory'),
      };
    case 'dormant':
      return { kind: 'dormant', groupBy: field('groupBy'), gapDays: num('gapDays') };
    default:
      return fail(file, 'aggregate.kind must be threshold, new-value or dormant', 'aggregate');
  }
}

/** Parses and validates one rule document; `file` names it in errors and fixes its id. */
export function parseRule(text: string, file: string): DetectionRule {
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    fail(file, `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  if (!isRecord(doc)) fail(file, 'a rule file holds one object');
  const expectedId = path.basename(file).replace(/\.(ya?ml|json)$/, '');
  if (doc.id !== expectedId) fail(file, `id must equal the file name (${expectedId})`, 'id');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(expectedId)) fail(file, 'id must be kebab-case', 'id');
  for (const k of ['title', 'description'] as const)
    if (typeof doc[k] !== 'string' || doc[k] === '') fail(file, `${k} is required`, k);
  if (!SEVERITIES.includes(doc.severity as Severity))
    fail(file, `severity must be one of ${SEVERITIES.join(', ')}`, 'severity');
  const problems = predicateProblems(doc.match);
  if (problems.length > 0) fail(file, problems.join('; '), 'match');
  const mitre = strings(doc.mitre, file, 'mitre');
  if (mitre.length === 0 || !mitre.every((m) => /^T\d{4}(\.\d{3})?$/.test(m)))
    fail(file, 'mitre must list ATT&CK technique ids (T1098 or T1098.001)', 'mitre');
  const principal = doc.principal === undefined ? '$principal' : doc.principal;
  if (typeof principal !== 'string' || !isKnownField(principal))
    fail(file, 'principal must name a field', 'principal');
  if (!Array.isArray(doc.tests)) fail(file, 'tests: a list of labelled events is required', 'tests');
  const tests = doc.tests.map((t, i) => expandTest(t, expectedId, i, file));
  if (!tests.some((t) => t.expect) || !tests.some((t) => !t.expect))
    fail(file, 'tests need at least one true and one false case', 'tests');
  const eventNames = doc.eventNames === undefined ? undefined : strings(doc.eventNames, file, 'eventNames');
  const aggregate = parseAggregate(doc.aggregate, file);
  return {
    id: expectedId,
    title: doc.title as string,
    severity: doc.severity as Severity,
    description: (doc.description as string).trim(),
    mitre,
    match: doc.match as Predicate,
    ...(aggregate ? { aggregate } : {}),
    principal,
    ...(eventNames ? { eventNames } : {}),
    ...(doc.panther !== undefined ? { panther: strings(doc.panther, file, 'panther') } : {}),
    ...(doc.stratus !== undefined ? { stratus: strings(doc.stratus, file, 'stratus') } : {}),
    references: strings(doc.references, file, 'references'),
    tests,
    source: file,
  };
}

export interface LoadedRules {
  readonly rules: readonly DetectionRule[];
  readonly errors: readonly InputError[];
}

/** Every rule file in the folders, sorted by id; a bad file is reported and the others still load. */
export function loadRules(dirs: readonly string[] = [DEFAULT_RULES_DIR]): LoadedRules {
  const rules = new Map<string, DetectionRule>();
  const errors: InputError[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n));
    } catch (e) {
      errors.push(new InputError(`cannot read the rules folder: ${(e as Error).message}`, { file: dir }));
      continue;
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      try {
        const text = readFileSync(file, 'utf8');
        if (text.length > MAX_RULE_FILE_BYTES) fail(file, 'rule file larger than 1 MiB');
        const rule = parseRule(text, file);
        if (rules.has(rule.id)) fail(file, `duplicate rule id ${rule.id}`, 'id');
        rules.set(rule.id, rule);
      } catch (e) {
        if (e instanceof InputError) errors.push(e);
        else errors.push(new InputError((e as Error).message, { file }));
      }
    }
  }
  return { rules: [...rules.values()].sort((a, b) => a.id.localeCompare(b.id)), errors };
}
