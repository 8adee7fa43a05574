/**
 * Ingest benchmark: generates realistic CloudTrail logs (gzip files of about 5,000 events in the S3
 * layout of an organization trail, 5% of events delivered twice) and measures, each in a fresh
 * process, `leastpriv trail ingest` beside DuckDB's own `read_json` of the same files into a plain
 * table: events/s, MB/s (compressed input) and peak RSS.
 *
 *   npx tsx bench/ingest.bench.ts [--events 1000000] [--per-file 5000] [--threads 2] [--duckdb-threads N]
 *     [--duckdb-connections N] [--keep DIR] [--source]
 *
 * Ours is measured on the compiled code (dist/, as `leastpriv trail ingest` runs it) when the build
 * is newer than every source file of src/ (`npm run build` first), else, or with --source,
 * on the TypeScript sources through tsx, which costs its workers and main thread about half a CPU
 * second of transpiling that a user's run does not pay. The first line says which.
 *
 * With --keep DIR the generated files stay in DIR and a later run with the same DIR reuses them
 * (use a fresh DIR per --events size).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] !== undefined ? args[k + 1]! : fallback;
};

// ---- child modes: one measurement per fresh process, so peak RSS is that of the measurement ----

/** CPU time of the whole process (all threads): on a shared machine, the work done, whatever the wait. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

if (args[0] === '--child-read-json') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const [, dir, db] = args;
  const instance = await DuckDBInstance.create(db!);
  const con = await instance.connect();
  const started = performance.now();
  // DuckDB's own reader: the Records array of every file, one row per event, into a plain table.
  const glob = join(dir!, '**', '*.json.gz').replace(/'/g, "''");
  await con.run(
    `CREATE TABLE raw_events AS SELECT unnest(Records) AS e FROM read_json('${glob}', format = 'auto', maximum_object_size = 1073741824)`,
  );
  await con.run('CHECKPOINT');
  const seconds = (performance.now() - started) / 1000;
  const rows = await con.runAndReadAll('SELECT count(*) FROM raw_events');
  process.stdout.write(
    JSON.stringify({
      seconds,
      events: Number(rows.getRows()[0]![0] as bigint),
      cpuSeconds: cpuSeconds(),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

// ---- generation -------------------------------------------------------------------------------

const TOTAL = Number(flag('events', '1000000'));
const PER_FILE = Number(flag('per-file', '5000'));
const THREADS = flag('threads', '2');
const DUCKDB_THREADS = flag('duckdb-threads', '');
const DUCKDB_CONNECTIONS = flag('duckdb-connections', '');
const DUPLICATE_SHARE = 0.05;

const ACCOUNTS = ['204815939271', '438019276655', '573628190442', '729354810066', '861204557319'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const USERS = Array.from({ length: 40 }, (_, k) => `user-${k}`);
const ROLES = ['payments-api-task', 'platform-api-task', 'ci-deployer', 'ops-admin', 'observability'];
const CALLS: readonly [string, string, boolean][] = [
  ['s3.amazonaws.com', 'GetObject', true],
  ['s3.amazonaws.com', 'PutObject', false],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', true],
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['sts.amazonaws.com', 'AssumeRole', false],
  ['iam.amazonaws.com', 'ListRoles', true],
  ['kms.amazonaws.com', 'Decrypt', true],
  ['lambda.amazonaws.com', 'Invoke', false],
  ['dynamodb.amazonaws.com', 'Query', true],
  ['logs.amazonaws.com', 'PutLogEvents', false],
];

let seed = 42;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
const hex = (n: number): string => randomBytes(n).toString('hex');
const uuid = (): string => {
  const h = hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

function makeEvent(time: Date, account: string, region: string): Record<string, unknown> {
  const [source, name, readOnly] = pick(CALLS);
  const assumed = rand(3) > 0;
  const role = pick(ROLES);
  const user = pick(USERS);
  const identity = assumed
    ? {
        type: 'AssumedRole',
        principalId: `AROA${hex(8).toUpperCase()}:${hex(8)}`,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${hex(8)}`,
        accountId: account,
        accessKeyId: `ASIA${hex(8).toUpperCase()}`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: `AROA${hex(8).toUpperCase()}`,
            arn: `arn:aws:iam::${account}:role/${role}`,
            accountId: account,
            userName: role,
          },
          attributes: { creationDate: time.toISOString().replace(/\.\d+Z$/, 'Z'), mfaAuthenticated: 'false' },
        },
      }
    : {
        type: 'IAMUser',
        principalId: `AIDA${hex(8).toUpperCase()}`,
        arn: `arn:aws:iam::${account}:user/${user}`,
        accountId: account,
        accessKeyId: `AKIA${hex(8).toUpperCase()}`,
        userName: user,
      };
  const denied = rand(50) === 0;
  return {
    eventVersion: '1.11',
    userIdentity: identity,
    eventTime: time.toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: source,
    eventName: name,
    awsRegion: region,
    sourceIPAddress: assumed ? `10.20.${rand(256)}.${rand(256)}` : `198.51.100.${rand(256)}`,
    userAgent: `aws-sdk-js/3.913.0 ua/2.1 os/linux#5.10.240 lang/js md/nodejs#20.19.5 api/${source.split('.')[0]}#3.913.0`,
    ...(denied
      ? {
          errorCode: 'AccessDenied',
          errorMessage: `User is not authorized to perform: ${source.split('.')[0]}:${name}`,
        }
      : {}),
    requestParameters:
      source === 's3.amazonaws.com'
        ? { bucketName: `acme-${account}-data`, key: `objects/${hex(6)}.json`, Host: 's3.amazonaws.com' }
        : { resourceId: hex(6), maxResults: 100 },
    responseElements: readOnly ? null : { requestId: uuid() },
    requestID: uuid(),
    eventID: uuid(),
    readOnly,
    resources:
      source === 's3.amazonaws.com'
        ? [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::acme-${account}-data/objects/${hex(6)}.json` }]
        : undefined,
    eventType: 'AwsApiCall',
    managementEvent: source !== 's3.amazonaws.com',
    recipientAccountId: account,
    eventCategory: source === 's3.amazonaws.com' ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: source,
    },
  };
}

function generate(dir: string): { files: number; bytes: number; unique: number; delivered: number } {
  const org = 'o-bench12345';
  const start = Date.UTC(2026, 9, 1);
  let unique = 0;
  let delivered = 0;
  let files = 0;
  let bytes = 0;
  const recent: Record<string, unknown>[] = [];
  while (delivered < TOTAL) {
    const account = ACCOUNTS[files % ACCOUNTS.length]!;
    const region = REGIONS[Math.floor(files / ACCOUNTS.length) % REGIONS.length]!;
    const day = new Date(start + Math.floor((delivered / TOTAL) * 28) * 86_400_000);
    const records: Record<string, unknown>[] = [];
    const count = Math.min(PER_FILE, TOTAL - delivered);
    for (let k = 0; k < count; k++) {
      // 5% of deliveries repeat an event already delivered (as overlapping trails do).
      if (recent.length > 0 && rand(1000) < DUPLICATE_SHARE * 1000) {
        records.push(pick(recent));
      } else {
        const event = makeEvent(new Date(day.getTime() + rand(86_400_000)), account, region);
        records.push(event);
        unique++;
        if (recent.length < 20_000) recent.push(event);
        else recent[rand(recent.length)] = event;
      }
      delivered++;
    }
    const y = day.getUTCFullYear();
    const m = String(day.getUTCMonth() + 1).padStart(2, '0');
    const d = String(day.getUTCDate()).padStart(2, '0');
    const folder = join(dir, 'AWSLogs', org, account, 'CloudTrail', region, String(y), m, d);
    mkdirSync(folder, { recursive: true });
    const name = `${account}_CloudTrail_${region}_${y}${m}${d}T0000Z_${hex(8)}.json.gz`;
    const body = gzipSync(JSON.stringify({ Records: records }), { level: 6 });
    writeFileSync(join(folder, name), body);
    files++;
    bytes += body.length;
  }
  return { files, bytes, unique, delivered };
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Whether dist/ holds a build of the current sources (every .ts of src/ older than the built ingest). */
function builtIsCurrent(): boolean {
  const built = join(REPO, 'dist', 'activity', 'ingest.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const sources = join(REPO, 'src');
  for (const entry of readdirSync(sources, { recursive: true, withFileTypes: true }))
    if (
      entry.isFile() &&
      entry.name.endsWith('.ts') &&
      statSync(join(entry.parentPath, entry.name)).mtimeMs > builtAt
    )
      return false;
  return true;
}

function child(mode: string, extra: string[]): Record<string, unknown> {
  const self = fileURLToPath(import.meta.url);
  // Ours runs in bench/ingest-child.mjs: on dist/ under plain Node, or on the sources through tsx.
  const ingestChild = join(REPO, 'bench', 'ingest-child.mjs');
  const argv =
    mode !== '--child-ingest'
      ? ['--import', 'tsx', self, mode, ...extra]
      : !args.includes('--source') && builtIsCurrent()
        ? [ingestChild, ...extra]
        : ['--import', 'tsx', ingestChild, '--source', ...extra];
  const r = spawnSync(process.execPath, argv, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const keep = flag('keep', '');
const dir = keep || mkdtempSync(join(tmpdir(), 'leastpriv-ingest-bench-'));
try {
  mkdirSync(dir, { recursive: true });
  const already = keep && readdirSync(dir).includes('AWSLogs');
  const genFile = join(dir, 'generated.meta');
  let gen: { files: number; bytes: number; unique: number; delivered: number };
  if (already) {
    gen = existsSync(genFile)
      ? (JSON.parse(readFileSync(genFile, 'utf8')) as typeof gen)
      : { files: 0, bytes: 0, unique: -1, delivered: TOTAL };
    console.log(
      `reusing ${dir}${gen.unique < 0 ? ' (the unique count is unknown: generate afresh to check it)' : `: ${gen.delivered.toLocaleString()} events (${gen.unique.toLocaleString()} unique) in ${gen.files} gzip files`}`,
    );
  } else {
    const t = performance.now();
    gen = generate(dir);
    writeFileSync(genFile, JSON.stringify(gen));
    console.log(
      `generated ${gen.delivered.toLocaleString()} events (${gen.unique.toLocaleString()} unique) in ${gen.files} gzip files, ${(gen.bytes / 1e6).toFixed(1)} MB, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  // Each measurement starts from an empty database (a kept folder holds the last run's).
  for (const name of readdirSync(dir))
    if (/\.duckdb(\.wal)?$/.test(name)) rmSync(join(dir, name), { force: true });
  const bytes = gen.bytes || sumSizes(dir);
  console.log(
    args.includes('--source') || !builtIsCurrent()
      ? `measuring ours on the TypeScript sources through tsx${args.includes('--source') ? '' : ' (dist/ is missing or older than src/: npm run build to measure the compiled code)'}`
      : 'measuring ours on the compiled code in dist/ (as leastpriv trail ingest runs)',
  );
  const ours = child('--child-ingest', [
    dir,
    join(dir, 'ours.duckdb'),
    THREADS,
    DUCKDB_THREADS,
    DUCKDB_CONNECTIONS,
  ]) as {
    seconds: number;
    report: { eventsRead: number; eventsIngested: number; duplicates: number; rejected: unknown[] };
    stored: { n: number; d: number };
    cpuSeconds: number;
    maxRssMb: number;
  };
  const duck = child('--child-read-json', [dir, join(dir, 'read_json.duckdb')]) as {
    seconds: number;
    events: number;
    cpuSeconds: number;
    maxRssMb: number;
  };
  const dbMb = (name: string): number => statSync(join(dir, name)).size / 1e6;
  const row = (label: string, events: number, seconds: number, cpu: number, rss: number, db: number) =>
    `${label.padEnd(28)} ${Math.round(events / seconds)
      .toLocaleString()
      .padStart(
        10,
      )} events/s ${(bytes / 1e6 / seconds).toFixed(1).padStart(7)} MB/s ${seconds.toFixed(1).padStart(6)} s  CPU ${cpu.toFixed(1).padStart(5)} s  peak RSS ${Math.round(rss)} MB  database ${Math.round(db)} MB`;
  console.log(
    row(
      `leastpriv ingest (${THREADS} threads)`,
      ours.report.eventsRead,
      ours.seconds,
      ours.cpuSeconds,
      ours.maxRssMb,
      dbMb('ours.duckdb'),
    ),
  );
  console.log(
    row(
      'duckdb read_json',
      duck.events,
      duck.seconds,
      duck.cpuSeconds,
      duck.maxRssMb,
      dbMb('read_json.duckdb'),
    ),
  );
  console.log(
    `ingested ${ours.report.eventsIngested.toLocaleString()} unique, ${ours.report.duplicates.toLocaleString()} duplicates removed, ${ours.report.rejected.length} files rejected; stored rows ${ours.stored.n} (${ours.stored.d} distinct ids)${gen.unique >= 0 ? `; expected ${gen.unique} unique: ${gen.unique === ours.stored.n && ours.stored.n === ours.stored.d ? 'OK' : 'MISMATCH'}` : ''}`,
  );
  console.log(
    `speed vs read_json: ${(ours.report.eventsRead / ours.seconds / (duck.events / duck.seconds)).toFixed(2)}×`,
  );
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

function sumSizes(root: string): number {
  let total = 0;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.json.gz'))
      total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}
