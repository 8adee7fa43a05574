import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type IngestReport, ingestCloudTrail } from '../../src/activity/ingest.js';
import { ActivityDb } from '../../src/activity/store.js';
import { trailIngestCommand } from '../../src/cli/commands/trail.js';
import type { CliIO } from '../../src/cli/io.js';
import { event, s3Path, tempDir, writeFile, writeRecordsGz } from './fixtures.js';

const dirs: string[] = [];
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ingest(paths: string[], db: string, threads = 0, extra = {}): Promise<IngestReport> {
  return ingestCloudTrail(paths, { dbPath: db, threads, ...extra });
}

async function ids(db: string): Promise<string[]> {
  const r = await ActivityDb.openReadOnly(db);
  try {
    const q = await r.query('SELECT event_id FROM events ORDER BY event_id');
    return q.rows.map((row) => String(row.event_id));
  } finally {
    r.close();
  }
}

function balanced(r: IngestReport): void {
  expect(r.filesIngested + r.filesUnchanged + r.filesDigest + r.rejected.length).toBe(r.filesFound);
  expect(
    r.eventsIngested + r.duplicates + r.replacedByAddendum + r.skippedInsights + r.skippedAggregated,
  ).toBe(r.eventsRead);
}

describe('ingest formats', () => {
  it.each([
    [
      'Records in .json.gz (S3 layout)',
      'records.json.gz',
      (es: object[]) => gzipSync(JSON.stringify({ Records: es })),
    ],
    ['Records in plain .json', 'records.json', (es: object[]) => JSON.stringify({ Records: es }, null, 2)],
    ['a JSON array of events', 'array.json', (es: object[]) => JSON.stringify(es)],
    ['JSON lines', 'events.jsonl', (es: object[]) => es.map((e) => JSON.stringify(e)).join('\n')],
    [
      'aws cloudtrail lookup-events output',
      'lookup.json',
      (es: object[]) =>
        JSON.stringify({
          Events: es.map((e) => ({
            EventId: (e as { eventID: string }).eventID,
            CloudTrailEvent: JSON.stringify(e),
          })),
        }),
    ],
  ])('reads %s', async (_label, name, encode) => {
    const root = dir();
    const events = [event(), event({ eventName: 'RunInstances', readOnly: false })];
    const file = writeFile(join(root, name), encode(events));
    const db = join(root, 'a.duckdb');
    const report = await ingest([file], db);
    expect(report.eventsIngested).toBe(2);
    expect(report.rejected).toEqual([]);
    const r = await ActivityDb.openReadOnly(db);
    const rows = await r.query(
      'SELECT event_name, event_time, read_only, identity_arn, raw FROM events ORDER BY event_name',
    );
    r.close();
    expect(rows.rows.map((x) => x.event_name)).toEqual(['DescribeInstances', 'RunInstances']);
    expect(rows.rows[0]!.event_time).toBe('2026-10-01T10:00:00Z');
    expect(rows.rows[0]!.read_only).toBe(true);
    expect(rows.rows[0]!.identity_arn).toBe('arn:aws:iam::111122223333:user/alice');
    // The raw event keeps every field, even ones without a column.
    expect((rows.rows[0]!.raw as Record<string, unknown>).managementEvent).toBe(true);
  });

  it('reads a folder in the organization S3 layout through worker threads', async () => {
    const root = dir();
    writeRecordsGz(s3Path(root, '111122223333', 'a.json.gz', 'o-abc123'), [event(), event()]);
    writeRecordsGz(s3Path(root, '444455556666', 'b.json.gz', 'o-abc123'), [event()]);
    const report = await ingest([root], join(root, 'db', 'a.duckdb'), 2);
    expect(report).toMatchObject({ filesFound: 2, filesIngested: 2, eventsIngested: 3 });
  });

  it('converts an event time with an offset to UTC', async () => {
    const root = dir();
    const file = writeFile(
      join(root, 'x.json'),
      JSON.stringify(event({ eventTime: '2026-10-01T12:00:00+02:00' })),
    );
    const db = join(root, 'a.duckdb');
    await ingest([file], db);
    const r = await ActivityDb.openReadOnly(db);
    const q = await r.query('SELECT event_time FROM events');
    r.close();
    expect(q.rows[0]!.event_time).toBe('2026-10-01T10:00:00Z');
  });
});

