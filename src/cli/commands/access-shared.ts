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
