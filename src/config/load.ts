import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { globMatch, hasWildcard } from '../catalog/glob.js';
import { type AuditConfig, DEFAULT_CONFIG } from '../model/config.js';
import { InputError } from '../model/errors.js';
import { findConfigFile } from './find.js';
import { configSchema } from './schema.js';

export { CONFIG_FILE_NAMES } from './find.js';

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export interface ConfigProblem {
  readonly line?: number;
  readonly column?: number;
  /** `suppressions[2].reason` */
  readonly path: string;
  readonly message: string;
}

/** A configuration that cannot be used: every problem, each with its line. */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const first = problems[0];
    super(first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid configuration', {
      file,
      ...(first?.line !== undefined ? { line: first.line } : {}),
      ...(first?.column !== undefined ? { column: first.column } : {}),
      hint:
        problems.length > 1
          ? `and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'}; see docs/config-schema.json`
          : 'See docs/config-schema.json for every setting',
    });
    this.name = 'ConfigError';
  }
}

/** One line per problem: `file:line:column: path: message`. */
export function formatConfigError(e: ConfigError): string {
  return e.problems
    .map((p) => {
      const where =
        p.line !== undefined ? `${e.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : e.file;
      return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
    })
    .join('\n');
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/** The YAML node at a path, or the deepest ancestor that exists (a missing key points at its parent). */
function nodeAt(root: Node | null | undefined, path: readonly PropertyKey[]): Node | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (!isMap(node) && !isSeq(node)) break;
    const next: unknown = node.get(key, true);
    if (next === undefined || next === null) break;
    node = next;
  }
  return node as Node | undefined;
}

/** The key node of `key` in a map node (for "unknown key" problems). */
function keyNode(map: Node | undefined, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.items)
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) return pair.key as Node;
  return undefined;
}

function present(value: unknown, path: readonly PropertyKey[]): boolean {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key as string)) return false;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v !== undefined;
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type')
    return present(value, issue.path) ? `expected ${issue.expected}` : `required: expected ${issue.expected}`;
  return issue.message.replace(/^Invalid string: must match pattern .*$/, 'invalid value');
}

export interface ParseConfigOptions {
  /** Known check ids: checks, skipChecks and suppression check ids are validated against them. */
  readonly knownChecks?: readonly string[];
}

/**
 * Parses and validates configuration text. Throws ConfigError with the line of every problem (YAML
 * syntax, unknown keys, wrong types, a reason under 10 characters, a bad date, an unknown check).
 */
export function parseConfig(text: string, file: string, options: ParseConfigOptions = {}): AuditConfig {
  if (text.length > MAX_CONFIG_BYTES)
    throw new ConfigError(file, [{ path: '', message: 'configuration file is larger than 4 MB' }]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | undefined) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        ...(() => {
          const pos = lineCounter.linePos(e.pos[0]);
          return { line: pos.line, column: pos.col };
        })(),
        path: '',
        message: `YAML: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  const value: unknown = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(file, [
      {
        ...at(doc.contents ?? undefined),
        path: '',
        message: 'expected a mapping of settings (checks, thresholds, suppressions, …)',
      },
    ]);

  const parsed = configSchema.safeParse(value);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const parent = nodeAt(doc.contents, issue.path);
        for (const key of issue.keys)
          problems.push({
            ...at(keyNode(parent, key) ?? parent),
            path: pathText([...issue.path, key]),
            message: `unknown setting "${key}"`,
          });
        continue;
      }
      problems.push({
        ...at(nodeAt(doc.contents, issue.path)),
        path: pathText(issue.path),
        message: issueMessage(issue, value),
      });
    }
  } else if (options.knownChecks) {
    const known = options.knownChecks;
    const names = (p: string) => (hasWildcard(p) ? known.some((id) => globMatch(p, id)) : known.includes(p));
    const checkList = (key: 'checks' | 'skipChecks') =>
      parsed.data[key].forEach((p, i) => {
        if (!names(p))
          problems.push({
            ...at(nodeAt(doc.contents, [key, i])),
            path: `${key}[${i}]`,
            message: `no check matches "${p}" (see \`leastpriv checks list\`)`,
          });
      });
    checkList('checks');
    checkList('skipChecks');
    parsed.data.suppressions.forEach((s, i) => {
      if (s.checkId !== '*' && !known.includes(s.checkId))
        problems.push({
          ...at(nodeAt(doc.contents, ['suppressions', i, 'checkId'])),
          path: `suppressions[${i}].checkId`,
          message: `unknown check "${s.checkId}" (see \`leastpriv checks list\`)`,
        });
    });
  }
  if (problems.length > 0 || !parsed.success) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(file, problems);
  }
  const d = parsed.data;
  return {
    checks: d.checks,
    skipChecks: d.skipChecks,
    thresholds: d.thresholds,
    ownerTagKey: d.ownerTagKey,
    trustedAccounts: d.trustedAccounts,
    trustedOrganizations: d.trustedOrganizations,
    suppressions: d.suppressions.map((s) => ({
      checkId: s.checkId,
      reason: s.reason,
      ...(s.resource !== undefined ? { resource: s.resource } : {}),
      ...(s.owner !== undefined ? { owner: s.owner } : {}),
      ...(s.expires !== undefined ? { expires: s.expires } : {}),
    })),
  };
}

export interface LoadedConfig {
  readonly config: AuditConfig;
  /** The file read, or undefined when none was given or found (defaults apply). */
  readonly file?: string;
}

/**
 * The configuration for a run: `explicit` (the --config flag) must exist; otherwise `.leastpriv.yaml`
 * in `cwd` is used when present, and the defaults when not.
 */
export async function loadConfig(
  explicit: string | undefined,
  cwd: string,
  options: ParseConfigOptions & { readonly read?: (path: string) => Promise<string> } = {},
): Promise<LoadedConfig> {
  const read = options.read ?? ((p: string) => readFile(p, 'utf8'));
  const file = explicit ?? (await findConfigFile(cwd));
  if (file === undefined) return { config: DEFAULT_CONFIG };
  let text: string;
  try {
    text = await read(file);
  } catch (e) {
    throw new InputError(
      `cannot read the configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        file,
        hint: 'Check the --config path',
      },
    );
  }
  return { config: parseConfig(text, file, options), file };
}
