import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { type IngestOptions, type IngestReport, ingestCloudTrail } from '../../src/activity/ingest.js';
import { event, queryRows, tempDir, writeFile, writeRecordsGz } from './fixtures.js';

const dirs: string[] = [];
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ingest(
  paths: string[],
  db: string,
  extra: Partial<IngestOptions> = {},
): Promise<IngestReport> {
  return ingestCloudTrail(paths, { dbPath: db, threads: 0, ...extra });
}

describe('text values are stored exactly, whatever they hold', () => {
  // The staging records separate values with U+001D..U+001F; JSON escapes them, and an event whose
  // text holds one takes the JSON path in DuckDB instead.
  it.each([
    ['plain ASCII', 'aws-cli/2.15.0 Python/3.11'],
    ['accents, CJK and an emoji', 'café 東京 🚀'],
    ['the unit separator', 'a\u001fb'],
    ['the record separator', 'a\u001eb'],
    ['the group separator', 'a\u001db'],
    ['a NUL character', 'a\u0000b'],
    ['quotes and backslashes', 'say "hi" \\ C:\\path'],
    ['an empty string', ''],
    ['a long string', 'x'.repeat(100_000)],
  ])('%s', async (_label, text) => {
    const root = dir();
    const e = event({ userAgent: text, errorMessage: text, requestParameters: { note: text } });
    const file = writeRecordsGz(join(root, 'a.json.gz'), [e, event()]);
    const db = join(root, 'a.duckdb');
    const report = await ingest([file], db, { threads: 2 });
    expect(report).toMatchObject({ eventsIngested: 2, rejected: [] });
    const rows = await queryRows(
      db,
      `SELECT user_agent, error_message, request_parameters, CAST(raw AS VARCHAR) AS raw, event_name
       FROM events WHERE event_id = '${String(e.eventID)}'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_agent).toBe(text);
    expect(rows[0]!.error_message).toBe(text);
    expect(rows[0]!.request_parameters).toEqual({ note: text });
    expect(rows[0]!.event_name).toBe('DescribeInstances');
    // The raw event is the delivered text, byte for byte.
    expect(rows[0]!.raw).toBe(JSON.stringify(e));
  });

  it('keys an event by an eventID holding a separator, and by the hash of its text without one', async () => {
    const root = dir();
    const odd = event({ eventID: 'id\u001fwith\u001eseparators' });
    const anonymous = event();
    delete anonymous.eventID;
    const file = writeRecordsGz(join(root, 'a.json.gz'), [odd, odd, anonymous, anonymous]);
    const db = join(root, 'a.duckdb');
    const report = await ingest([file], db);
    expect(report).toMatchObject({ eventsRead: 4, eventsIngested: 2, duplicates: 2 });
    const rows = await queryRows(db, 'SELECT event_id FROM events ORDER BY event_id');
    const { createHash } = await import('node:crypto');
    const hash = `sha256:${createHash('sha256').update(JSON.stringify(anonymous)).digest('hex')}`;
    expect(rows.map((r) => r.event_id).sort()).toEqual([odd.eventID, hash].sort());
  });
});

describe('typed columns read values as DuckDB casts them', () => {
  // The worker converts times and booleans itself; DuckDB's own casts (what ingest used before) are
  // the oracle: CAST(TRY_CAST(text AS TIMESTAMPTZ) AS TIMESTAMP) in UTC, TRY_CAST(text AS BOOLEAN).
  const times: unknown[] = [
    '2026-10-01T10:00:00Z',
    '2026-10-01T10:00:00.123456Z',
    '2026-10-01T10:00:00.123456789Z',
    '2026-10-01T12:00:00+02:00',
    '2026-10-01T12:00:00+0200',
    '2026-10-01T12:00:00+02',
    '2026-10-01T08:00:00-02:00',
    '2026-10-01 10:00:00',
    '2026-10-01T10:00',
    '2026-10-01',
    '2024-02-29T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-10-01T24:00:00Z',
    '2026-10-01T10:00:60Z',
    '2026-13-01T00:00:00Z',
    '2026-10-01t10:00:00z',
    'yesterday',
    '',
    1790000000,
    null,
  ];
  const booleans: unknown[] = [
    true,
    false,
    'true',
    'false',
    'TRUE',
    't',
    'f',
    '1',
    '0',
    'yes',
    'no',
    'y',
    'n',
    'on',
    ' true',
    '',
    1,
    0,
    2,
    null,
  ];

  it('for event times and booleans', async () => {
    const root = dir();
    const events = times.map((t, k) =>
      event({
        eventTime: t,
        readOnly: booleans[k % booleans.length],
        userIdentity: {
          type: 'AssumedRole',
          sessionContext: { attributes: { mfaAuthenticated: booleans[(k + 7) % booleans.length] } },
        },
      }),
    );
    const file = writeRecordsGz(join(root, 'a.json.gz'), events);
    const db = join(root, 'a.duckdb');
    await ingest([file], db);
    const stored = await queryRows(
      db,
      'SELECT event_id, CAST(event_time AS VARCHAR) AS t, read_only, mfa_authenticated FROM events',
    );
    const byId = new Map(stored.map((r) => [r.event_id, r]));
    const oracle = await DuckDBInstance.create(':memory:');
    const con = await oracle.connect();
    await con.run("SET TimeZone = 'UTC'");
    const cast = async (sql: string, value: unknown): Promise<unknown> => {
      const text = value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
      const prepared = await con.prepare(sql);
      if (text === null) prepared.bindNull(1);
      else prepared.bindVarchar(1, text);
      const r = await prepared.runAndReadAll();
      const v = r.getRows()[0]![0];
      return v === null ? null : typeof v === 'boolean' ? v : String(v);
    };
    for (const [k, e] of events.entries()) {
      const row = byId.get(e.eventID);
      expect(row, `event ${k}`).toBeDefined();
      const t = await cast(
        'SELECT CAST(CAST(TRY_CAST($1 AS TIMESTAMPTZ) AS TIMESTAMP) AS VARCHAR)',
        e.eventTime,
      );
      expect([k, row!.t]).toEqual([k, t]);
      expect([k, row!.read_only]).toEqual([k, await cast('SELECT TRY_CAST($1 AS BOOLEAN)', e.readOnly)]);
      const mfa = (e.userIdentity as { sessionContext: { attributes: { mfaAuthenticated: unknown } } })
        .sessionContext.attributes.mfaAuthenticated;
      expect([k, row!.mfa_authenticated]).toEqual([k, await cast('SELECT TRY_CAST($1 AS BOOLEAN)', mfa)]);
    }
    con.closeSync();
    oracle.closeSync();
  });
});

describe('exactly once with bounded memory', () => {
  // When the run's ids outgrow memory they are dropped and each batch is anti-joined against the
  // table instead: the result must be the same as with every id in memory.
  function corpus(root: string): string[] {
    const a = event();
    const b = event();
    const c = event({ sourceIPAddress: '198.51.100.7' });
    const cUpdated = {
      ...c,
      sourceIPAddress: '203.0.113.9',
      addendum: { reason: 'UPDATED_DATA', updatedFields: 'sourceIPAddress', originalEventID: c.eventID },
    };
    return [
      writeRecordsGz(join(root, 'in', '1.json.gz'), [a, b, c, event()]),
      writeRecordsGz(join(root, 'in', '2.json.gz'), [b, event(), a]),
      writeRecordsGz(join(root, 'in', '3.json.gz'), [cUpdated, event(), c]),
      writeRecordsGz(join(root, 'in', '4.json.gz'), [event(), b, cUpdated, event()]),
    ];
  }

  it.each([
    ['every id in memory, one batch', {}],
    ['one id in memory, one event per batch', { dedupeIds: 1, batchEvents: 1 }],
    ['one id in memory, two events per batch, worker threads', { dedupeIds: 1, batchEvents: 2, threads: 2 }],
  ])('%s', async (_label, extra) => {
    const root = dir();
    const files = corpus(root);
    const db = join(root, 'a.duckdb');
    const first = await ingest(files.slice(0, 2), db, extra);
    expect(first).toMatchObject({ eventsRead: 7, eventsIngested: 5, duplicates: 2 });
    const second = await ingest(files.slice(2), db, extra);
    // c's UPDATED_DATA copy replaces the stored c once; the later plain c and the second copy are repeats.
    expect(second).toMatchObject({ eventsRead: 7, eventsIngested: 3, replacedByAddendum: 1, duplicates: 3 });
    const rows = await queryRows(db, 'SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events');
    expect(rows[0]).toEqual({ n: 8, d: 8 });
    const updated = await queryRows(db, "SELECT source_ip FROM events WHERE source_ip LIKE '203.%'");
    expect(updated).toHaveLength(1);
  });

  it('removes its staging files, also when a file is rejected', async () => {
    const root = dir();
    const good = writeRecordsGz(join(root, 'in', 'good.json.gz'), [event(), event()]);
    const bad = writeFile(join(root, 'in', 'bad.json'), `{"Records":[${JSON.stringify(event())},{"a":tru}]}`);
    const report = await ingest([good, bad], join(root, 'db', 'a.duckdb'), { threads: 2 });
    expect(report.rejected.map((r) => r.path)).toEqual([bad]);
    expect(readdirSync(join(root, 'db')).filter((n) => n.startsWith('.leastpriv-ingest-'))).toEqual([]);
  });

  it('ingests many events across batches on worker threads', async () => {
    const root = dir();
    const files = [0, 1, 2].map((f) =>
      writeRecordsGz(
        join(root, 'in', `${f}.json.gz`),
        Array.from({ length: 1000 }, () => event()),
      ),
    );
    const db = join(root, 'a.duckdb');
    const report = await ingest(files, db, { threads: 2, batchEvents: 700 });
    expect(report).toMatchObject({ eventsRead: 3000, eventsIngested: 3000, duplicates: 0 });
    expect(await queryRows(db, 'SELECT count(DISTINCT event_id) AS d FROM events')).toEqual([{ d: 3000 }]);
  });
});