describe('exactly once', () => {
  it('stores an event delivered in two files once, and counts the duplicate', async () => {
    const root = dir();
    const shared = event();
    writeRecordsGz(join(root, 'a.json.gz'), [shared, event()]);
    writeRecordsGz(join(root, 'b.json.gz'), [event(), shared]);
    const report = await ingest([root], join(root, 'a.duckdb'));
    expect(report).toMatchObject({ eventsRead: 4, eventsIngested: 3, duplicates: 1 });
    balanced(report);
  });

  it('removes duplicates within one file and across batches', async () => {
    const root = dir();
    const a = event();
    const b = event();
    writeRecordsGz(join(root, '1.json.gz'), [a, a, b]);
    writeRecordsGz(join(root, '2.json.gz'), [b, event()]);
    const report = await ingest([root], join(root, 'a.duckdb'), 0, { batchEvents: 1 });
    expect(report).toMatchObject({ eventsRead: 5, eventsIngested: 3, duplicates: 2 });
  });

  it('stores events seen by both an organization trail and an account trail once', async () => {
    const root = dir();
    const events = [event(), event(), event()];
    writeRecordsGz(s3Path(root, '111122223333', 'org.json.gz', 'o-abc123'), events);
    // The account's own trail delivers the same events in different files (different bytes).
    writeRecordsGz(s3Path(root, '111122223333', 'own-1.json.gz'), [events[2]!, events[0]!]);
    writeRecordsGz(s3Path(root, '111122223333', 'own-2.json.gz'), [events[1]!, event()]);
    const db = join(root, 'a.duckdb');
    const report = await ingest([root], db);
    expect(report).toMatchObject({ filesIngested: 3, eventsRead: 7, eventsIngested: 4, duplicates: 3 });
    expect(await ids(db)).toHaveLength(4);
  });

  it('does not read the same file twice, nor a copy of it under another name', async () => {
    const root = dir();
    const file = writeRecordsGz(join(root, 'a.json.gz'), [event(), event()]);
    const db = join(root, 'a.duckdb');
    const first = await ingest([file], db);
    expect(first.eventsIngested).toBe(2);
    const again = await ingest([file], db);
    expect(again).toMatchObject({ filesFound: 1, filesUnchanged: 1, filesIngested: 0, eventsRead: 0 });
    const copy = writeFile(join(root, 'copy.json.gz'), gzipSync(''));
    rmSync(copy);
    const { copyFileSync } = await import('node:fs');
    copyFileSync(file, join(root, 'copy.json.gz'));
    const copied = await ingest([join(root, 'copy.json.gz')], db);
    expect(copied).toMatchObject({ filesUnchanged: 1, eventsRead: 0 });
    // And the copy is in the ledger now: a third run over both reads nothing.
    const third = await ingest([root], db);
    expect(third).toMatchObject({ filesFound: 2, filesUnchanged: 2, eventsRead: 0 });
    expect(await ids(db)).toHaveLength(2);
  });
});

// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// (addendum: reason DELIVERY_DELAY | UPDATED_DATA | SERVICE_OUTAGE; updatedFields, originalRequestID and
// originalEventID only for UPDATED_DATA)
describe('addendum re-deliveries', () => {
  it('replaces the stored copy when the same eventID comes back with an UPDATED_DATA addendum', async () => {
    const root = dir();
    const original = event({ sourceIPAddress: '198.51.100.1' });
    writeRecordsGz(join(root, '1.json.gz'), [original]);
    const db = join(root, 'a.duckdb');
    await ingest([join(root, '1.json.gz')], db);
    const updated = {
      ...original,
      sourceIPAddress: '203.0.113.9',
      addendum: {
        reason: 'UPDATED_DATA',
        updatedFields: 'sourceIPAddress',
        originalEventID: original.eventID,
      },
    };
    writeRecordsGz(join(root, '2.json.gz'), [updated]);
    const report = await ingest([join(root, '2.json.gz')], db);
    expect(report).toMatchObject({ eventsRead: 1, replacedByAddendum: 1, eventsIngested: 0, duplicates: 0 });
    const r = await ActivityDb.openReadOnly(db);
    const q = await r.query('SELECT source_ip FROM events');
    r.close();
    expect(q.rows).toEqual([{ source_ip: '203.0.113.9' }]);
  });

  it.each([
    ['original first', true],
    ['correction first', false],
  ])(
    'hides the original when an UPDATED_DATA addendum with a new eventID names it (%s)',
    async (_l, originalFirst) => {
      const root = dir();
      const original = event({ errorCode: 'X' });
      const correction = event({
        addendum: { reason: 'UPDATED_DATA', updatedFields: 'errorCode', originalEventID: original.eventID },
      });
      const db = join(root, 'a.duckdb');
      const [first, second] = originalFirst ? [original, correction] : [correction, original];
      writeRecordsGz(join(root, '1.json.gz'), [first!]);
      writeRecordsGz(join(root, '2.json.gz'), [second!]);
      await ingest([join(root, '1.json.gz')], db);
      await ingest([join(root, '2.json.gz')], db);
      expect(await ids(db)).toEqual([String(correction.eventID)]);
    },
  );

  it('keeps a delayed delivery (DELIVERY_DELAY) as an ordinary event', async () => {
    const root = dir();
    const late = event({ addendum: { reason: 'DELIVERY_DELAY' } });
    writeRecordsGz(join(root, '1.json.gz'), [late]);
    const report = await ingest([root], join(root, 'a.duckdb'));
    expect(report.eventsIngested).toBe(1);
  });
});

describe('what is not an event is counted, never a crash', () => {
  it('skips digest files (by folder and by shape), Insights events and aggregated events', async () => {
    const root = dir();
    const digest = {
      awsAccountId: '111122223333',
      digestStartTime: '2026-10-01T00:00:00Z',
      digestEndTime: '2026-10-01T01:00:00Z',
      digestS3Bucket: 'b',
      logFiles: [],
    };
    writeFile(
      join(
        root,
        'AWSLogs',
        '111122223333',
        'CloudTrail-Digest',
        'eu-west-1',
        '2026',
        '10',
        '01',
        'd.json.gz',
      ),
      gzipSync(JSON.stringify(digest)),
    );
    writeFile(join(root, 'elsewhere', 'digest.json.gz'), gzipSync(JSON.stringify(digest)));
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-fields.html
    const insight = event({
      eventType: 'AwsCloudTrailInsight',
      eventCategory: 'Insight',
      insightDetails: {},
    });
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aggregated-events.html
    const aggregated = {
      eventVersion: '1.0',
      accountId: '111122223333',
      eventId: 'agg-1',
      eventCategory: 'Aggregated',
      eventType: 'AwsAggregatedEvent',
      awsRegion: 'eu-west-1',
      eventSource: 's3.amazonaws.com',
    };
    writeRecordsGz(join(root, 'events.json.gz'), [event(), insight, aggregated]);
    const report = await ingest([root], join(root, 'a.duckdb'));
    expect(report).toMatchObject({
      filesFound: 3,
      filesDigest: 2,
      filesIngested: 1,
      eventsRead: 3,
      eventsIngested: 1,
      skippedInsights: 1,
      skippedAggregated: 1,
    });
    balanced(report);
  });
});

