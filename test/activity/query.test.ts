import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../src/activity/ingest.js';
import { EVENT_COLUMNS } from '../../src/activity/schema.js';
import { ActivityDb } from '../../src/activity/store.js';
import { trailQueryCommand } from '../../src/cli/commands/trail.js';
import type { CliIO } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { event, tempDir, writeRecordsGz } from './fixtures.js';

let root: string;
let db: string;

beforeAll(async () => {
  root = tempDir();
  db = join(root, 'a.duckdb');
  writeRecordsGz(join(root, 'a.json.gz'), [
    event({ userAgent: '=HYPERLINK("http://evil")', eventName: 'GetCallerIdentity' }),
    event({ eventName: 'ListUsers', errorCode: 'AccessDenied' }),
  ]);
  await ingestCloudTrail([root], { dbPath: db, threads: 0 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    readFile: async () => '',
    writeFile: async () => {},
    color: false,
  };
  return io;
}

describe('the events view', () => {
  it('has the documented columns, in order', async () => {
    const r = await ActivityDb.openReadOnly(db);
    const q = await r.query('SELECT * FROM events LIMIT 0');
    r.close();
    expect(q.columns.map((c) => c.name)).toEqual(EVENT_COLUMNS.map((c) => c.name));
    expect(Object.fromEntries(q.columns.map((c) => [c.name, c.type]))).toMatchObject({
      event_time: 'TIMESTAMP',
      mfa_authenticated: 'BOOLEAN',
      read_only: 'BOOLEAN',
      request_parameters: 'JSON',
      raw: 'JSON',
    });
  });
});

describe('leastpriv trail query', () => {
  it('prints JSON as an array of row objects, BIGINT as numbers', async () => {
    const io = captureIO();
    const code = await trailQueryCommand(
      'SELECT event_name, count(*) AS n FROM events GROUP BY event_name ORDER BY event_name',
      { db, format: 'json' },
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.out)).toEqual([
      { event_name: 'GetCallerIdentity', n: 1 },
      { event_name: 'ListUsers', n: 1 },
    ]);
  });

  it('neutralises spreadsheet formulas in CSV', async () => {
    const io = captureIO();
    await trailQueryCommand(
      "SELECT user_agent FROM events WHERE event_name = 'GetCallerIdentity'",
      { db, format: 'csv' },
      io,
    );
    expect(io.out).toBe('user_agent\r\n"\'=HYPERLINK(""http://evil"")"\r\n');
  });

  it('prints a table with a row count', async () => {
    const io = captureIO();
    await trailQueryCommand('SELECT event_name, error_code FROM events ORDER BY event_name', { db }, io);
    expect(io.out.split('\n')).toEqual([
      'event_name         error_code',
      'GetCallerIdentity',
      'ListUsers          AccessDenied',
      '2 rows',
      '',
    ]);
  });

  // User SQL must not read or write files: https://duckdb.org/docs/stable/operations_manual/securing_duckdb/overview
  it.each([
    ['COPY … TO writes a file', () => `COPY (SELECT * FROM events) TO '${join(root, 'out.csv')}'`],
    ['read_csv reads a file', () => "SELECT * FROM read_csv('/etc/passwd')"],
    ['read_text reads a file', () => "SELECT * FROM read_text('/etc/hostname')"],
    ['ATTACH opens another database', () => `ATTACH '${join(root, 'other.duckdb')}' AS other`],
    ['INSTALL fetches an extension', () => 'INSTALL httpfs'],
    ['SET re-enables external access', () => 'SET enable_external_access = true'],
    ['writes are refused (read-only)', () => 'DELETE FROM cloudtrail_events'],
  ])('refuses: %s', async (_label, sql) => {
    const io = captureIO();
    const code = await trailQueryCommand(sql(), { db, format: 'json' }, io);
    expect(code).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toMatch(/^leastpriv trail query: /);
    expect(existsSync(join(root, 'out.csv'))).toBe(false);
    expect(existsSync(join(root, 'other.duckdb'))).toBe(false);
  });

  it('reports a syntax error as one line, exit 2', async () => {
    const io = captureIO();
    expect(await trailQueryCommand('SELEC 1', { db }, io)).toBe(2);
    expect(io.err).toMatch(/^leastpriv trail query: .*syntax error at or near "SELEC"[^\n]*\n$/);
  });

  it('runs one statement at a time', async () => {
    await expect(
      trailQueryCommand('SELECT 1; SELECT 2', { db, format: 'json' }, captureIO()),
    ).rejects.toThrow(UsageError);
  });

  it('says when there is no database yet', async () => {
    const io = captureIO();
    const code = await trailQueryCommand('SELECT 1', { db: join(root, 'missing.duckdb') }, io);
    expect(code).toBe(2);
    expect(io.err).toMatch(/no activity database at .*missing\.duckdb: run leastpriv trail ingest first/);
    expect(existsSync(join(root, 'missing.duckdb'))).toBe(false);
  });
});
