import { lstat, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBTimestampValue } from '@duckdb/node-api';
import { acquireIngestLock } from './ingest-lock.js';
import { KeySet } from './key-set.js';
import { DEFAULT_LIMITS, type DecompressLimits, isDigestPath, type PreparedFile } from './prepare.js';
import { FilePreparer } from './preparer.js';
import { rawColumn } from './schema.js';
import { STAGE_COLUMNS, stageSelect } from './stage-format.js';
import { ActivityDb } from './store.js';

export interface IngestOptions {
  readonly dbPath: string;
  /** Worker threads for reading and scanning; default: one per core, at most 4. 0 = in-process. */
  readonly threads?: number;
  /** Events staged before DuckDB stores them (bounds the staging files on disk; default 200,000). */
  readonly batchEvents?: number;
  /**
   * Event ids held in memory to deduplicate the run (default 2,000,000, about 120 MB); past it they
   * are dropped and each batch is checked against the table instead, so memory stays bounded.
   */
  readonly dedupeIds?: number;
  /**
   * Events stored between commits (default 1,000,000): batches join one transaction until then, so
   * an interrupted run keeps what was committed and re-reads only the rest (files whole, never half).
   */
  readonly commitEvents?: number;
  readonly limits?: DecompressLimits;
  /** DuckDB's `threads` (default 1: each connection's INSERT runs on its own thread, the workers on the other cores). */
  readonly duckdbThreads?: number;
  /**
   * DuckDB connections storing batches at once, each in its own transaction on its own thread
   * (default 2; 1 = one batch at a time).
   */
  readonly duckdbConnections?: number;
  /**
   * DuckDB memory limit (default 256MB); above it DuckDB spills to a temp folder beside the database.
   * Measured on 200,000 staged events, 256MB to 1GB change DuckDB's CPU time by about 5%; on 1M
   * events, 256MB instead of 512MB lowered the peak RSS from about 1,070 MB to 870-960 MB. With two
   * connections 512MB saves about 2 CPU-s per 1M events (less spilling) but peaks at about 1,000 MB.
   */
  readonly memoryLimit?: string;
  /**
   * Rows per row group written by this run (default 61,440, half DuckDB's default). Each connection
   * fills one row group in memory (about 100 MB at CloudTrail's row widths) before compressing it;
   * DuckDB's default size made two of them exceed the memory limit and spill to disk.
   */
  readonly rowGroupSize?: number;
  readonly onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly eventsRead: number;
  readonly elapsedMs: number;
}

export interface RejectedFile {
  readonly path: string;
  readonly reason: string;
}

/** The balance of one run: every file and every event read is accounted for exactly once. */
export interface IngestReport {
  readonly filesFound: number;
  readonly filesIngested: number;
  /** Already in the ledger (same path, size and time, or the same content): not read again. */
  readonly filesUnchanged: number;
  readonly filesDigest: number;
  readonly rejected: readonly RejectedFile[];
  /** Events found in ingested files. */
  readonly eventsRead: number;
  readonly eventsIngested: number;
  /** Same eventID already stored or earlier in this run. */
  readonly duplicates: number;
  /** Same eventID re-delivered with an `addendum` (UPDATED_DATA): the stored copy was replaced. */
  readonly replacedByAddendum: number;
  readonly skippedInsights: number;
  readonly skippedAggregated: number;
  /** Stored events that an addendum with a new eventID now supersedes (hidden from `events`). */
  readonly superseded: number;
  readonly bytesRead: number;
  readonly millis: number;
}

interface FileEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Names a folder walk picks up; a file named on the command line is always read. */
const LOG_NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/** Every file under the given paths, sorted, without following symbolic links to folders. */
export async function discoverFiles(
  paths: readonly string[],
): Promise<{ files: FileEntry[]; missing: RejectedFile[] }> {
  const files = new Map<string, FileEntry>();
  const missing: RejectedFile[] = [];
  async function walk(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      missing.push({ path: dir, reason: `unreadable folder: ${(err as Error).message}` });
      return;
    }
    for (const name of names.sort()) {
      const full = join(dir, name);
      const info = await lstat(full).catch(() => null);
      if (!info) continue;
      if (info.isDirectory()) await walk(full);
      else if (info.isFile() && LOG_NAME.test(name))
        files.set(full, { path: full, size: info.size, mtimeMs: info.mtimeMs });
    }
  }
  for (const p of paths) {
    const info = await stat(p).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      missing.push({ path: p, reason: info.code === 'ENOENT' ? 'no such file or folder' : info.message });
      continue;
    }
    if (info.isDirectory()) await walk(p);
    else files.set(p, { path: p, size: info.size, mtimeMs: info.mtimeMs });
  }
  return { files: [...files.values()], missing };
}

