/**
 * Where query indexes live and how one is found for a snapshot. An index file is named by its key:
 * a hash over the snapshot's files (path, size, modification time) and leastpriv's own code, so a
 * changed snapshot or a rebuilt leastpriv simply finds no index and loads the snapshot as before.
 * Indexes live in a cache folder, never in the snapshot folder (which may be read-only or shared):
 * `LEASTPRIV_INDEX_DIR`, else `$XDG_CACHE_HOME/leastpriv/index`, else `~/.cache/leastpriv/index`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheKey, prune, writeAtomically } from '../collect/files/snapshot-cache.js';
import { INDEX_FORMAT } from './format.js';
import { IndexFormatError, QueryIndex } from './read.js';

const EXTENSION = '.lpqi';
/** Indexes kept per folder, newest first (a 15-account organization's index is about 90 MB). */
const KEEP = 4;

export function defaultIndexDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEASTPRIV_INDEX_DIR) return resolve(env.LEASTPRIV_INDEX_DIR);
  const cache = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(cache, 'leastpriv', 'index');
}

/** The code an index's content depends on beyond the loader's (which cacheKey covers already). */
const CODE_DIRS = ['analysis', 'policy', 'catalog', 'query-index'].map((d) =>
  resolve(dirname(fileURLToPath(import.meta.url)), '..', d),
);

/** The key of the snapshot at `paths` as it is now; undefined when its files cannot be listed. */
export function indexKey(paths: readonly string[]): Promise<string | undefined> {
  return cacheKey(paths, { format: INDEX_FORMAT, codeDirs: CODE_DIRS });
}

export function indexFile(dir: string, key: string): string {
  return join(dir, `${key}${EXTENSION}`);
}

/** Writes the index atomically and keeps the newest few; throws with the reason when it cannot. */
export async function writeQueryIndex(dir: string, key: string, bytes: Uint8Array): Promise<string> {
  const file = indexFile(dir, key);
  // The index holds what the snapshot holds (policies, tags, credential-report rows): owner only.
  const failed = await writeAtomically(dir, file, bytes, { private: true });
  if (failed) throw failed;
  await prune(dir, KEEP, file, EXTENSION);
  return file;
}

export type IndexLookup =
  | { readonly found: true; readonly index: QueryIndex; readonly file: string }
  /** `problem` says why an index that exists could not be used; absent when there is none. */
  | { readonly found: false; readonly file?: string; readonly problem?: string };

/** The index of the snapshot at `paths` as it is now, if one was built and is whole. */
export async function findQueryIndex(paths: readonly string[], dir: string): Promise<IndexLookup> {
  const key = await indexKey(paths);
  if (key === undefined) return { found: false };
  const file = indexFile(dir, key);
  let bytes: Buffer;
  try {
    // One synchronous read: several times faster than the promise API's 512 KB rounds for a file
    // this size, and nothing else runs meanwhile anyway.
    bytes = readFileSync(file);
  } catch {
    return { found: false, file };
  }
  try {
    const index = QueryIndex.fromBytes(bytes);
    if (index.header.key !== key) return { found: false, file, problem: 'it was built for other files' };
    return { found: true, index, file };
  } catch (error) {
    if (error instanceof IndexFormatError) return { found: false, file, problem: error.message };
    throw error;
  }
}

/** What a query command says on stderr when an index exists but is not used (none: nothing). */
export function indexNotUsedNote(lookup: IndexLookup): string | undefined {
  return !lookup.found && lookup.problem
    ? `note: the query index ${lookup.file} is not used (${lookup.problem}); loading the snapshot\n`
    : undefined;
}

/** What a query command says when an index opened but an entry did not decode (damaged in place). */
export function indexUnreadableNote(file: string, error: unknown): string {
  return `note: the query index ${file} could not be read (${error instanceof Error ? error.message : String(error)}); loading the snapshot\n`;
}
