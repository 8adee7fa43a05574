import { lstat, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { type DuckDBAppender, DuckDBTimestampValue } from '@duckdb/node-api';
import { DEFAULT_LIMITS, type DecompressLimits, isDigestPath, type PreparedFile } from './prepare.js';
import { FilePreparer } from './preparer.js';
import { EVENT_COLUMNS, INGEST_EXTRA_PATHS } from './schema.js';
import { ActivityDb } from './store.js';

export interface IngestOptions {
  readonly dbPath: string;
  /** Worker threads for reading and scanning; default: one per core, at most 4. 0 = in-process. */
  readonly threads?: number;
  /** Events staged before they are deduplicated and written (bounds memory). */
  readonly batchEvents?: number;
  readonly limits?: DecompressLimits;
  /** DuckDB memory limit (default 1GB); above it DuckDB spills to a temp folder beside the database. */
  readonly memoryLimit?: string;
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

interface StagedFile {
  readonly fileId: number;
  readonly entry: FileEntry;
  readonly sha256: string;
  readonly kind: string;
  readonly count: number;
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** Paths are our constants (schema.ts), never user input. */
const PATHS = [
  ...EVENT_COLUMNS.filter((c) => c.name !== 'raw').map((c) => c.path),
  ...Object.values(INGEST_EXTRA_PATHS),
];
const PATH_INDEX = new Map(PATHS.map((p, k) => [p, k + 1]));
const at = (path: string): string => `s[${PATH_INDEX.get(path)}]`;

function columnExpression(name: string, type: string, path: string): string {
  const v = at(path);
  if (name === 'event_id')
    return `coalesce(${v}, ${at(INGEST_EXTRA_PATHS.eventIdLower)}, 'sha256:' || sha256(txt))`;
  if (type === 'TIMESTAMP') return `CAST(TRY_CAST(${v} AS TIMESTAMPTZ) AS TIMESTAMP)`;
  if (type === 'BOOLEAN') return `TRY_CAST(${v} AS BOOLEAN)`;
  if (type === 'JSON') return `CAST(${v} AS JSON)`;
  return v;
}

const STORED_COLUMNS = EVENT_COLUMNS.filter((c) => c.name !== 'raw');
const CLASS_EXPRESSION = `CASE
    WHEN ${at('$.eventType')} = 'AwsCloudTrailInsight' OR ${at('$.eventCategory')} = 'Insight' THEN 'insight'
    WHEN ${at('$.eventType')} = 'AwsAggregatedEvent' OR ${at('$.eventCategory')} = 'Aggregated' THEN 'aggregated'
    ELSE 'event' END`;

/**
 * `leastpriv trail ingest`: reads CloudTrail files into the activity database exactly once per
 * eventID. Files are prepared on worker threads and appended to an in-memory staging table; each
 * batch is then validated, classified, deduplicated and inserted by DuckDB in one transaction with
 * its ledger rows, so an interrupted run leaves no half-ingested file behind.
 */
export async function ingestCloudTrail(
  paths: readonly string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const started = performance.now();
  const { files, missing } = await discoverFiles(paths);
  const db = await ActivityDb.openForWrite(options.dbPath, {
    memory_limit: options.memoryLimit ?? '1GB',
  });
  const con = db.connection;
  const threads = options.threads ?? Math.min(4, availableParallelism());
  const batchEvents = options.batchEvents ?? 100_000;
  const preparer = new FilePreparer(threads, options.limits ?? DEFAULT_LIMITS);

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
    await con.run('CREATE OR REPLACE TEMP TABLE stage (file_id INTEGER, ord INTEGER, raw BLOB)');
    const ledgerByPath = new Map<string, LedgerEntry>();
    const knownHashes = new Set<string>();
    const ledger = await con.runAndReadAll('SELECT path, size, epoch_ms(mtime), sha256 FROM ingest_ledger');
    for (const [path, size, mtime, sha] of ledger.getRows()) {
      ledgerByPath.set(String(path), { size: Number(size as bigint), mtimeMs: Number(mtime as bigint) });
      knownHashes.add(String(sha));
    }
    const maxId = await con.runAndReadAll('SELECT coalesce(max(file_id), 0) FROM ingest_ledger');
    let nextFileId = Number(maxId.getRows()[0]![0] as number) + 1;

    let appender: DuckDBAppender = await con.createAppender('stage', 'main', 'temp');
    let staged: StagedFile[] = [];
    let stagedEvents = 0;
    const ledgerRows: { fileId: number; entry: FileEntry; sha256: string; kind: string; count: number }[] =
      [];

    const flush = async (): Promise<void> => {
      appender.closeSync();
      const result = await flushBatch(db, staged, ledgerRows.splice(0));
      for (const r of result.rejected) rejected.push(r);
      filesIngested += staged.length - result.rejected.length;
      for (const r of result.rejected) {
        const s = staged.find((f) => f.entry.path === r.path);
        if (s) eventsRead -= s.count;
      }
      eventsIngested += result.inserted;
      duplicates += result.duplicates;
      replacedByAddendum += result.replaced;
      skippedInsights += result.insights;
      skippedAggregated += result.aggregated;
      staged = [];
      stagedEvents = 0;
      appender = await con.createAppender('stage', 'main', 'temp');
    };

    // Keep a few files in flight: workers stay busy while memory stays bounded.
    const lookahead = Math.max(2, threads * 3);
    const queue: { entry: FileEntry; result: Promise<PreparedFile> | null }[] = [];
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
      while (nextToSubmit < pending.length && queue.length < lookahead) {
        const entry = pending[nextToSubmit++]!;
        queue.push({ entry, result: preparer.prepare(entry.path) });
      }
    };
    submit();
    while (queue.length > 0) {
      const head = queue.shift()!;
      const prepared = await head.result!;
      submit();
      const entry = head.entry;
      bytesRead += entry.size;
      filesDone++;
      if (!prepared.ok) {
        rejected.push({ path: entry.path, reason: prepared.reason });
      } else if (knownHashes.has(prepared.sha256)) {
        filesUnchanged++;
        ledgerRows.push({
          fileId: nextFileId++,
          entry,
          sha256: prepared.sha256,
          kind: 'same-content',
          count: 0,
        });
      } else if (prepared.kind === 'digest') {
        filesDigest++;
        ledgerRows.push({ fileId: nextFileId++, entry, sha256: prepared.sha256, kind: 'digest', count: 0 });
      } else {
        knownHashes.add(prepared.sha256);
        const fileId = nextFileId++;
        const { bytes, spans } = prepared;
        for (let k = 0; k < prepared.count; k++) {
          appender.appendInteger(fileId);
          appender.appendInteger(k);
          appender.appendBlob(bytes.subarray(spans[2 * k]!, spans[2 * k + 1]!));
          appender.endRow();
        }
        staged.push({ fileId, entry, sha256: prepared.sha256, kind: prepared.kind, count: prepared.count });
        ledgerRows.push({
          fileId,
          entry,
          sha256: prepared.sha256,
          kind: prepared.kind,
          count: prepared.count,
        });
        eventsRead += prepared.count;
        stagedEvents += prepared.count;
        if (stagedEvents >= batchEvents) await flush();
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
    await flush();
    appender.closeSync();
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
    await preparer.close();
    db.close();
  }
}

interface BatchResult {
  readonly rejected: RejectedFile[];
  readonly inserted: number;
  readonly duplicates: number;
  readonly replaced: number;
  readonly insights: number;
  readonly aggregated: number;
}

async function count(db: ActivityDb, sql: string): Promise<number> {
  const r = await db.connection.runAndReadAll(sql);
  const v = r.getRows()[0]?.[0];
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0;
}

/** Validates, classifies, deduplicates and stores one staged batch, with its ledger rows, atomically. */
async function flushBatch(
  db: ActivityDb,
  staged: readonly StagedFile[],
  ledgerRows: readonly { fileId: number; entry: FileEntry; sha256: string; kind: string; count: number }[],
): Promise<BatchResult> {
  const con = db.connection;
  const rejected: RejectedFile[] = [];
  let inserted = 0;
  let duplicates = 0;
  let replaced = 0;
  let insights = 0;
  let aggregated = 0;
  await con.run('BEGIN TRANSACTION');
  try {
    if (staged.length > 0) {
      // One JSON parse per event: TRY turns an invalid event into NULL, which rejects its file.
      await con.run(`CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT file_id, ord, txt, try(json_extract_string(txt, [${PATHS.map(sqlString).join(', ')}])) AS s
        FROM (SELECT file_id, ord, decode(raw) AS txt FROM stage)`);
      await con.run('DELETE FROM stage');
      const bad = await con.runAndReadAll(
        'SELECT file_id, min(ord) FROM parsed WHERE s IS NULL GROUP BY file_id ORDER BY file_id',
      );
      const badIds = new Set<number>();
      for (const [fileId, ord] of bad.getRows()) {
        const id = Number(fileId);
        badIds.add(id);
        const file = staged.find((f) => f.fileId === id);
        if (file)
          rejected.push({ path: file.entry.path, reason: `malformed JSON in event ${Number(ord) + 1}` });
      }
      if (badIds.size > 0) await con.run(`DELETE FROM parsed WHERE file_id IN (${[...badIds].join(',')})`);
      const classes = await con.runAndReadAll(`SELECT
          count(*) FILTER (WHERE class = 'event'), count(*) FILTER (WHERE class = 'insight'),
          count(*) FILTER (WHERE class = 'aggregated'), count(*) FILTER (WHERE addendum IS NOT NULL)
        FROM (SELECT ${CLASS_EXPRESSION} AS class, ${at(INGEST_EXTRA_PATHS.addendumReason)} AS addendum FROM parsed)`);
      const [events, insightCount, aggregatedCount, addenda] = (classes.getRows()[0] ?? []).map((v) =>
        Number(v),
      );
      insights = insightCount ?? 0;
      aggregated = aggregatedCount ?? 0;
      const columns = STORED_COLUMNS.map((c) => `${columnExpression(c.name, c.type, c.path)} AS ${c.name}`);
      // The batch's events, first delivery of each eventID (an UPDATED_DATA addendum wins).
      const fresh = `SELECT * EXCLUDE (rn) FROM (
          SELECT ${columns.join(',\n')},
            ${at(INGEST_EXTRA_PATHS.addendumReason)} AS addendum_reason,
            ${at(INGEST_EXTRA_PATHS.addendumOriginalEventId)} AS addendum_original_event_id,
            file_id, ord, txt,
            row_number() OVER (PARTITION BY event_id
              ORDER BY (addendum_reason = 'UPDATED_DATA') DESC NULLS LAST, file_id, ord) AS rn
          FROM parsed WHERE ${CLASS_EXPRESSION} = 'event'
        ) WHERE rn = 1`;
      if ((addenda ?? 0) > 0) {
        // A re-delivery of the same eventID carrying an UPDATED_DATA addendum replaces the stored copy.
        const replacing = `SELECT f.event_id FROM (${fresh}) f JOIN cloudtrail_events t USING (event_id)
          WHERE f.addendum_reason = 'UPDATED_DATA' AND t.addendum_reason IS DISTINCT FROM 'UPDATED_DATA'`;
        replaced = (await con.run(`DELETE FROM cloudtrail_events WHERE event_id IN (${replacing})`))
          .rowsChanged;
      }
      const names = STORED_COLUMNS.map((c) => c.name);
      const insert =
        await con.run(`INSERT INTO cloudtrail_events (${names.join(', ')}, addendum_reason, addendum_original_event_id, file_id, raw)
        SELECT ${names.map((n) => `f.${n}`).join(', ')}, f.addendum_reason, f.addendum_original_event_id, f.file_id, f.txt
        FROM (${fresh}) f WHERE NOT EXISTS (SELECT 1 FROM cloudtrail_events t WHERE t.event_id = f.event_id)`);
      await con.run('DROP TABLE parsed');
      inserted = insert.rowsChanged - replaced;
      duplicates = (events ?? 0) - inserted - replaced;
      await insertLedgerRows(
        db,
        ledgerRows.filter((row) => !badIds.has(row.fileId)),
      );
    } else {
      await insertLedgerRows(db, ledgerRows);
    }
    await con.run('COMMIT');
  } catch (err) {
    await con.run('ROLLBACK');
    throw err;
  }
  return { rejected, inserted, duplicates, replaced, insights, aggregated };
}

async function insertLedgerRows(
  db: ActivityDb,
  rows: readonly { fileId: number; entry: FileEntry; sha256: string; kind: string; count: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  const appender = await db.connection.createAppender('ingest_ledger');
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
