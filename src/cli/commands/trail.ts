import { type IngestProgress, type IngestReport, ingestCloudTrail } from '../../activity/ingest.js';
import { findInvestigation, INVESTIGATIONS, runInvestigation } from '../../activity/investigations.js';
import { parseSince } from '../../activity/since.js';
import {
  ActivityDb,
  DatabaseLockedError,
  DatabaseMissingError,
  DEFAULT_DB_PATH,
  type JsonValue,
  type QueryResult,
} from '../../activity/store.js';
import { csvDocument } from '../../report/csv.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type CliIO, colorsFor } from '../io.js';
import { UsageError } from '../usage-error.js';

const FORMATS = ['table', 'json', 'csv'] as const;

export interface TrailIngestOptions {
  readonly db?: string;
  /** Progress on stderr; default: when stderr is a terminal. */
  readonly progress?: boolean;
  /** Worker threads (default: one per core, at most 4). */
  readonly threads?: string | number;
}

/**
 * `leastpriv trail ingest PATH... [--db FILE] [--progress] [--threads N]`: exit 0, or 2 when a file
 * was rejected (the others are ingested), a path is missing or another ingest holds the database.
 */
export async function trailIngestCommand(
  paths: readonly string[],
  options: TrailIngestOptions,
  io: CliIO,
): Promise<number> {
  if (paths.length === 0)
    throw new UsageError(
      'name CloudTrail files or folders (the S3 layout AWSLogs/..., .json, .json.gz, JSON lines)',
    );
  const threads = options.threads === undefined ? undefined : Number(options.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 0 || threads > 64))
    throw new UsageError(`--threads must be a whole number from 0 to 64, not "${options.threads}"`);
  const dbPath = options.db ?? DEFAULT_DB_PATH;
  const showProgress = options.progress ?? process.stderr.isTTY === true;
  const progress = showProgress ? progressPrinter(io) : undefined;
  let report: IngestReport;
  try {
    report = await ingestCloudTrail(paths, {
      dbPath,
      ...(threads !== undefined ? { threads } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } catch (err) {
    progress?.done();
    if (err instanceof DatabaseLockedError) {
      io.stderr(`leastpriv trail ingest: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  progress?.done();
  for (const r of report.rejected) io.stderr(`leastpriv trail ingest: ${r.path}: ${r.reason} (skipped)\n`);
  io.stdout(`${balanceLine(report)}\n`);
  return report.rejected.length > 0 ? EXIT_USAGE : EXIT_OK;
}

const n = (x: number): string => x.toLocaleString('en-US');

/**
 * The last line of an ingest, balanced: files found = ingested + unchanged + digest + rejected, and
 * events read = ingested + duplicates + replaced by addendum + Insights + aggregated.
 */
export function balanceLine(r: IngestReport): string {
  const files = `${n(r.filesFound)} files: ${n(r.filesIngested)} ingested, ${n(r.filesUnchanged)} unchanged, ${n(r.filesDigest)} digest, ${n(r.rejected.length)} rejected`;
  const events = `${n(r.eventsRead)} events: ${n(r.eventsIngested)} ingested, ${n(r.duplicates)} duplicates, ${n(r.replacedByAddendum)} replaced by addendum, skipped ${n(r.skippedInsights)} Insights + ${n(r.skippedAggregated)} aggregated`;
  const superseded = r.superseded > 0 ? ` (${n(r.superseded)} earlier events superseded by addenda)` : '';
  const seconds = r.millis / 1000;
  const rate = seconds > 0 ? ` (${n(Math.round(r.eventsRead / seconds))} events/s)` : '';
  return `${files}; ${events}${superseded}; ${mb(r.bytesRead)} in ${seconds.toFixed(1)} s${rate}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function progressPrinter(io: CliIO): { update: (p: IngestProgress) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: (p) => {
      const now = performance.now();
      if (now - last < 200 && p.filesDone < p.filesTotal) return;
      last = now;
      shown = true;
      const rate = p.elapsedMs > 0 ? Math.round(p.eventsRead / (p.elapsedMs / 1000)) : 0;
      io.stderr(
        `\r\u001b[2Kfiles ${n(p.filesDone)}/${n(p.filesTotal)}  ${mb(p.bytesRead)}/${mb(p.bytesTotal)}  ${n(p.eventsRead)} events  ${n(rate)} events/s`,
      );
    },
    done: () => {
      if (shown) io.stderr('\r\u001b[2K');
    },
  };
}

export interface TrailQueryOptions {
  readonly db?: string;
  readonly format?: string;
}

/**
 * `leastpriv trail query "SQL" [--db FILE] [--format table|json|csv]`: one read-only statement over
 * the `events` view (docs/activity.md). The database is opened read-only with external access off,
 * so the SQL cannot read or write files, attach databases or install extensions.
 */
export async function trailQueryCommand(sql: string, options: TrailQueryOptions, io: CliIO): Promise<number> {
  const format = checkFormat(options.format);
  if (sql.trim() === '') throw new UsageError('give one SQL statement, e.g. "SELECT count(*) FROM events"');
  return withReadOnlyDb(options.db, io, 'query', async (db) => {
    let result: QueryResult;
    try {
      const statements = await db.connection.extractStatements(sql);
      if (statements.count !== 1)
        throw new UsageError(`give exactly one SQL statement (found ${statements.count})`);
      result = await db.query(sql);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr(`leastpriv trail query: ${oneLine((err as Error).message)}\n`);
      return EXIT_USAGE;
    }
    io.stdout(renderResult(result, format, io));
    return EXIT_OK;
  });
}

export interface TrailShowOptions {
  readonly db?: string;
  readonly format?: string;
  readonly since?: string;
  readonly principal?: string;
  readonly showKeyIds?: boolean;
}

/**
 * `leastpriv trail show NAME [--since 30d|ISO] [--principal ARN] [--db FILE] [--format …]
 * [--show-key-ids]`: a saved investigation. Access key IDs are masked unless --show-key-ids.
 */
export async function trailShowCommand(name: string, options: TrailShowOptions, io: CliIO): Promise<number> {
  const format = checkFormat(options.format);
  const investigation = findInvestigation(name);
  if (!investigation)
    throw new UsageError(
      `no saved investigation "${name}"; choose one of ${INVESTIGATIONS.map((i) => i.name).join(', ')}`,
    );
  let since: Date | undefined;
  if (options.since !== undefined) {
    const parsed = parseSince(options.since);
    if (!parsed)
      throw new UsageError(
        `--since takes a duration (30d, 12h) or an ISO date (2026-10-01), not "${options.since}"`,
      );
    since = parsed;
  }
  if (investigation.requiresPrincipal && !options.principal)
    throw new UsageError(`${name} needs --principal ARN (a user, role or role-session ARN)`);
  return withReadOnlyDb(options.db, io, 'show', async (db) => {
    const result = await runInvestigation(db, investigation, {
      ...(since ? { since } : {}),
      ...(options.principal ? { principal: options.principal } : {}),
    });
    const shown = options.showKeyIds ? result : maskKeyIds(result);
    if (format === 'table') io.stdout(`${colorsFor(io).bold(investigation.title)}\n`);
    io.stdout(renderResult(shown, format, io));
    return EXIT_OK;
  });
}

function checkFormat(format: string | undefined): (typeof FORMATS)[number] {
  const f = format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format must be table, json or csv, not "${format}"`);
  return f as (typeof FORMATS)[number];
}

async function withReadOnlyDb(
  dbPath: string | undefined,
  io: CliIO,
  command: string,
  body: (db: ActivityDb) => Promise<number>,
): Promise<number> {
  const path = dbPath ?? DEFAULT_DB_PATH;
  let db: ActivityDb;
  try {
    db = await ActivityDb.openReadOnly(path);
  } catch (err) {
    if (err instanceof DatabaseMissingError) {
      io.stderr(`leastpriv trail ${command}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof DatabaseLockedError) {
      io.stderr(`leastpriv trail ${command}: the database ${path} is locked: another ingest is running\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  try {
    return await body(db);
  } finally {
    db.close();
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** AKIA…WXYZ: enough to tell keys apart, not enough to use one. */
export function maskKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

function maskKeyIds(result: QueryResult): QueryResult {
  const keyColumns = result.columns.filter((c) => /access_key_id$/.test(c.name)).map((c) => c.name);
  if (keyColumns.length === 0) return result;
  return {
    columns: result.columns,
    rows: result.rows.map((row) => {
      const copy: Record<string, JsonValue> = Object.assign(Object.create(null), row);
      for (const c of keyColumns) {
        const v = copy[c];
        if (typeof v === 'string') copy[c] = maskKeyId(v);
      }
      return copy;
    }),
  };
}

// ---- rendering ------------------------------------------------------------------------------

function cellText(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Event data is attacker-controlled: no terminal escapes reach the screen. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

const MAX_CELL = 48;

export function renderResult(result: QueryResult, format: (typeof FORMATS)[number], io: CliIO): string {
  if (format === 'json') return `${JSON.stringify(result.rows, null, 2)}\n`;
  const names = result.columns.map((c) => c.name);
  if (format === 'csv')
    return csvDocument(
      names,
      result.rows.map((row) => names.map((name) => (row[name] === null ? null : cellText(row[name])))),
    );
  const c = colorsFor(io);
  const cells = result.rows.map((row) =>
    names.map((name) => {
      const t = printable(cellText(row[name]));
      return t.length > MAX_CELL ? `${t.slice(0, MAX_CELL - 1)}…` : t;
    }),
  );
  const widths = names.map((name, k) => Math.max(name.length, ...cells.map((r) => r[k]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, k) => v.padEnd(widths[k]!))
      .join('  ')
      .trimEnd();
  const out = [c.dim(line(names)), ...cells.map(line)];
  out.push(c.dim(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`));
  return `${out.join('\n')}\n`;
}
