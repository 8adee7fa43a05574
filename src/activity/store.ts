import { access, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  LIST,
  VARCHAR,
} from '@duckdb/node-api';
import { DDL, type RawLayout, TEMPLATE_LAYOUT_PROBE, viewDdl } from './schema.js';

/** Where the activity database lives unless --db says otherwise. */
export const DEFAULT_DB_PATH = '.leastpriv/activity.duckdb';

/** DuckDB allows one writer process per database file; a second one gets this, not a stack trace. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dbPath: string,
    /** Who holds it, when known (the ingest lock file names the process). */
    readonly detail?: string,
  ) {
    super(`another ingest is running (database ${dbPath} is locked${detail ? ` by ${detail}` : ''})`);
    this.name = 'DatabaseLockedError';
  }
}

/** The database file does not exist (a query before any ingest). */
export class DatabaseMissingError extends Error {
  constructor(readonly dbPath: string) {
    super(`no activity database at ${dbPath}: run leastpriv trail ingest first (or pass --db)`);
    this.name = 'DatabaseMissingError';
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A value bound to a named query parameter (`$name` in the SQL). */
export type ParamValue = string | number | boolean | null | readonly string[];

export interface QueryColumn {
  readonly name: string;
  /** DuckDB's type name, e.g. VARCHAR, TIMESTAMP, BIGINT, JSON. */
  readonly type: string;
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  /**
   * Rows as plain JSON-safe objects: BIGINT as a number when it is a safe integer (else a string),
   * TIMESTAMP as ISO 8601 UTC (`2026-10-12T09:30:00Z`), JSON columns parsed.
   */
  readonly rows: readonly Record<string, JsonValue>[];
}

/** The catalog name of a database file opened with a row group size (openForWrite). */
const ATTACHED = 'activity';

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function isLockError(err: unknown): boolean {
  return /Could not set lock|Conflicting lock|database is locked/i.test(
    String((err as Error)?.message ?? err),
  );
}

/** An open activity database. One per process and file; close it when done. */
export class ActivityDb {
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /** Whether the file is attached to an in-memory instance (new connections must USE it). */
    private readonly attached = false,
    /** How `cloudtrail_events` stores the raw event (known when opened for writing). */
    readonly rawLayout: RawLayout = 'template',
  ) {}

  private readonly extra: DuckDBConnection[] = [];

  /**
   * Opens for writing, creating the file, its folder and the schema when missing. `rowGroupSize`
   * (rows) sets the size of the row groups this session writes (ingest: two connections each fill
   * one in memory before it is compressed and written); other sessions are not affected.
   */
  static async openForWrite(
    path: string,
    settings: Record<string, string> = {},
    rowGroupSize?: number,
  ): Promise<ActivityDb> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    // A new file gets the current storage format, which has ZSTD for the raw events (schema.ts);
    // an existing file keeps the format it was created with.
    const isNew =
      path === ':memory:' ||
      (await access(path).then(
        () => false,
        () => true,
      ));
    // The row group size is an ATTACH option only: the file is attached to an in-memory instance
    // (with the temp folder a file database would have) and made the default catalog.
    const attach = rowGroupSize !== undefined && path !== ':memory:';
    const storage: Record<string, string> =
      isNew && !attach ? { storage_compatibility_version: 'latest' } : {};
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;
    try {
      instance = await DuckDBInstance.create(
        attach ? ':memory:' : path,
        attach ? { temp_directory: `${path}.tmp`, ...settings } : { ...storage, ...settings },
      );
      connection = await instance.connect();
      if (attach) {
        const options = [`ROW_GROUP_SIZE ${Math.max(2048, Math.floor(rowGroupSize))}`];
        if (isNew) options.push("STORAGE_VERSION 'latest'");
        await connection.run(`ATTACH ${sqlString(path)} AS ${ATTACHED} (${options.join(', ')})`);
        await connection.run(`USE ${ATTACHED}`);
      }
    } catch (err) {
      if (isLockError(err)) throw new DatabaseLockedError(path);
      throw err;
    }
    for (const statement of DDL) await connection.run(statement);
    const probe = await connection.runAndReadAll(TEMPLATE_LAYOUT_PROBE);
    const layout: RawLayout = Number(probe.getRows()[0]?.[0] ?? 0) > 0 ? 'template' : 'whole';
    for (const statement of viewDdl(layout)) await connection.run(statement);
    return new ActivityDb(path, false, instance, connection, attach, layout);
  }

