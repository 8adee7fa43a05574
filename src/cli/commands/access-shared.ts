import { findPrincipal } from '../../analysis/access/query.js';
import { loadWithCache } from '../../collect/files/snapshot-cache.js';
import { loadSnapshot } from '../../collect/index.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { formatInputError } from '../../model/errors.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';

/** Loads `--snapshot DIR`, printing load errors to stderr; a snapshot with no account is a usage error. */
export async function loadForQuery(
  command: string,
  dir: string | undefined,
  io: CliIO,
): Promise<OrgSnapshot> {
  if (!dir) throw new UsageError('--snapshot DIR is required (a snapshot folder or export files)');
  // Opt-in: the loaded model is kept (about 60 MB for a 15-account organization) and read back
  // while the snapshot's files and leastpriv itself are unchanged.
  const cacheDir = process.env.LEASTPRIV_CACHE_DIR;
  const { snapshot, errors } = cacheDir
    ? await loadWithCache([dir], { dir: cacheDir }, (paths) => loadSnapshot(paths))
    : await loadSnapshot([dir]);
  for (const e of errors) io.stderr(`leastpriv ${command}: ${formatInputError(e)}\n`);
  if (snapshot.accounts.size === 0) throw new UsageError(`no account data found in ${dir}`);
  return snapshot;
}

export function resolvePrincipal(snapshot: OrgSnapshot, text: string): Identity {
  const found = findPrincipal(snapshot, text);
  if (found.ok) return found.identity;
  throw notOnePrincipal(text, found.candidates);
}

/** The usage error for a PRINCIPAL that names no user or role, or several (`candidates`). */
export function notOnePrincipal(text: string, candidates: readonly string[]): UsageError {
  if (candidates.length === 0)
    return new UsageError(
      `no user or role "${text}" in the snapshot (give its ARN, name, or user/NAME, role/NAME)`,
    );
  return new UsageError(
    `"${text}" names ${candidates.length} principals; give one of:\n  ${candidates.join('\n  ')}`,
  );
}

/** `--context k=v` (repeatable; `k=v1,v2` is a multi-valued key). */
export function parseContext(pairs: readonly string[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context expects KEY=VALUE, not "${pair}"`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    out[key] = value.includes(',') ? value.split(',') : value;
  }
  return { ...out };
}

export function checkFormat(format: string | undefined, allowed: readonly string[]): string {
  const f = format ?? allowed[0] ?? 'text';
  if (!allowed.includes(f)) throw new UsageError(`--format must be ${allowed.join(' or ')}, not "${f}"`);
  return f;
}

/** How a query command reaches the index (`--no-index`, `--index-dir`). */
export interface IndexOptions {
  readonly snapshot?: string;
  readonly index?: boolean;
  readonly indexDir?: string;
}

/**
 * The snapshot and the principal PRINCIPAL names in it, for `can` and `access`: from the query
 * index when there is one (principalFromIndex), else from the loaded snapshot. `from` says which.
 */
export async function principalAndSnapshot(
  command: string,
  principalText: string,
  alsoRole: string | undefined,
  options: IndexOptions,
  io: CliIO,
): Promise<{ snapshot: OrgSnapshot; identity: Identity; from: 'index' | 'snapshot' }> {
  const indexed = await principalFromIndex(principalText, alsoRole, options, io);
  if (indexed) return { ...indexed, from: 'index' };
  const snapshot = await loadForQuery(command, options.snapshot, io);
  return { snapshot, identity: resolvePrincipal(snapshot, principalText), from: 'snapshot' };
}

/**
 * The principal and a snapshot holding just it (whole, with its last-accessed data, its groups'
 * and managed policies, every account's guardrails and resources) and `alsoRole` when it is a role
 * there: everything `can` and `access` read. From the query index when `leastpriv index` prepared
 * the snapshot as it is now; undefined otherwise (or with `--no-index`): the caller loads it.
 */
export async function principalFromIndex(
  principalText: string,
  alsoRole: string | undefined,
  options: IndexOptions,
  io: CliIO,
): Promise<{ snapshot: OrgSnapshot; identity: Identity } | undefined> {
  if (options.index === false || !options.snapshot) return undefined;
  const store = await import('../../query-index/store.js');
  const lookup = await store.findQueryIndex([options.snapshot], options.indexDir ?? store.defaultIndexDir());
  if (!lookup.found) {
    io.stderr(store.indexNotUsedNote(lookup) ?? '');
    return undefined;
  }
  const found = lookup.index.findPrincipal(principalText);
  if (!found.ok) throw notOnePrincipal(principalText, found.candidates);
  try {
    const chosen = [found.index];
    const role = alsoRole === undefined ? undefined : lookup.index.principalIndex(alsoRole);
    if (role !== undefined) chosen.push(role);
    const snapshot = lookup.index.partialSnapshot(chosen);
    const arn = lookup.index.header.principals.arn[found.index] as string;
    return { snapshot, identity: resolvePrincipal(snapshot, arn) };
  } catch (error) {
    // Damaged in place (it opened, but an entry does not decode): the snapshot still answers.
    io.stderr(store.indexUnreadableNote(lookup.file, error));
    return undefined;
  }
}
