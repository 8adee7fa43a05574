/**
 * End-to-end benchmark of the built CLI, as a user runs it: `leastpriv audit DIR --format json -o FILE`
 * on the synthetic small / medium / large organizations (bench/generate-org.ts, generated on first use),
 * and `leastpriv who-can ACTION --snapshot LARGE` both ways: loading the snapshot (`--no-index`), and
 * from the query index that `leastpriv index` prepares once per snapshot. Each run is a fresh Node
 * process; the bench prints the organization's size, then wall time, CPU time (user + system: a busy
 * machine disturbs it less) and peak RSS, the median of --runs runs.
 *
 *   npm run build && npx tsx bench/cli-audit.bench.ts [--dir DIR] [--sizes small,medium,large]
 *     [--runs 3] [--formats json] [--who-can iam:PassRole,s3:GetObject] [--threads 1,2]
 *
 * `--threads` runs each audit once per value of `leastpriv audit --threads` (default: the CLI's own
 * default), to compare one thread with two on the machine at hand. `--formats ''` skips the audits
 * and `--who-can ''` skips who-can, to measure one without waiting for the other.
 *
 * who-can runs on the large organization (or on the one size given), per action:
 *   who-can ACTION (loads the snapshot)   `who-can ACTION --snapshot DIR --no-index`, --runs times
 *   index (once per snapshot)             `leastpriv index DIR`, once, with the index's size in MB
 *   who-can ACTION (from the index)       `who-can ACTION --snapshot DIR`, --runs times
 * Every run's JSON output must equal the first loaded run's, and every indexed run must have read
 * the index (its `--timings` say so), or the bench fails: it never reports a fast wrong answer, nor
 * a "from the index" figure that quietly loaded the snapshot. Indexes go to a folder in the bench's
 * scratch folder (LEASTPRIV_INDEX_DIR for every run), so an index in ~/.cache never changes the
 * figures and the bench never writes there; LEASTPRIV_CACHE_DIR is unset for the same reason.
 *
 * Issue 6's targets: medium under 2 s, large under 10 s and 1 GB, who-can on large under 1 s.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg, SIZES } from './generate-org.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'leastpriv.js');
const preload = path.join(repo, 'bench', 'support', 'usage-on-exit.mjs');

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly status: number | null;
}

/** A run and what it printed (kept only when asked for: an audit writes its report to a file). */
interface Captured extends Run {
  readonly stdout: string;
  readonly stderr: string;
}

/** The folder every run's queries index into and read from: the bench's own, never ~/.cache. */
function indexDir(scratch: string): string {
  return path.join(scratch, 'index');
}

function cliEnv(scratch: string, usageFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEASTPRIV_BENCH_USAGE: usageFile,
    LEASTPRIV_INDEX_DIR: indexDir(scratch),
    NO_COLOR: '1',
  };
  // A user's snapshot cache would make "loads the snapshot" read a stored model instead.
  delete env.LEASTPRIV_CACHE_DIR;
  return env;
}