describe('bad files', () => {
  it('rejects each bad file by name with its reason and ingests the others', async () => {
    const root = dir();
    const good = writeRecordsGz(join(root, 'good.json.gz'), [event(), event()]);
    const full = gzipSync(JSON.stringify({ Records: [event(), event()] }));
    const truncated = writeFile(join(root, 'truncated.json.gz'), full.subarray(0, full.length - 20));
    const cut = writeFile(join(root, 'cut.json'), JSON.stringify({ Records: [event()] }).slice(0, -10));
    const badToken = writeFile(
      join(root, 'bad-token.json'),
      `{"Records":[${JSON.stringify(event())},{"eventID":"x","a":tru}]}`,
    );
    const notTrail = writeFile(join(root, 'not-trail.json'), JSON.stringify({ hello: 'world' }));
    const bomb = writeFile(join(root, 'bomb.json.gz'), gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)));
    // Latin-1 é (0xe9) is not UTF-8; the same text in UTF-8 (not ASCII) is read.
    const latin1 = writeFile(
      join(root, 'latin1.json'),
      Buffer.from(JSON.stringify({ Records: [event({ userAgent: 'café' })] }), 'latin1'),
    );
    const utf8 = writeFile(
      join(root, 'utf8.json'),
      JSON.stringify({ Records: [event({ userAgent: 'café' })] }),
    );
    const folderNamedJson = join(root, 'folder.json');
    writeFile(join(folderNamedJson, 'inner.txt'), 'x');
    const dangling = join(root, 'dangling.json');
    symlinkSync(join(root, 'nowhere.json'), dangling);
    const db = join(root, 'a.duckdb');
    const report = await ingest(
      [good, truncated, cut, badToken, notTrail, bomb, latin1, utf8, folderNamedJson, dangling],
      db,
      0,
      { limits: { maxBytes: 1024 ** 3, maxRatio: 200 } },
    );
    const reasons = new Map(report.rejected.map((r) => [r.path, r.reason]));
    expect(reasons.get(truncated)).toMatch(/truncated gzip/);
    expect(reasons.get(cut)).toMatch(/truncated|unexpected end/);
    expect(reasons.get(badToken)).toMatch(/malformed JSON in event 2/);
    expect(reasons.get(notTrail)).toMatch(/not a CloudTrail log/);
    expect(reasons.get(bomb)).toMatch(/decompression bomb/);
    expect(reasons.get(latin1)).toMatch(/not UTF-8/);
    expect(reasons.has(utf8)).toBe(false);
    expect(reasons.get(dangling)).toMatch(/no such file/);
    expect(report.eventsIngested).toBe(3);
    expect(report.filesIngested).toBe(2);
    // The bad-token file's valid first event is not kept: a file is ingested whole or not at all.
    expect(await ids(db)).toHaveLength(3);
    // A rejected file is not in the ledger: once fixed, it is read.
    writeFile(badToken, JSON.stringify({ Records: [event()] }));
    const again = await ingest([badToken], db);
    expect(again.eventsIngested).toBe(1);
  });
});

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

