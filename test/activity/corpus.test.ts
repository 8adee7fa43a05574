import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../src/activity/ingest.js';
import { ActivityDb } from '../../src/activity/store.js';
import { repoRoot } from '../support/cli.js';
import { tempDir, writeFile } from './fixtures.js';

const shared = resolve(repoRoot, '..', 'shared');
const corpus = join(shared, 'corpus', 'cloudtrail');
const haveCorpus = existsSync(corpus);
if (!haveCorpus) console.warn(`skipping CloudTrail corpus tests: ${corpus} is absent`);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ingestInto(paths: string[]) {
  const d = tempDir();
  dirs.push(d);
  const db = join(d, 'a.duckdb');
  const report = await ingestCloudTrail(paths, { dbPath: db, threads: 2 });
  const r = await ActivityDb.openReadOnly(db);
  try {
    const q = await r.query(
      'SELECT count(*) AS n, count(DISTINCT event_id) AS ids, count(event_time) AS timed, count(identity_type) AS typed FROM events',
    );
    return { report, stats: q.rows[0]!, tmp: d, db };
  } finally {
    r.close();
  }
}

describe.skipIf(!haveCorpus)('CloudTrail corpus', () => {
  it('aws-docs-examples: every documented event (Records files and single events) is ingested', async () => {
    const blocks = JSON.parse(
      readFileSync(join(corpus, 'aws-docs-examples', 'doc-examples.json'), 'utf8'),
    ) as {
      shape: string;
      document: unknown;
      eventCount: number;
    }[];
    const d = tempDir();
    dirs.push(d);
    const files = blocks.map((b, k) => writeFile(join(d, `block-${k}.json`), JSON.stringify(b.document)));
    // A document repeated on two pages is the same file content: read once, the copy is "unchanged".
    const distinct = new Map(blocks.map((b) => [JSON.stringify(b.document), b.eventCount]));
    const expected = [...distinct.values()].reduce((n, c) => n + c, 0);
    const { report } = await ingestInto(files);
    expect(report.rejected).toEqual([]);
    expect(report.filesUnchanged).toBe(blocks.length - distinct.size);
    expect(report.eventsRead).toBe(expected);
    // The Insights examples are counted and skipped; examples that reuse an eventID are one event.
    expect(report.skippedInsights).toBe(2);
    expect(report.eventsIngested + report.duplicates + report.skippedInsights).toBe(expected);
  });

  it('aws-docs-examples: lookup-events output (CloudTrailEvent as a JSON string)', async () => {
    const file = join(corpus, 'aws-docs-examples', 'lookup-events', 'aws-cli-lookup-events.json');
    const envelope = JSON.parse(readFileSync(file, 'utf8')) as { Events: { CloudTrailEvent: string }[] };
    const { report, stats } = await ingestInto([file]);
    expect(report.eventsIngested).toBe(envelope.Events.length);
    expect(stats.typed).toBe(envelope.Events.length);
  });

  it('stratus-red-team: the 310 events of 35 detonations, each file a JSON array of events', async () => {
    const folder = join(corpus, 'stratus-red-team-detonation-logs');
    const files = readdirSync(folder)
      .filter((f) => f.startsWith('aws.') && f.endsWith('.json'))
      .map((f) => join(folder, f));
    expect(files).toHaveLength(35);
    const { report, stats } = await ingestInto(files);
    expect(report.rejected).toEqual([]);
    expect(report.eventsRead).toBe(310);
    expect(stats.n).toBe(report.eventsIngested);
    expect(stats.ids).toBe(stats.n);
    expect(stats.timed).toBe(stats.n);
  });

  it('otrf-security-datasets: NDJSON in gzip (103 events, extra Logstash fields kept in raw)', async () => {
    const file = join(corpus, 'otrf-security-datasets', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json.gz');
    const { report, db } = await ingestInto([file]);
    expect(report.eventsRead).toBe(103);
    expect(report.eventsIngested + report.duplicates).toBe(103);
    const r = await ActivityDb.openReadOnly(db);
    const q = await r.query(
      `SELECT count(*) AS n FROM events WHERE json_extract_string(raw, '$."@version"') = '1'`,
    );
    r.close();
    expect(q.rows[0]!.n).toBe(report.eventsIngested);
  });
});

describe('examples/acme organization trail', () => {
  it('ingests every event of the S3 layout with o-… folders, then a re-run is a no-op', async () => {
    const trail = join(repoRoot, 'examples', 'acme', 'cloudtrail');
    // The generator writes each event once (its README gives the count): counted here independently.
    const files = readdirSync(trail, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json.gz'));
    const events = files.reduce(
      (n, f) =>
        n +
        (JSON.parse(gunzipSync(readFileSync(join(trail, f))).toString()) as { Records: unknown[] }).Records
          .length,
      0,
    );
    expect(events).toBeGreaterThan(1000);
    const { report, stats, db } = await ingestInto([trail]);
    expect(report).toMatchObject({
      filesFound: files.length,
      filesIngested: files.length,
      eventsIngested: events,
      duplicates: 0,
      rejected: [],
    });
    expect(stats).toMatchObject({ n: events, ids: events, timed: events });
    const again = await ingestCloudTrail([trail], { dbPath: db, threads: 2 });
    expect(again).toMatchObject({ filesUnchanged: files.length, eventsRead: 0, eventsIngested: 0 });
  });
});