  /**
   * Opens read-only for untrusted SQL: external access (files, network, ATTACH, INSTALL) is off and
   * the configuration is locked so the SQL cannot turn it back on.
   */
  static async openReadOnly(path: string): Promise<ActivityDb> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        access_mode: 'READ_ONLY',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
    } catch (err) {
      if (isLockError(err)) throw new DatabaseLockedError(path);
      if (/does not exist|No such file|Cannot open database/i.test(String((err as Error).message)))
        throw new DatabaseMissingError(path);
      throw err;
    }
    const connection = await instance.connect();
    await connection.run('SET enable_external_access = false');
    await connection.run('SET allow_community_extensions = false');
    await connection.run('SET lock_configuration = true');
    return new ActivityDb(path, true, instance, connection);
  }

  /** Runs SQL with named parameters (`$name`) bound as values, never spliced into the text. */
  async query(sql: string, params: Readonly<Record<string, ParamValue>> = {}): Promise<QueryResult> {
    const statement = await this.connection.prepare(sql);
    const names = new Set<string>();
    for (let k = 1; k <= statement.parameterCount; k++) names.add(statement.parameterName(k));
    for (const name of names) {
      if (!(name in params)) throw new Error(`query parameter $${name} has no value`);
      const value = params[name];
      if (Array.isArray(value))
        statement.bindList(statement.parameterIndex(name), value as string[], LIST(VARCHAR));
      else if (value === null || value === undefined) statement.bindNull(statement.parameterIndex(name));
      else if (typeof value === 'boolean') statement.bindBoolean(statement.parameterIndex(name), value);
      else if (typeof value === 'number')
        Number.isInteger(value)
          ? statement.bindBigInt(statement.parameterIndex(name), BigInt(value))
          : statement.bindDouble(statement.parameterIndex(name), value);
      else statement.bindVarchar(statement.parameterIndex(name), value as string);
    }
    const result = await statement.runAndReadAll();
    return toQueryResult(result);
  }

  /**
   * Another connection to the same database (its own transactions: ingest stores two batches at
   * once this way). Closed with the database.
   */
  async connect(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    this.extra.push(connection);
    if (this.attached) await connection.run(`USE ${ATTACHED}`);
    return connection;
  }

  close(): void {
    for (const c of this.extra) c.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Turns a DuckDB result into JSON-safe rows, converting each type deliberately. */
export function toQueryResult(result: DuckDBResultReader): QueryResult {
  const names = result.columnNames();
  const types = result.columnTypes();
  const columns = names.map((name, k) => ({ name, type: typeName(types[k]!) }));
  const rows: Record<string, JsonValue>[] = [];
  for (const raw of result.getRows()) {
    const row: Record<string, JsonValue> = Object.create(null);
    raw.forEach((value, k) => {
      row[names[k]!] = convert(value, types[k]!);
    });
    rows.push(row);
  }
  return { columns, rows };
}

function typeName(type: DuckDBType): string {
  return type.alias ?? type.toString();
}

function convert(value: DuckDBValue, type: DuckDBType): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (type.alias === 'JSON') {
      try {
        return JSON.parse(value) as JsonValue;
      } catch {
        return value;
      }
    }
    return value;
  }
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return isoTimestamp(String(value));
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const items = (value as unknown as { items: readonly DuckDBValue[] }).items;
      const itemType =
        (type as unknown as { valueType?: DuckDBType; childType?: DuckDBType }).valueType ??
        (type as unknown as { childType: DuckDBType }).childType;
      return items.map((v) => convert(v, itemType));
    }
    case DuckDBTypeId.STRUCT: {
      const entries = (value as unknown as { entries: Record<string, DuckDBValue> }).entries;
      const structType = type as unknown as { entryNames: string[]; entryTypes: DuckDBType[] };
      const out: Record<string, JsonValue> = Object.create(null);
      structType.entryNames.forEach((name, k) => {
        out[name] = convert(entries[name] ?? null, structType.entryTypes[k]!);
      });
      return out;
    }
    default:
      return String(value);
  }
}

/** DuckDB prints `2026-10-12 09:30:00[.123456][+00]`; reports use ISO 8601 in UTC. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?:\+00(?::00)?)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}
