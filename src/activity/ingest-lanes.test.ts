import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { event, queryRows, tempDir, writeRecordsGz } from '../../test/activity/fixtures.js';
import { ingestCloudTrail } from './ingest.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Files whose events repeat across files far apart (so the copies land in batches that two DuckDB
 * connections store at once, in transactions that cannot see each other) and one UPDATED_DATA
 * re-delivery of an event stored earlier.
 */
function corpus(root: string): { files: string[]; unique: number; repeats: number } {
  const originals = Array.from({ length: 60 }, () => event());
  // Stored from one file and re-delivered with an addendum in the next, whose batch another
  // connection may store while the first has not committed.
  const first = event();
  const updated = {
    ...first,
    sourceIPAddress: '203.0.113.9',
    addendum: { reason: 'UPDATED_DATA', updatedFields: 'sourceIPAddress' },
  };
  const files: string[] = [];
  let repeats = 0;
  for (let f = 0; f < 12; f++) {
    const own = Array.from({ length: 40 }, () => event());
    const copies = originals.filter((_, k) => k % 12 === (f * 5) % 12);
    if (f > 0) repeats += copies.length;
    const records = f === 0 ? [...originals, ...own] : [...own, ...copies];
    if (f === 5) records.push(first);
    if (f === 6) records.push(updated);
    files.push(writeRecordsGz(join(root, 'in', `${String(f).padStart(2, '0')}.json.gz`), records));
  }
  return { files, unique: 60 + 12 * 40 + 1, repeats };
}

describe('ingest stores batches on two DuckDB connections at once', () => {
  it.each([
    ['one connection', 1],
    ['two connections', 2],
  ])('%s: each event once, the addendum replacing its original', async (_label, connections) => {
    const root = tempDir();
    dirs.push(root);
    const { files, unique, repeats } = corpus(root);
    const db = join(root, 'a.duckdb');
    const report = await ingestCloudTrail(files, {
      dbPath: db,
      threads: 2,
      batchEvents: 50,
      duckdbConnections: connections,
    });
    expect(report).toMatchObject({
      eventsIngested: unique,
      duplicates: repeats,
      replacedByAddendum: 1,
      rejected: [],
    });
    expect(await queryRows(db, 'SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events')).toEqual([
      { n: unique, d: unique },
    ]);
    expect(await queryRows(db, "SELECT count(*) AS n FROM events WHERE source_ip = '203.0.113.9'")).toEqual([
      { n: 1 },
    ]);
    const again = await ingestCloudTrail(files, { dbPath: db, threads: 2, duckdbConnections: connections });
    expect(again).toMatchObject({ filesUnchanged: files.length, eventsRead: 0, eventsIngested: 0 });
  });
});