function runCli(args: readonly string[], scratch: string, capture = false): Captured {
  const usageFile = path.join(scratch, 'usage.json');
  rmSync(usageFile, { force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', preload, bin, ...args], {
    env: cliEnv(scratch, usageFile),
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  // Exit 1 means findings at or above --fail-on: the normal outcome on these organizations.
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`leastpriv ${args.join(' ')} exited ${child.status}: ${child.stderr.toString()}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
    userMs: number;
    systemMs: number;
    maxRssKb: number;
  };
  return {
    wallMs,
    cpuMs: usage.userMs + usage.systemMs,
    peakRssMb: usage.maxRssKb / 1024,
    status: child.status,
    stdout: capture ? child.stdout.toString() : '',
    stderr: child.stderr.toString(),
  };
}

function median(runs: readonly Run[]): Run {
  const pick = (f: (r: Run) => number) =>
    [...runs].map(f).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  return {
    wallMs: pick((r) => r.wallMs),
    cpuMs: pick((r) => r.cpuMs),
    peakRssMb: pick((r) => r.peakRssMb),
    status: runs[0]!.status,
  };
}

function describe(r: Run): string {
  return `${(r.wallMs / 1000).toFixed(2)} s wall, ${(r.cpuMs / 1000).toFixed(2)} s CPU, peak RSS ${r.peakRssMb.toFixed(0)} MB`;
}

function benchAudits(
  dir: string,
  formats: readonly string[],
  threads: readonly (string | undefined)[],
  runs: number,
  scratch: string,
): void {
  for (const format of formats)
    for (const t of threads) {
      const out = path.join(scratch, `audit.${format}`);
      const extra = t === undefined ? [] : ['--threads', t];
      const measured = Array.from({ length: runs }, () =>
        runCli(
          ['audit', dir, '--format', format, '-o', out, '--now', '2026-11-01T00:00:00Z', '-q', ...extra],
          scratch,
        ),
      );
      console.log(
        `  audit --format ${format}${extra.length ? ` ${extra.join(' ')}` : ''}: ${describe(median(measured))}`,
      );
    }
}

/** The phase `who-can --timings` names first, which says where the answer came from. */
const LOADED = 'load the snapshot';
const INDEXED = 'read the query index';

/**
 * `who-can ACTION` --runs times, its stdout captured in every run (both ways alike, so neither pays
 * for the pipe alone). Fails when a run's answer differs from `expected`, or when it did not take
 * the way it is labelled with.
 */
function timeWhoCan(
  dir: string,
  action: string,
  way: 'loaded' | 'indexed',
  runs: number,
  scratch: string,
  expected?: string,
): { readonly run: Run; readonly stdout: string } {
  const args = ['who-can', action, '--snapshot', dir, '--format', 'json', '--timings'];
  const measured = Array.from({ length: runs }, () =>
    runCli(way === 'loaded' ? [...args, '--no-index'] : args, scratch, true),
  );
  const reference = expected ?? measured[0]!.stdout;
  for (const [i, r] of measured.entries()) {
    const phase = way === 'loaded' ? LOADED : INDEXED;
    if (!r.stderr.includes(`ms  ${phase}`))
      throw new Error(
        `who-can ${action} run ${i + 1} (${way}) did not "${phase}" (was the index built for another build of dist/, or can this question not be answered from it?):\n${r.stderr}`,
      );
    if (r.stdout !== reference)
      throw new Error(
        `who-can ${action} run ${i + 1} (${way}) printed another answer than the snapshot loaded with --no-index (${r.stdout.length} vs ${reference.length} characters): the index is wrong, not fast`,
      );
  }
  return { run: median(measured), stdout: reference };
}

/** `leastpriv index DIR` once, into the bench's index folder; prints its cost and the index's size. */
function buildIndex(dir: string, scratch: string): void {
  const r = runCli(['index', dir, '--index-dir', indexDir(scratch), '-q', '--format', 'json'], scratch, true);
  const summary = JSON.parse(r.stdout) as { bytes: number };
  console.log(`  index (once per snapshot): ${describe(r)}, index ${(summary.bytes / 1e6).toFixed(1)} MB`);
}

function benchWhoCan(dir: string, actions: readonly string[], runs: number, scratch: string): void {
  let indexed = false;
  for (const action of actions) {
    const loaded = timeWhoCan(dir, action, 'loaded', runs, scratch);
    console.log(`  who-can ${action} (loads the snapshot): ${describe(loaded.run)}`);
    if (!indexed) buildIndex(dir, scratch);
    indexed = true;
    const fromIndex = timeWhoCan(dir, action, 'indexed', runs, scratch, loaded.stdout);
    console.log(`  who-can ${action} (from the index): ${describe(fromIndex.run)}, same output`);
  }
}

/** A comma-separated list; `''` is the empty list, so `--formats ''` and `--who-can ''` skip. */
function list(value: string): string[] {
  return value.split(',').filter((v) => v !== '');
}

function main(): void {
  const args = process.argv.slice(2);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!existsSync(path.join(repo, 'dist', 'cli', 'bin.js'))) throw new Error('run `npm run build` first');
  const given = get('--dir');
  const root = given === undefined ? path.join(tmpdir(), 'leastpriv-bench-orgs') : path.resolve(given);
  const sizes = list(get('--sizes') ?? 'small,medium,large') as (keyof typeof SIZES)[];
  const runs = Math.max(1, Number(get('--runs') ?? 3));
  const formats = list(get('--formats') ?? 'json');
  const whoCan = list(get('--who-can') ?? 'iam:PassRole');
  const threads: (string | undefined)[] = get('--threads')?.split(',') ?? [undefined];
  const scratch = mkdtempSync(path.join(tmpdir(), 'leastpriv-cli-bench-'));
  try {
    console.log(`leastpriv CLI benchmark: median of ${runs} run(s), Node ${process.version}`);
    for (const name of sizes) {
      const size = SIZES[name];
      if (size === undefined) throw new Error(`unknown size ${name} (small, medium, large)`);
      const dir = path.join(root, name);
      if (!existsSync(path.join(dir, 'manifest.json'))) {
        console.log(`generating the ${name} organization in ${dir} …`);
        generateOrg({ ...size, out: dir, seed: 1 });
      }
      console.log(`${name}: ${size.users} users, ${size.roles} roles, ${size.policies} policies (${dir})`);
      benchAudits(dir, formats, threads, runs, scratch);
      if (name === 'large' || sizes.length === 1) benchWhoCan(dir, whoCan, runs, scratch);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