describe('leastpriv trail ingest', () => {
  it('ends with a line where files and events balance', async () => {
    const root = dir();
    const shared = event();
    writeRecordsGz(join(root, 'a.json.gz'), [shared, event(), event({ eventType: 'AwsCloudTrailInsight' })]);
    writeRecordsGz(join(root, 'b.json.gz'), [shared]);
    writeFile(join(root, 'c.json'), '{"Records": [');
    const io = captureIO();
    const code = await trailIngestCommand([root], { db: join(root, 'a.duckdb'), progress: false }, io);
    expect(code).toBe(2);
    expect(io.err).toContain(`${join(root, 'c.json')}: unexpected end of data (truncated file?) (skipped)`);
    const line = io.out.trim().split('\n').at(-1)!;
    expect(line).toMatch(
      /^3 files: 2 ingested, 0 unchanged, 0 digest, 1 rejected; 4 events: 2 ingested, 1 duplicates, 0 replaced by addendum, skipped 1 Insights \+ 0 aggregated; /,
    );
  });

  /** A child process that stays alive until killed, and its pid once it runs. */
  async function liveProcess(code = 'setTimeout(() => {}, 60000); process.stdout.write("ready\\n");') {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (c) => reject(new Error(`helper process exited (${c})`)));
    });
    return child;
  }

  it('tells a second writer that another ingest is running, naming the holder and the lock file', async () => {
    const root = dir();
    const db = join(root, 'locked.duckdb');
    const holder = await liveProcess();
    try {
      const lock = `${db}.ingest-lock`;
      writeFile(
        lock,
        JSON.stringify({ pid: holder.pid, host: hostname(), started: '2026-11-22T10:00:00.000Z' }),
      );
      const file = writeRecordsGz(join(root, 'a.json.gz'), [event()]);
      const io = captureIO();
      const code = await trailIngestCommand([file], { db, progress: false }, io);
      expect(code).toBe(2);
      expect(io.err).toBe(
        `leastpriv trail ingest: another ingest is running (database ${db} is locked by process ${holder.pid} on ${hostname()} since 2026-11-22T10:00:00.000Z; if no ingest is running, delete ${lock})\n`,
      );
      expect(io.out).toBe('');
      // Nothing was written: the database was never opened.
      expect(existsSync(db)).toBe(false);
      expect(existsSync(lock)).toBe(true);
    } finally {
      holder.kill();
    }
  });

  it('two ingests of one database at once: one stores, the other is told the database is locked', async () => {
    const root = dir();
    const db = join(root, 'race.duckdb');
    const file = writeRecordsGz(join(root, 'a.json.gz'), [event(), event()]);
    const ios = [captureIO(), captureIO()];
    const codes = await Promise.all(
      ios.map((io) => trailIngestCommand([file], { db, progress: false, threads: 0 }, io)),
    );
    expect([...codes].sort()).toEqual([0, 2]);
    const loser = ios[codes.indexOf(2)]!;
    expect(loser.err).toMatch(
      /^leastpriv trail ingest: another ingest is running \(database .* is locked by process \d+ on /,
    );
    expect(await ids(db)).toHaveLength(2);
    // The winner released its lock: the next run goes ahead (and finds nothing new).
    expect(existsSync(`${db}.ingest-lock`)).toBe(false);
    const again = captureIO();
    expect(await trailIngestCommand([file], { db, progress: false, threads: 0 }, again)).toBe(0);
    expect(again.out).toMatch(/^1 files: 0 ingested, 1 unchanged/);
  });

  it('takes over a lock left by an ingest that died', async () => {
    const root = dir();
    const db = join(root, 'stale.duckdb');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFile(
      `${db}.ingest-lock`,
      JSON.stringify({ pid: dead.pid, host: hostname(), started: '2026-01-01T00:00:00Z' }),
    );
    const file = writeRecordsGz(join(root, 'a.json.gz'), [event()]);
    const io = captureIO();
    expect(await trailIngestCommand([file], { db, progress: false, threads: 0 }, io)).toBe(0);
    expect(await ids(db)).toHaveLength(1);
    expect(existsSync(`${db}.ingest-lock`)).toBe(false);
  });

  it("maps DuckDB's own file lock (a process holding the database outside leastpriv) to the same message", async (ctx) => {
    const root = dir();
    const db = join(root, 'held.duckdb');
    const holder = await liveProcess(
      `import { DuckDBInstance } from '@duckdb/node-api';
       const i = await DuckDBInstance.create(${JSON.stringify(db)});
       const c = await i.connect(); await c.run('CREATE TABLE t (x INTEGER)');
       process.stdout.write('ready\\n'); setTimeout(() => {}, 60000);`,
    );
    try {
      // DuckDB locks with fcntl, which some sandboxed and network file systems do not enforce between
      // processes; there this second line of defence cannot work and the lock file above is the lock.
      const probe = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { DuckDBInstance } from '@duckdb/node-api';
           try { (await DuckDBInstance.create(${JSON.stringify(db)})).closeSync(); process.exit(3); } catch { process.exit(0); }`,
        ],
        { cwd: process.cwd() },
      );
      if (probe.status === 3) ctx.skip();
      const file = writeRecordsGz(join(root, 'a.json.gz'), [event()]);
      const io = captureIO();
      const code = await trailIngestCommand([file], { db, progress: false }, io);
      expect(code).toBe(2);
      expect(io.err).toBe(`leastpriv trail ingest: another ingest is running (database ${db} is locked)\n`);
      expect(existsSync(`${db}.ingest-lock`)).toBe(false);
    } finally {
      holder.kill();
    }
  });
});
