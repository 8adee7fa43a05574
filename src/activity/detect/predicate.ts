import { globMatchFrom } from '../../catalog/glob.js';
import { type EventContext, fieldValue, isKnownField } from './fields.js';
import type { FieldTest, Predicate, Scalar } from './types.js';

/**
 * The predicate language of rule files: `all`/`any`/`not` over field tests. A field test is true
 * when every operator it carries holds; a missing field satisfies only `exists: false`,
 * `notEquals` and `notIn`.
 */

const FIELD_OPERATORS = new Set([
  'field',
  'equals',
  'notEquals',
  'in',
  'notIn',
  'equalsIgnoreCase',
  'startsWith',
  'endsWith',
  'contains',
  'glob',
  'exists',
  'equalsField',
  'notEqualsField',
  'gte',
  'lte',
]);

/** Problems with a predicate as written; empty when it is well-formed. */
export function predicateProblems(p: unknown, where = 'match'): string[] {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return [`${where}: expected an object`];
  const keys = Object.keys(p);
  const rec = p as Record<string, unknown>;
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
    const list = rec[keys[0]];
    if (!Array.isArray(list) || list.length === 0) return [`${where}.${keys[0]}: expected a non-empty list`];
    return list.flatMap((q, i) => predicateProblems(q, `${where}.${keys[0]}[${i}]`));
  }
  if (keys.length === 1 && keys[0] === 'not') return predicateProblems(rec.not, `${where}.not`);
  const problems: string[] = [];
  if (typeof rec.field !== 'string') problems.push(`${where}: expected all, any, not or a field test`);
  else if (!isKnownField(rec.field)) problems.push(`${where}: unknown derived field ${rec.field}`);
  for (const k of keys) if (!FIELD_OPERATORS.has(k)) problems.push(`${where}: unknown operator "${k}"`);
  if (keys.length < 2) problems.push(`${where}: field test without an operator`);
  for (const k of ['equalsField', 'notEqualsField'])
    if (typeof rec[k] === 'string' && !isKnownField(rec[k] as string))
      problems.push(`${where}.${k}: unknown derived field ${rec[k] as string}`);
  return problems;
}

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? v : [v as T];
}

function same(a: unknown, b: Scalar): boolean {
  if (a === b) return true;
  // CloudTrail writes some booleans and numbers as strings (`"true"`, `"900"`).
  if (typeof a === 'string' && (typeof b === 'boolean' || typeof b === 'number')) return a === String(b);
  return false;
}

function testField(t: FieldTest, ctx: EventContext): boolean {
  const v = fieldValue(ctx, t.field);
  const present = v !== undefined && v !== null && v !== '';
  if (t.exists !== undefined && t.exists !== present) return false;
  if (t.equals !== undefined && !same(v, t.equals)) return false;
  if (t.notEquals !== undefined && same(v, t.notEquals)) return false;
  if (t.in !== undefined && !t.in.some((x) => same(v, x))) return false;
  if (t.notIn?.some((x) => same(v, x))) return false;
  if (t.equalsField !== undefined && (!present || v !== fieldValue(ctx, t.equalsField))) return false;
  if (t.notEqualsField !== undefined && present && v === fieldValue(ctx, t.notEqualsField)) return false;
  const needsText =
    t.equalsIgnoreCase !== undefined ||
    t.startsWith !== undefined ||
    t.endsWith !== undefined ||
    t.contains !== undefined ||
    t.glob !== undefined;
  if (needsText) {
    if (typeof v !== 'string') return false;
    if (t.equalsIgnoreCase !== undefined) {
      const lower = v.toLowerCase();
      if (!list(t.equalsIgnoreCase).some((x) => x.toLowerCase() === lower)) return false;
    }
    if (t.startsWith !== undefined && !list(t.startsWith).some((x) => v.startsWith(x))) return false;
    if (t.endsWith !== undefined && !list(t.endsWith).some((x) => v.endsWith(x))) return false;
    if (t.contains !== undefined && !list(t.contains).some((x) => v.includes(x))) return false;
    if (t.glob !== undefined && !list(t.glob).some((g) => globMatchFrom(g, 0, v, 0))) return false;
  }
  if (t.gte !== undefined || t.lte !== undefined) {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
    if (Number.isNaN(n)) return false;
    if (t.gte !== undefined && n < t.gte) return false;
    if (t.lte !== undefined && n > t.lte) return false;
  }
  return true;
}

export function evaluatePredicate(p: Predicate, ctx: EventContext): boolean {
  if ('all' in p) return p.all.every((q) => evaluatePredicate(q, ctx));
  if ('any' in p) return p.any.some((q) => evaluatePredicate(q, ctx));
  if ('not' in p) return !evaluatePredicate(p.not, ctx);
  return testField(p, ctx);
}
