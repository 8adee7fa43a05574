import type { AuditResult } from '../checks/audit.js';
import type { CheckMetadata, Finding, Severity } from '../model/finding.js';
import {
  EMPTY_CONTEXT,
  type ReportContext,
  type ReportCredentials,
  type ReportPrincipal,
} from './context.js';

export interface ReportOptions {
  /** The tool version written into machine formats. */
  readonly toolVersion?: string;
  /** Show access key IDs in full; by default they are masked (`AKIA…WXYZ`) in every format. */
  readonly showKeyIds?: boolean;
  /** Accounts, identities, third-party register: the HTML report's pages; other formats use names. */
  readonly context?: ReportContext;
  /** Snapshot file paths in evidence are written relative to this directory (SARIF needs relative URIs). */
  readonly baseDir?: string;
  /** ASFF: the region the findings are imported into, and the product ARN (default: the account's `default` product). */
  readonly region?: string;
  readonly productArn?: string;
  readonly title?: string;
}

/** A report takes the audit result (the one findings model) and options, and returns the file's text. */
export type Formatter = (result: AuditResult, options?: ReportOptions) => string;

// Access key IDs: AKIA (long-term), ASIA (temporary), ABIA/ACCA (other key types), then 16 characters.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes
const KEY_ID = /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g;

/** `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`. */
export function maskKeyIds(text: string): string {
  return text.replace(KEY_ID, (_m, head: string, tail: string) => `${head}…${tail}`);
}

/** Every string inside plain data, masked; Dates, Maps and other objects of ours keep their shape. */
export function maskDeep<T>(value: T): T {
  return mask(value) as T;
}

function mask(value: unknown): unknown {
  if (typeof value === 'string') return maskKeyIds(value);
  if (Array.isArray(value)) return value.map(mask);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Keys are ours (or fact names); defineProperty keeps a `__proto__` fact a plain property.
    Object.defineProperty(out, k, { value: mask(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// KEY_ID without its global state; a cheap literal test first, as few strings hold a key id.
const KEY_ID_TEST = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/;
const KEY_PREFIX = /A(?:KIA|SIA|BIA|CCA)/;

/**
 * Long strings repeat across findings (a check's remediation, a policy's source path): their
 * verdict is kept, so each is scanned once per run. Bounded; cleared when full.
 */
const longVerdicts = new Map<string, boolean>();
const LONG = 64;
const LONG_VERDICTS_LIMIT = 100_000;

function stringNeedsMask(s: string): boolean {
  if (s.length < LONG) return s.length >= 20 && KEY_PREFIX.test(s) && KEY_ID_TEST.test(s);
  let verdict = longVerdicts.get(s);
  if (verdict === undefined) {
    verdict = KEY_PREFIX.test(s) && KEY_ID_TEST.test(s);
    if (longVerdicts.size >= LONG_VERDICTS_LIMIT) longVerdicts.clear();
    longVerdicts.set(s, verdict);
  }
  return verdict;
}

/**
 * Verdicts for frozen objects and arrays (a check's compliance list, shared by all its findings):
 * they cannot change, so one walk answers for every finding that holds them.
 */
const frozenVerdicts = new WeakMap<object, boolean>();

/** Whether `maskDeep` would change any string inside `value` (a walk, no copies). */
function needsMask(value: unknown): boolean {
  if (typeof value === 'string') return stringNeedsMask(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  if (Object.isFrozen(value)) {
    let verdict = frozenVerdicts.get(value);
    if (verdict === undefined) {
      verdict = walkNeedsMask(value);
      frozenVerdicts.set(value, verdict);
    }
    return verdict;
  }
  return walkNeedsMask(value);
}

function walkNeedsMask(value: object): boolean {
  if (Array.isArray(value)) {
    for (const v of value) if (needsMask(v)) return true;
    return false;
  }
  for (const k in value) {
    if (Object.hasOwn(value, k) && needsMask((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * `maskDeep` where it changes something, the value itself where it does not: the same masked text
 * in every format without copying the whole audit (most findings hold no key id). Only for plain
 * data (what findings and the report context are), where a copy and the original read the same.
 */
export function maskWhereNeeded<T>(value: T): T {
  return needsMask(value) ? maskDeep(value) : value;
}

/** Each element masked where needed; the same array when none changes. */
export function maskEach<T>(list: readonly T[]): readonly T[] {
  let out: T[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as T;
    const m = maskWhereNeeded(v);
    if (m !== v && out === undefined) out = list.slice(0, i);
    out?.push(m);
  }
  return out ?? list;
}

/** An access key ID of any shape, masked: the first four and last four characters. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

function maskPrincipal(p: ReportPrincipal): ReportPrincipal {
  // Listed key ids are masked whatever their shape (maskKeyId), not only those the pattern finds.
  const keyed = p.credentials?.accessKeys.some((k) => k.id !== undefined) === true;
  if (!keyed) return maskWhereNeeded(p);
  // The credentials copied and keyed; the rest (effective access: hundreds of services) only where needed.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    const value = k === 'credentials' ? maskCredentials(v as ReportCredentials) : maskWhereNeeded(v);
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out as unknown as ReportPrincipal;
}

function maskCredentials(credentials: ReportCredentials): ReportCredentials {
  const masked = maskDeep(credentials);
  return {
    ...masked,
    accessKeys: masked.accessKeys.map((k) =>
      k.id !== undefined && !k.id.includes('…') ? { ...k, id: maskKeyId(k.id) } : k,
    ),
  };
}

function maskContext(context: ReportContext): ReportContext {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(context)) {
    const value =
      k === 'principals' ? (context.principals.map(maskPrincipal) as unknown) : maskWhereNeeded(v);
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out as unknown as ReportContext;
}

export interface Prepared {
  readonly result: AuditResult;
  readonly context: ReportContext;
  readonly checks: ReadonlyMap<string, CheckMetadata>;
  readonly accountNames: ReadonlyMap<string, string>;
  readonly toolVersion: string;
}

/** Masks key ids (unless asked not to) and indexes what every format looks up. */
export function prepare(result: AuditResult, options: ReportOptions = {}): Prepared {
  const show = options.showKeyIds === true;
  const r = show ? result : { ...result, findings: maskEach(result.findings) };
  const context = show ? (options.context ?? EMPTY_CONTEXT) : maskContext(options.context ?? EMPTY_CONTEXT);
  const accountNames = new Map<string, string>();
  for (const a of context.accounts) {
    const label = a.alias ?? a.name;
    if (label !== undefined) accountNames.set(a.id, label);
  }
  return {
    result: r,
    context,
    checks: new Map(result.checks.map((c) => [c.id, c])),
    accountNames,
    toolVersion: options.toolVersion ?? '0.0.0',
  };
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) if (!f.suppressed) out[f.severity]++;
  return out;
}

export function iso(d: Date): string {
  return d.toISOString();
}

/** `file#JSON.path` → its file part, relative to `baseDir` when inside it, with forward slashes. */
export function sourceFile(source: string, baseDir?: string): { file: string; path?: string } {
  const hash = source.indexOf('#');
  const raw = hash < 0 ? source : source.slice(0, hash);
  const path = hash < 0 ? undefined : source.slice(hash + 1);
  let file = raw.replace(/\\/g, '/');
  if (baseDir) {
    const base = `${baseDir.replace(/\\/g, '/').replace(/\/+$/, '')}/`;
    if (file.startsWith(base)) file = file.slice(base.length);
  }
  return path !== undefined ? { file, path } : { file };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