interface LedgerEntry {
  readonly size: number;
  readonly mtimeMs: number;
}

interface LedgerRow {
  readonly fileId: number;
  readonly entry: FileEntry;
  readonly sha256: string;
  readonly kind: string;
  readonly count: number;
}

/** Event ids kept in memory for the run's deduplication (about 120 MB: key-set.ts); beyond, DuckDB checks. */
const DEFAULT_DEDUPE_IDS = 2_000_000;
/** Files prepared ahead of the one being staged, and their compressed bytes at most. */
const MAX_FILES_AHEAD = 64;
const MAX_BYTES_AHEAD = 256 * 1024 * 1024;

/** read_csv and read_text take globs: the staging folder must not hold glob characters. */
const GLOB_CHARS = /[*?[\]{}]/;

/** A private folder for staging files, beside the database when its path allows. */
async function makeStageDir(dbPath: string): Promise<string> {
  const places = dbPath === ':memory:' ? [tmpdir()] : [dirname(resolve(dbPath)), tmpdir()];
  for (const place of places) {
    if (GLOB_CHARS.test(place)) continue;
    const dir = await mkdtemp(join(place, '.leastpriv-ingest-'));
    if (!GLOB_CHARS.test(dir)) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  throw new Error('no folder without glob characters (*?[]{}) for the ingest staging files');
}

/**
 * `leastpriv trail ingest`: reads CloudTrail files into the activity database exactly once per
 * eventID. Worker threads read, gunzip, scan and parse each file and write its events to a staging
 * file (stage-format.ts); the main thread deduplicates them by eventID in memory, noting the repeats
 * in a small skip table; each batch of staging files is then read, split into typed columns and
 * inserted by DuckDB with its files' ledger rows, in a transaction committed every `commitEvents`,
 * so an interrupted run leaves no half-ingested file. The workers prepare the next batch while
 * DuckDB stores the current one.
 */
export async function ingestCloudTrail(
  paths: readonly string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const started = performance.now();
  // Taken before anything is read so a second ingest stops at once with who holds the database.
  const lock = await acquireIngestLock(options.dbPath);
  try {
    return await ingestLocked(paths, options, started);
  } finally {
    await lock.release();
  }
}

async function ingestLocked(
  paths: readonly string[],
  options: IngestOptions,
  started: number,
): Promise<IngestReport> {
  const { files, missing } = await discoverFiles(paths);
  const db = await ActivityDb.openForWrite(
    options.dbPath,
    {
      memory_limit: options.memoryLimit ?? '256MB',
      // Rows of a batch may be stored in any order (the events view has none): lets DuckDB insert in
      // parallel without buffering to keep the order.
      preserve_insertion_order: 'false',
      // One DuckDB thread beside the parsing workers by default: measured on 2 loaded cores, a second
      // one doubled DuckDB's CPU time for the same batches and finished later.
      threads: String(options.duckdbThreads ?? 1),
    },
    options.rowGroupSize ?? 61_440,
  );
  const con = db.connection;
  const threads = options.threads ?? Math.min(4, availableParallelism());
  const batchEvents = options.batchEvents ?? 200_000;
  const dedupeIds = options.dedupeIds ?? DEFAULT_DEDUPE_IDS;
  const commitEvents = options.commitEvents ?? 1_000_000;
  let stageDir: string | null = null;
  let preparer: FilePreparer | null = null;
  /** Batches being stored (ingest assembles the next one meanwhile). */
  const storing = new Set<Promise<void>>();

  const rejected: RejectedFile[] = [...missing];
  let filesIngested = 0;
  let filesUnchanged = 0;
  let filesDigest = 0;
  let eventsRead = 0;
  let eventsIngested = 0;
  let duplicates = 0;
  let replacedByAddendum = 0;
  let skippedInsights = 0;
  let skippedAggregated = 0;
  let bytesRead = 0;
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);

  try {
    stageDir = await makeStageDir(options.dbPath);
    preparer = new FilePreparer(
      threads,
      stageDir,
      options.limits ?? DEFAULT_LIMITS,
      db.rawLayout === 'template',
    );
    await con.run('CREATE OR REPLACE TEMP TABLE skip (file_id INTEGER, ord INTEGER)');
    const ledgerByPath = new Map<string, LedgerEntry>();
    const knownHashes = new Set<string>();
    const ledger = await con.runAndReadAll('SELECT path, size, epoch_ms(mtime), sha256 FROM ingest_ledger');
    for (const [path, size, mtime, sha] of ledger.getRows()) {
      ledgerByPath.set(String(path), { size: Number(size as bigint), mtimeMs: Number(mtime as bigint) });
      knownHashes.add(String(sha));
    }
    const maxId = await con.runAndReadAll('SELECT coalesce(max(file_id), 0) FROM ingest_ledger');
    let nextFileId = Number(maxId.getRows()[0]![0] as number) + 1;

    // Every event id stored by this run, and those stored as an UPDATED_DATA addendum. While they
    // hold every id in the table, a batch is deduplicated here alone; once the table has ids they do
    // not hold (stored before this run, or forgotten to bound memory), DuckDB anti-joins each batch.
    // Sized for the events the files may hold (CloudTrail's gzip files hold an event per 130-150
    // bytes; plain JSON more bytes per event), up to the bound on ids held; more only costs a growth.
    const seen = new KeySet(Math.min(dedupeIds, Math.ceil(bytesTotal / 150)));
    const updatedIds = new KeySet();
    let checkTable = (await count(db, 'SELECT count(*) FROM (SELECT 1 FROM cloudtrail_events LIMIT 1)')) > 0;

    /** The events staged for the next INSERT, assembled while DuckDB stores the one before. */
    interface OpenBatch {
      files: number[];
      paths: string[];
      bigPaths: string[];
      rows: number;
      /** (file id, position) of each staged repeat, in pairs. */
      skips: number[];
      anyUpdate: boolean;
      ledgerRows: LedgerRow[];
    }
    const newBatch = (): OpenBatch => ({
      files: [],
      paths: [],
      bigPaths: [],
      rows: 0,
      skips: [],
      anyUpdate: false,
      ledgerRows: [],
    });
    let batch = newBatch();

    // Each DuckDB connection ("lane") keeps its batches in one transaction until about
    // `commitEvents` events: rows keep filling the same row group across INSERTs, and DuckDB writes
    // full row groups straight to the file. Two lanes store two batches at once, each on its own
    // thread: DuckDB's part (storing, above all compressing) is the slowest stage of ingest.
    interface Lane {
      readonly con: DuckDBConnection;
      inTransaction: boolean;
      uncommitted: number;
      /** The batch this lane is storing; null when it is free. */
      busy: Promise<void> | null;
    }
    const lanes: Lane[] = [];
    for (let k = 0; k < Math.max(1, options.duckdbConnections ?? 2); k++) {
      const c = k === 0 ? con : await db.connect();
      if (k > 0) await c.run('CREATE OR REPLACE TEMP TABLE skip (file_id INTEGER, ord INTEGER)');
      lanes.push({ con: c, inTransaction: false, uncommitted: 0, busy: null });
    }
    const commit = async (lane: Lane): Promise<void> => {
      if (!lane.inTransaction) return;
      lane.inTransaction = false;
      lane.uncommitted = 0;
      await lane.con.run('COMMIT');
    };
    const store = async (lane: Lane, b: OpenBatch, check: boolean, last: boolean): Promise<void> => {
      const c = lane.con;
      if (!lane.inTransaction) {
        await c.run('BEGIN TRANSACTION');
        lane.inTransaction = true;
      }
      let result: BatchResult;
      try {
        if (b.skips.length > 0) {
          const skipAppender: DuckDBAppender = await c.createAppender('skip', 'main', 'temp');
          for (let k = 0; k < b.skips.length; k += 2) {
            skipAppender.appendInteger(b.skips[k]!);
            skipAppender.appendInteger(b.skips[k + 1]!);
            skipAppender.endRow();
          }
          skipAppender.closeSync();
        }
        result = await storeBatch(c, {
          rows: b.rows,
          skipped: b.skips.length / 2,
          paths: b.paths,
          bigPaths: b.bigPaths,
          fileIds: b.files,
          anyUpdate: b.anyUpdate,
          checkTable: check,
          ledgerRows: b.ledgerRows,
          rawColumn: rawColumn(db.rawLayout),
        });
        lane.uncommitted += b.rows;
        if (last || lane.uncommitted >= commitEvents) await commit(lane);
      } catch (err) {
        lane.inTransaction = false;
        await c.run('ROLLBACK');
        throw err;
      }
      await Promise.all([...b.paths, ...b.bigPaths].map((p) => rm(p, { force: true })));
      filesIngested += b.files.length;
      eventsIngested += result.inserted;
      duplicates += result.duplicates;
      replacedByAddendum += result.replaced;
    };
    /** Waits for every lane and commits them: what follows sees every batch before it. */
    const quiesce = async (): Promise<void> => {
      for (const lane of lanes) {
        const busy = lane.busy;
        lane.busy = null;
        if (busy) await busy;
      }
      for (const lane of lanes) await commit(lane);
    };

    // The next batch is assembled while the lanes store earlier ones: DuckDB starts on the first
    // file instead of waiting for a full batch, and a lane that becomes free takes everything staged
    // meanwhile, up to `batchEvents` (which bounds the staging files on disk).
    const freeLane = (): Lane | undefined => lanes.find((l) => l.busy === null);
    const handOff = async (last: boolean): Promise<void> => {
      if (batch.rows === 0 && batch.ledgerRows.length === 0 && !last) return;
      const b = batch;
      batch = newBatch();
      let check = checkTable;
      // Ids are forgotten only between batches, so a batch never holds two copies of one id; the
      // batches after it anti-join the table, which then holds every batch before them.
      let exclusive = b.anyUpdate;
      if (seen.size > dedupeIds) {
        seen.clear();
        updatedIds.clear();
        checkTable = true;
        check = true;
        exclusive = true;
      }
      let lane: Lane;
      if (exclusive) {
        // An addendum replaces copies other lanes may hold uncommitted; an anti-join after ids
        // were forgotten must see every earlier batch: both run alone after everything committed.
        // (The last batch need not: it commits, and the other lanes after it.)
        await quiesce();
        lane = lanes[0]!;
      } else {
        let free = freeLane();
        while (free === undefined) {
          await Promise.race(lanes.map((l) => l.busy));
          free = freeLane();
        }
        lane = free;
      }
      const p = store(lane, b, check, exclusive || last);
      lane.busy = p;
      storing.add(p);
      // Settled here so a failure is not unhandled; it is thrown where the lane is awaited.
      p.then(
        () => {
          storing.delete(p);
          if (lane.busy === p) lane.busy = null;
        },
        () => storing.delete(p),
      );
      if (exclusive) {
        lane.busy = null;
        await p;
      }
      if (last) await quiesce();
    };

    // Files in flight: workers keep preparing while DuckDB stores a batch; bounded in number and bytes.
    const queue: { entry: FileEntry; fileId: number; result: Promise<PreparedFile> }[] = [];
    let bytesAhead = 0;
    let nextToSubmit = 0;
    let filesDone = 0;
    const pending = files.filter((entry) => {
      if (isDigestPath(entry.path)) {
        filesDigest++;
        filesDone++;
        return false;
      }
      const known = ledgerByPath.get(resolve(entry.path));
      if (known && known.size === entry.size && Math.abs(known.mtimeMs - entry.mtimeMs) < 1) {
        filesUnchanged++;
        filesDone++;
        return false;
      }
      return true;
    });
    const submit = (): void => {
      while (
        nextToSubmit < pending.length &&
        queue.length < Math.max(threads * 3, MAX_FILES_AHEAD) &&
        (queue.length === 0 || bytesAhead < MAX_BYTES_AHEAD)
      ) {
        const entry = pending[nextToSubmit++]!;
        // Ids are given out at submission; a rejected file leaves a gap, which is harmless.
        const fileId = nextFileId++;
        bytesAhead += entry.size;
        queue.push({ entry, fileId, result: preparer!.prepare(entry.path, fileId) });
      }
    };
    submit();
    while (queue.length > 0) {
      const head = queue.shift()!;
      const prepared = await head.result;
      const { entry, fileId } = head;
      bytesAhead -= entry.size;
      submit();
      bytesRead += entry.size;
      filesDone++;
      if (!prepared.ok) {
        rejected.push({ path: entry.path, reason: prepared.reason });
      } else if (knownHashes.has(prepared.sha256)) {
        filesUnchanged++;
        for (const p of [prepared.stagedPath, prepared.bigPath]) if (p) await rm(p, { force: true });
        batch.ledgerRows.push({ fileId, entry, sha256: prepared.sha256, kind: 'same-content', count: 0 });
      } else if (prepared.kind === 'digest') {
        filesDigest++;
        batch.ledgerRows.push({ fileId, entry, sha256: prepared.sha256, kind: 'digest', count: 0 });
      } else {
        knownHashes.add(prepared.sha256);
        const { keys, keyEnds, keyHashes, updated } = prepared;
        let from = 0;
        for (let k = 0; k < prepared.count; k++) {
          const to = keyEnds[k]!;
          const hash = keyHashes[k]!;
          const update = updated[k] === 1;
          if (seen.add(keys, from, to, hash)) {
            if (update) {
              updatedIds.add(keys, from, to, hash);
              batch.anyUpdate = true;
            }
          } else if (update && updatedIds.add(keys, from, to, hash)) {
            // Replaces the copy stored earlier in this run (flushBatch deletes it).
            batch.anyUpdate = true;
          } else {
            batch.skips.push(fileId, k);
          }
          from = to;
        }
        if (prepared.stagedPath) batch.paths.push(prepared.stagedPath);
        if (prepared.bigPath) batch.bigPaths.push(prepared.bigPath);
        batch.rows += prepared.count;
        batch.files.push(fileId);
        batch.ledgerRows.push({
          fileId,
          entry,
          sha256: prepared.sha256,
          kind: prepared.kind,
          count: prepared.found,
        });
        eventsRead += prepared.found;
        skippedInsights += prepared.insights;
        skippedAggregated += prepared.aggregated;
        if (freeLane() !== undefined || batch.rows >= batchEvents) await handOff(false);
      }
      options.onProgress?.({
        filesDone,
        filesTotal: files.length,
        bytesRead,
        bytesTotal,
        eventsRead,
        elapsedMs: performance.now() - started,
      });
    }
    await handOff(true);
    const superseded = await markSuperseded(db);
    await con.run('CHECKPOINT');
    return {
      filesFound: files.length + missing.length,
      filesIngested,
      filesUnchanged,
      filesDigest,
      rejected,
      eventsRead,
      eventsIngested,
      duplicates,
      replacedByAddendum,
      skippedInsights,
      skippedAggregated,
      superseded,
      bytesRead,
      millis: Math.round(performance.now() - started),
    };
  } finally {
    await Promise.allSettled([...storing]);
    await preparer?.close();
    db.close();
    if (stageDir) await rm(stageDir, { recursive: true, force: true });
  }
}

