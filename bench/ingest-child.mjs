// One ingest measurement of bench/ingest.bench.ts, in a fresh process (so its peak RSS is the
// ingest's), with the CLI's V8 tuning. By default on the compiled code (dist/, what `leastpriv trail
// ingest` runs after `npm run build`) under plain Node, so neither this process nor its worker
// threads transpile anything; with --source (run under `--import tsx`) on the TypeScript sources.
// Prints one JSON object: seconds, the ingest report, stored row counts, CPU seconds, peak RSS.
import { tuneV8ForBatchRun } from '../bin/v8-tuning.js';

// As bin/leastpriv.js does before loading the CLI.
tuneV8ForBatchRun();
const argv = process.argv.slice(2);
const source = argv[0] === '--source';
const modules = source ? '../src/activity/' : '../dist/activity/';
const ext = source ? '.ts' : '.js';
const { ingestCloudTrail } = await import(`${modules}ingest${ext}`);
const { ActivityDb } = await import(`${modules}store${ext}`);

const [dir, db, threads, duckdbThreads, duckdbConnections, memoryLimit] = source ? argv.slice(1) : argv;
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const started = performance.now();
const report = await ingestCloudTrail([dir], {
  dbPath: db,
  threads: Number(threads),
  ...(duckdbThreads ? { duckdbThreads: Number(duckdbThreads) } : {}),
  ...(duckdbConnections ? { duckdbConnections: Number(duckdbConnections) } : {}),
  ...(memoryLimit ? { memoryLimit } : {}),
});
const seconds = (performance.now() - started) / 1000;
const check = await ActivityDb.openReadOnly(db);
const stored = await check.query('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events');
check.close();
process.stdout.write(
  JSON.stringify({
    seconds,
    report,
    stored: stored.rows[0],
    cpuSeconds: cpuSeconds(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);
