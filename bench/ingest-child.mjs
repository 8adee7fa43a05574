// The ingest measurement of bench/ingest.bench.ts on the compiled code (dist/, what `leastpriv trail
// ingest` runs after `npm run build`, with the CLI's V8 tuning): plain Node, so neither this process nor its worker threads
// load tsx and transpile the sources first. Prints the same JSON as the bench's --child-ingest mode.
import { tuneV8ForBatchRun } from '../bin/v8-tuning.js';

// As bin/leastpriv.js does before loading the CLI.
tuneV8ForBatchRun();
const { ingestCloudTrail } = await import('../dist/activity/ingest.js');
const { ActivityDb } = await import('../dist/activity/store.js');

const [dir, db, threads, duckdbThreads, duckdbConnections, memoryLimit] = process.argv.slice(2);
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