interface Batch {
  /** Events in the staging files, and how many of them the skip table names as repeats. */
  readonly rows: number;
  readonly skipped: number;
  readonly paths: readonly string[];
  /** Staging files of big events (stage-format.ts). */
  readonly bigPaths: readonly string[];
  /** The files whose events are staged. */
  readonly fileIds: readonly number[];
  /** Whether a staged event is an UPDATED_DATA addendum. */
  readonly anyUpdate: boolean;
  /** Whether the table may hold ids the in-memory dedupe does not know. */
  readonly checkTable: boolean;
  readonly ledgerRows: readonly LedgerRow[];
  /** The column the staged raw text goes to (schema.ts rawColumn). */
  readonly rawColumn: string;
}

interface BatchResult {
  readonly inserted: number;
  readonly duplicates: number;
  readonly replaced: number;
}

async function count(db: ActivityDb, sql: string): Promise<number> {
  const r = await db.connection.runAndReadAll(sql);
  const v = r.getRows()[0]?.[0];
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0;
}

/**
 * Stores one staged batch with its ledger rows, inside the caller's transaction. The staged events
 * less the skip table are unique by eventID within the run; `checkTable` adds an anti-join against
 * the stored events, through which an UPDATED_DATA addendum passes when the stored copy is not one.
 */
