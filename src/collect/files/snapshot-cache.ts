/**
 * A persistent cache of loaded snapshots, for commands that ask one question of a large snapshot
 * again and again (`who-can`, `can`, `access`, `paths`). A snapshot folder does not change once
 * collected, and reading back the loaded model (V8's structured serialization: object sharing,
 * Maps and Sets kept) costs a fraction of reading and parsing 78 MB of exports again.
 *
 * The entry is found by a key over everything the loaded model depends on: every input file's
 * path, size and modification time, the loader's and parser's own files (a rebuilt leastpriv never
 * reads an older model), and the Node version. A load with errors is not cached (its errors are
 * class instances, and the user should see them from the files each time). Anything unexpected in
 * an entry (unreadable, another format) means a normal load. Entries are written atomically (write,
 * then rename) and at most `maxEntries` are kept, newest first.
 */
import { createHash } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { LoadSummary, OrgSnapshot } from '../../model/account.js';
import type { InputError } from '../../model/errors.js';
import { type AccountIamExtras, iamExtrasEntries, setIamExtras } from './iam-extras.js';

/** Bumped when the entry's layout changes. */
const FORMAT = 'leastpriv-snapshot-cache/1';
/** Input folders with more files than this are loaded without the cache (the key would be slow). */
const MAX_KEY_FILES = 200_000;

export interface SnapshotCacheOptions {
  /** The folder entries are kept in (created when missing). */
  readonly dir: string;
  /** Default 4. */
  readonly maxEntries?: number;
}

export interface LoadedSnapshot {
  readonly snapshot: OrgSnapshot;
  readonly summary: LoadSummary;
  readonly errors: readonly InputError[];
}

export type CacheOutcome = 'hit' | 'stored' | 'not-stored';

interface Entry {
  readonly format: string;
  readonly key: string;
  readonly snapshot: OrgSnapshot;
  readonly extras: readonly [string, AccountIamExtras][];
}

/** `load(paths)`, or the model it produced before for the same files and the same leastpriv. */
export async function loadWithCache(
  paths: readonly string[],
  options: SnapshotCacheOptions,
  load: (paths: readonly string[]) => Promise<LoadedSnapshot>,
): Promise<LoadedSnapshot & { readonly cache: CacheOutcome }> {
  const started = performance.now();
  const key = await cacheKey(paths);
  if (key === undefined) return { ...(await load(paths)), cache: 'not-stored' };
  const file = join(options.dir, `${key}.v8`);
  const hit = await readEntry(file, key);
  if (hit) {
    // The loaded model as it was, with this run's time: `load.millis` says how long loading took.
    const snapshot: OrgSnapshot = {
      ...hit.snapshot,
      load: { ...hit.snapshot.load, millis: Math.round(performance.now() - started) },
    };
    for (const [account, extras] of hit.extras) setIamExtras(snapshot, account, extras);
    return { snapshot, summary: snapshot.load, errors: snapshot.load.errors, cache: 'hit' };
  }
  const result = await load(paths);
  if (result.errors.length > 0) return { ...result, cache: 'not-stored' };
  const stored = await writeEntry(options, file, {
    format: FORMAT,
    key,
    snapshot: result.snapshot,
    extras: iamExtrasEntries(result.snapshot),
  });
  return { ...result, cache: stored ? 'stored' : 'not-stored' };
}

async function readEntry(file: string, key: string): Promise<Entry | undefined> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    const value = deserialize(buffer) as Partial<Entry> | null;
    if (
      value === null ||
      typeof value !== 'object' ||
      value.format !== FORMAT ||
      value.key !== key ||
      !(value.snapshot?.accounts instanceof Map) ||
      value.snapshot.schemaVersion !== 1 ||
      !Array.isArray(value.extras)
    )
      return undefined;
    return value as Entry;
  } catch {
    return undefined;
  }
}

async function writeEntry(options: SnapshotCacheOptions, file: string, entry: Entry): Promise<boolean> {
  let buffer: Buffer;
  try {
    buffer = serialize(entry);
  } catch {
    // Something in the model V8 cannot copy (a function, a class instance): load it each time.
    return false;
  }
  if (await writeAtomically(options.dir, file, buffer)) return false;
  await prune(options.dir, options.maxEntries ?? 4, file);
  return true;
}

/**
 * Writes the file under a temporary name and renames it, so a reader never sees half a file.
 * Returns why it could not be written (nothing is left behind then), or undefined.
 */
export async function writeAtomically(
  dir: string,
  file: string,
  bytes: Uint8Array,
  /** Owner-only (folder 0700, file 0600) for copies of a snapshot's contents in a shared place. */
  options: { readonly private?: boolean } = {},
): Promise<Error | undefined> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true, ...(options.private ? { mode: 0o700 } : {}) });
    await writeFile(temporary, bytes, options.private ? { mode: 0o600 } : {});
    await rename(temporary, file);
    return undefined;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Keeps the newest entries (files ending in `extension`); a 15-account snapshot's entry is about 60 MB. */
export async function prune(dir: string, keep: number, current: string, extension = '.v8'): Promise<void> {
  try {
    const entries = (await readdir(dir)).filter((n) => n.endsWith(extension)).map((n) => join(dir, n));
    if (entries.length <= keep) return;
    const dated = await Promise.all(
      entries.map(async (f) => ({
        f,
        t: f === current ? Number.POSITIVE_INFINITY : (await stat(f)).mtimeMs,
      })),
    );
    dated.sort((a, b) => b.t - a.t);
    for (const { f } of dated.slice(keep)) await rm(f, { force: true });
  } catch {
    // Pruning is best effort: a folder another process is pruning too is fine.
  }
}

/** The folders whose files make the loaded model: the loaders, the policy parser and the model types. */
const CODE_DIRS = ['collect', 'policy/parse', 'model'].map((d) =>
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', d),
);

/** What else a key covers: another format's name, and more folders of leastpriv's own code. */
export interface CacheKeyOptions {
  readonly format?: string;
  /** Absolute folders whose files' paths, sizes and modification times join the key. */
  readonly codeDirs?: readonly string[];
}

/**
 * sha256 over the input files' and the code files' paths, sizes and modification times. Undefined
 * when an input cannot be listed (then the load reports it) or has too many files.
 */
export async function cacheKey(
  paths: readonly string[],
  options: CacheKeyOptions = {},
): Promise<string | undefined> {
  const hash = createHash('sha256');
  hash.update(`${options.format ?? FORMAT}\0${process.version}\0`);
  let files = 0;
  const add = (path: string, info: Stats) => {
    files++;
    hash.update(`${path}\0${info.size}\0${info.mtimeMs}\0`);
  };
  try {
    for (const path of paths) {
      hash.update(`input\0${path}\0`);
      const info = await stat(path);
      add(resolve(path), info);
      if (info.isDirectory()) {
        for (const f of await filesUnder(resolve(path))) {
          add(f, await stat(f));
          if (files > MAX_KEY_FILES) return undefined;
        }
      }
    }
    for (const dir of [...CODE_DIRS, ...(options.codeDirs ?? [])]) {
      hash.update(`code\0${dir}\0`);
      for (const f of await filesUnder(dir)) add(f, await stat(f));
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/** Every file under a folder, sorted, following the same entries the loader lists. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true, recursive: true });
  const out: string[] = [];
  for (const e of entries) if (!e.isDirectory()) out.push(join(e.parentPath, e.name));
  return out.sort();
}
