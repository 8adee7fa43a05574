import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from './ingest.js';
import { prepareFile } from './prepare.js';
import { EVENT_COLUMNS } from './schema.js';
import { BIG_EVENT_BYTES, encodeEvents, eventKeys } from './stage-format.js';
import { ActivityDb } from './store.js';

// Staging records are CSV lines for DuckDB's reader (U+001F between values, raw and JSON values
// quoted with U+001C), and events above BIG_EVENT_BYTES go to a U+001D-separated file instead:
// these cases cross those boundaries and check every value comes back exactly.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'leastpriv-stage-'));
  dirs.push(d);
  return d;
}

let counter = 0;
function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
    eventTime: '2026-10-01T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    userAgent: 'aws-cli/2.0',
    requestParameters: { n: counter },
    eventID: `stage-${counter}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    ...overrides,
  };
}

interface Row {
  event_id: string;
  user_agent: string | null;
  error_message: string | null;
  event_name: string | null;
  request_parameters: unknown;
  raw: string;
}

async function stored(db: string): Promise<Map<string, Row>> {
  const r = await ActivityDb.openReadOnly(db);
  try {
    const result = await r.query(
      'SELECT event_id, user_agent, error_message, event_name, request_parameters, CAST(raw AS VARCHAR) AS raw FROM events',
    );
    return new Map(result.rows.map((row) => [String(row.event_id), row as unknown as Row]));
  } finally {
    r.close();
  }
}

describe('staging keeps every value exact', () => {
  it.each([
    ['a line feed', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['CRLF at the end', 'ab\r\n'],
    ['the CSV quote U+001C', 'a\u001cb'],
    ['a lone U+001C', '\u001c'],
  ])('a text value holding %s', async (_label, text) => {
    const root = dir();
    const e = event({
      userAgent: text,
      errorMessage: text,
      eventName: text,
      requestParameters: { note: text },
    });
    const other = event();
    const file = join(root, 'a.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify({ Records: [e, other] })));
    const db = join(root, 'a.duckdb');
    const report = await ingestCloudTrail([file], { dbPath: db, threads: 0 });
    expect(report).toMatchObject({ eventsIngested: 2, rejected: [] });
    const rows = await stored(db);
    const row = rows.get(String(e.eventID))!;
    expect(row).toMatchObject({ user_agent: text, error_message: text, event_name: text });
    expect(row.request_parameters).toEqual({ note: text });
    expect(row.raw).toBe(JSON.stringify(e));
    expect(rows.get(String(other.eventID))!.raw).toBe(JSON.stringify(other));
  });

  it('an eventID holding a line break, and one that is a number', async () => {
    const root = dir();
    const events = [event({ eventID: 'id\r\nwith\nbreaks' }), event({ eventID: 12345 }), event()];
    const file = join(root, 'a.json');
    writeFileSync(file, JSON.stringify({ Records: [...events, events[0]] }));
    const db = join(root, 'a.duckdb');
    const report = await ingestCloudTrail([file], { dbPath: db, threads: 0 });
    expect(report).toMatchObject({ eventsRead: 4, eventsIngested: 3, duplicates: 1, rejected: [] });
    const rows = await stored(db);
    expect([...rows.keys()].sort()).toEqual(
      ['12345', 'id\r\nwith\nbreaks', String(events[2]!.eventID)].sort(),
    );
    expect(rows.get('id\r\nwith\nbreaks')!.raw).toBe(JSON.stringify(events[0]));
  });

  it('a pretty-printed file with CRLF line ends: raw events byte for byte, JSON values as delivered', async () => {
    const root = dir();
    const events = [event({ requestParameters: { a: [1, 2], b: { c: 'x' } } }), event()];
    const text = JSON.stringify({ Records: events }, null, 2).replace(/\n/g, '\r\n');
    const file = join(root, 'pretty.json');
    writeFileSync(file, text);
    const db = join(root, 'a.duckdb');
    const report = await ingestCloudTrail([file], { dbPath: db, threads: 2 });
    expect(report).toMatchObject({ eventsIngested: 2, rejected: [] });
    const rows = await stored(db);
    for (const e of events) {
      const row = rows.get(String(e.eventID))!;
      expect(JSON.parse(row.raw)).toEqual(e);
      expect(text).toContain(row.raw);
      expect(row.raw).toContain('\r\n');
      expect(row.request_parameters).toEqual(e.requestParameters);
    }
  });

  it('an event above BIG_EVENT_BYTES beside small ones, and its duplicate in another file', async () => {
    const root = dir();
    // Random text: a repeated character would trip the decompression-bomb ratio.
    const blob = randomBytes(BIG_EVENT_BYTES / 2 + 10).toString('hex');
    const big = event({ requestParameters: { blob }, userAgent: 'big\nagent' });
    const small = [event(), event({ errorMessage: 'line\nbreak' })];
    const first = join(root, '1.json.gz');
    const second = join(root, '2.json.gz');
    writeFileSync(first, gzipSync(JSON.stringify({ Records: [small[0], big, small[1]] })));
    writeFileSync(second, gzipSync(JSON.stringify({ Records: [big, event()] })));
    const staged = await prepareFile(first, 1, root);
    expect(staged).toMatchObject({ ok: true, count: 3, bigPath: join(root, '1.big') });
    const db = join(root, 'a.duckdb');
    const report = await ingestCloudTrail([first, second], { dbPath: db, threads: 2 });
    expect(report).toMatchObject({ eventsRead: 5, eventsIngested: 4, duplicates: 1, rejected: [] });
    const rows = await stored(db);
    expect(rows.size).toBe(4);
    const row = rows.get(String(big.eventID))!;
    expect(row.raw).toBe(JSON.stringify(big));
    expect(row.user_agent).toBe('big\nagent');
    expect(row.request_parameters).toEqual(big.requestParameters);
    expect(rows.get(String(small[1]!.eventID))!.error_message).toBe('line\nbreak');
  });

  // New databases store each raw event as a template with the long values cut out (schema.ts
  // RawLayout); the view splices them back at character offsets.
  it.each([
    [
      'non-ASCII text before and inside cut values',
      { eventName: 'Ünïcode✓🚀', userAgent: 'naïve/1.0 ✓ 🚀', requestParameters: { k: 'é' } },
    ],
    ['empty strings', { userAgent: '', userIdentity: { type: 'IAMUser', arn: '', principalId: '' } }],
    [
      'keys out of the usual order',
      { userAgent: 'ua-first', eventID: 'first', userIdentity: { arn: 'a', type: 'T' } },
    ],
    [
      'a duplicate key (the last wins)',
      null,
      '{"eventID":"dup-1","userAgent":"old","eventTime":"2026-10-01T10:00:00Z","userAgent":"new","requestParameters":{"x":1},"requestParameters":null}',
    ],
    [
      'escaped and null values (kept in the template)',
      { userAgent: 'tab\there', responseElements: null, errorMessage: 'x"y' },
    ],
    [
      'JSON values of every kind',
      { requestParameters: [1, 'two', { three: 3 }], responseElements: 'text', resources: [] },
    ],
  ])('raw comes back byte for byte: %s', async (_label, overrides, text?: string) => {
    const root = dir();
    const raw = text ?? JSON.stringify(event(overrides ?? {}));
    const other = event();
    const file = join(root, 'a.json');
    writeFileSync(file, `{"Records":[${raw},${JSON.stringify(other)}]}`);
    const db = join(root, 'a.duckdb');
    const report = await ingestCloudTrail([file], { dbPath: db, threads: 0 });
    expect(report).toMatchObject({ eventsIngested: 2, rejected: [] });
    const rows = await stored(db);
    const id = String((JSON.parse(raw) as { eventID: unknown }).eventID);
    expect(rows.get(id)!.raw).toBe(raw);
    expect(rows.get(id)!.user_agent).toBe((JSON.parse(raw) as { userAgent?: string }).userAgent ?? null);
    expect(rows.get(String(other.eventID))!.raw).toBe(JSON.stringify(other));
  });

  it('a database that stores whole raw events (schema version 1) keeps doing so', async () => {
    const root = dir();
    const db = join(root, 'old.duckdb');
    // The table as schema version 1 created it: `raw` whole, no cut offsets.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db);
    const con = await instance.connect();
    const columns = EVENT_COLUMNS.filter((c) => c.name !== 'raw')
      .map((c) => `${c.name} ${c.type === 'JSON' ? 'VARCHAR' : c.type}`)
      .join(', ');
    await con.run(`CREATE TABLE cloudtrail_events (${columns}, addendum_reason VARCHAR,
      addendum_original_event_id VARCHAR, superseded BOOLEAN NOT NULL DEFAULT false, file_id INTEGER,
      raw VARCHAR NOT NULL)`);
    con.closeSync();
    instance.closeSync();
    const events = [event({ userAgent: 'ü-agent' }), event()];
    const file = join(root, 'a.json');
    writeFileSync(file, JSON.stringify({ Records: events }));
    const report = await ingestCloudTrail([file], { dbPath: db, threads: 0 });
    expect(report).toMatchObject({ eventsIngested: 2, rejected: [] });
    const rows = await stored(db);
    for (const e of events) expect(rows.get(String(e.eventID))!.raw).toBe(JSON.stringify(e));
    const r = await ActivityDb.openReadOnly(db);
    try {
      const whole = await r.query(
        'SELECT count(*) AS n FROM cloudtrail_events WHERE raw = CAST(raw AS JSON)::VARCHAR',
      );
      expect(whole.rows[0]!.n).toBe(2);
    } finally {
      r.close();
    }
  });
});

describe('encoded event keys', () => {
  // The dedupe key of every event, as json_extract_string would give it: eventID, else eventId,
  // else `sha256:` + the hash of the raw event.
  it.each([
    ['ASCII ids', [{ eventID: 'a-1' }, { eventID: 'b-22' }, { eventID: '' }]],
    ['non-ASCII ids', [{ eventID: 'é-1' }, { eventID: 'x' }, { eventID: '日本' }]],
    ['escaped ids', [{ eventID: 'a\u0001b' }, { eventID: 'q"uote' }, { eventID: 'plain' }]],
    ['eventId and missing ids', [{ eventId: 'lower' }, {}, { eventID: 'upper', eventId: 'lower' }]],
    ['a non-string id', [{ eventID: 42 }, { eventID: 'after' }]],
  ])('%s come back in order', (_label, overrides) => {
    const events = overrides.map((o) => {
      const e = event(o);
      if (!('eventID' in o)) delete e.eventID;
      return e;
    });
    const text = JSON.stringify({ Records: events });
    const source = Buffer.from(text);
    const spans: number[] = [];
    for (const e of events) {
      const json = JSON.stringify(e);
      const at = text.indexOf(json, spans.at(-1) ?? 0);
      spans.push(Buffer.byteLength(text.slice(0, at)), Buffer.byteLength(text.slice(0, at + json.length)));
    }
    const encoded = encodeEvents(source, Uint32Array.from(spans), 1);
    const expected = events.map((e, k) => {
      const id = e.eventID ?? e.eventId;
      if (id !== undefined) return typeof id === 'string' ? id : JSON.stringify(id);
      const raw = source.subarray(spans[2 * k]!, spans[2 * k + 1]!);
      return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    });
    expect(eventKeys(encoded)).toEqual(expected);
  });
});
