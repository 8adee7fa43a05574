import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DatabaseLockedError } from './store.js';

/**
 * One ingest per activity database, decided by a lock file beside it (`<db>.ingest-lock`).
 *
 * DuckDB's own file lock (fcntl) already stops a second writer process, but only where the file
 * system enforces fcntl locks between processes: on some network and sandboxed file systems it does
 * not, and two ingests then both write the same file. Creating a file with O_EXCL is atomic on every
 * file system we run on, so it is the lock of record; DuckDB's lock stays as the second line.
 *
 * The file names the holder (host and process id). A lock left by a process that died on this host
 * is taken over; one from another host is honoured, and the message names the file to delete.
 */
export interface IngestLock {
  release(): Promise<void>;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

export function ingestLockPath(dbPath: string): string {
  return `${dbPath}.ingest-lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && typeof value.host === 'string')
      return { pid: value.pid, host: value.host, started: String(value.started ?? '') };
  } catch {
    // A torn or foreign file: treated as stale below only when it is ours to judge.
  }
  return null;
}

/**
 * Takes the ingest lock of `dbPath` or throws DatabaseLockedError naming the holder. In-memory
 * databases need none.
 */
export async function acquireIngestLock(
  dbPath: string,
  now: () => Date = () => new Date(),
): Promise<IngestLock> {
  if (dbPath === ':memory:') return { release: async () => {} };
  const path = ingestLockPath(dbPath);
  await mkdir(dirname(path), { recursive: true });
  const me: Holder = { pid: process.pid, host: hostname(), started: now().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      // Released between our attempt and the read: try again.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const holder = parseHolder(text);
    const stale =
      holder !== null && holder.host === me.host && holder.pid !== process.pid && !alive(holder.pid);
    if (!stale) {
      const who = holder
        ? `process ${holder.pid} on ${holder.host}${holder.started ? ` since ${holder.started}` : ''}`
        : 'an unknown process';
      throw new DatabaseLockedError(dbPath, `${who}; if no ingest is running, delete ${path}`);
    }
    await rm(path, { force: true });
  }
  throw new DatabaseLockedError(dbPath, `could not take ${path}`);
}