async function storeBatch(con: DuckDBConnection, batch: Batch): Promise<BatchResult> {
  let inserted = 0;
  let replaced = 0;
  if (batch.paths.length > 0 || batch.bigPaths.length > 0) {
    const filters: string[] = [];
    if (batch.skipped > 0)
      filters.push('NOT EXISTS (SELECT 1 FROM skip s WHERE s.file_id = f.file_id AND s.ord = f.ord)');
    if (batch.checkTable)
      filters.push(`NOT EXISTS (SELECT 1 FROM cloudtrail_events t WHERE t.event_id = f.event_id
          AND (f.addendum_reason IS DISTINCT FROM 'UPDATED_DATA' OR t.addendum_reason = 'UPDATED_DATA'))`);
    // A database storing whole raw events has no cut offsets (schema.ts RawLayout).
    const columns = STAGE_COLUMNS.filter((c) => batch.rawColumn !== 'raw' || !c.startsWith('cut_'));
    inserted = (
      await con.run(`INSERT INTO cloudtrail_events (${columns.map((c) => (c === 'raw' ? batch.rawColumn : c)).join(', ')})
        SELECT ${columns.join(', ')} FROM (${stageSelect(batch.paths, batch.bigPaths)}) f
        ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}`)
    ).rowsChanged;
    if (batch.anyUpdate) {
      // The copies an UPDATED_DATA addendum of this batch replaces (file ids are our integers).
      replaced = (
        await con.run(`DELETE FROM cloudtrail_events
          WHERE addendum_reason IS DISTINCT FROM 'UPDATED_DATA' AND event_id IN (
            SELECT event_id FROM cloudtrail_events
            WHERE file_id IN (${batch.fileIds.join(', ')}) AND addendum_reason = 'UPDATED_DATA')`)
      ).rowsChanged;
    }
  }
  if (batch.skipped > 0) await con.run('DELETE FROM skip');
  await insertLedgerRows(con, batch.ledgerRows);
  return { inserted: inserted - replaced, duplicates: batch.rows - inserted, replaced };
}

async function insertLedgerRows(con: DuckDBConnection, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const appender = await con.createAppender('ingest_ledger');
  const now = BigInt(Date.now()) * 1000n;
  for (const row of rows) {
    appender.appendInteger(row.fileId);
    appender.appendVarchar(resolve(row.entry.path));
    appender.appendBigInt(BigInt(row.entry.size));
    appender.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.round(row.entry.mtimeMs)) * 1000n));
    appender.appendVarchar(row.sha256);
    appender.appendVarchar(row.kind);
    appender.appendInteger(row.count);
    appender.appendTimestamp(new DuckDBTimestampValue(now));
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * An addendum with reason UPDATED_DATA names the event it corrects (originalEventID); the corrected
 * event replaces it in the `events` view, whichever arrived first.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
async function markSuperseded(db: ActivityDb): Promise<number> {
  const before = await count(db, 'SELECT count(*) FROM cloudtrail_events WHERE superseded');
  await db.connection.run(`UPDATE cloudtrail_events SET superseded = true
    WHERE NOT superseded AND event_id IN (
      SELECT addendum_original_event_id FROM cloudtrail_events
      WHERE addendum_reason = 'UPDATED_DATA' AND addendum_original_event_id IS NOT NULL
        AND addendum_original_event_id <> event_id)`);
  const after = await count(db, 'SELECT count(*) FROM cloudtrail_events WHERE superseded');
  return after - before;
}
