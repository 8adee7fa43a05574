/**
 * End-to-end benchmark of the built CLI, as a user runs it: `leastpriv audit DIR --format json -o FILE`
 * on the synthetic small / medium / large organizations (bench/generate-org.ts, generated on first use),
 * and `leastpriv who-can ACTION --snapshot LARGE`. Each run is a fresh Node process; the bench prints
 * the organization's size, then wall time, CPU time (user + system: a busy machine disturbs it less)
 * and peak RSS, the median of --runs runs.
 *
 *   npm run build && npx tsx bench/cli-audit.bench.ts [--dir DIR] [--sizes small,medium,large]
 *     [--runs 3] [--formats json] [--who-can iam:PassRole,s3:GetObject] [--threads 1,2]
 *
 * `--threads` runs each audit once per value of `leastpriv audit --threads` (default: the CLI's own
 * default), to compare one thread with two on the machine at hand.
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

function runCli(args: readonly string[], scratch: string): Run {
  const usageFile = path.join(scratch, 'usage.json');
  rmSync(usageFile, { force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', preload, bin, ...args], {
    env: { ...process.env, LEASTPRIV_BENCH_USAGE: usageFile, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
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

function main(): void {
  const args = process.argv.slice(2);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!existsSync(path.join(repo, 'dist', 'cli', 'bin.js'))) throw new Error('run `npm run build` first');
  const given = get('--dir');
  const root = given === undefined ? path.join(tmpdir(), 'leastpriv-bench-orgs') : path.resolve(given);
  const sizes = (get('--sizes') ?? 'small,medium,large').split(',') as (keyof typeof SIZES)[];
  const runs = Math.max(1, Number(get('--runs') ?? 3));
  const formats = (get('--formats') ?? 'json').split(',');
  const whoCan = (get('--who-can') ?? 'iam:PassRole').split(',').filter((a) => a !== '');
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
      if (name === 'large' || sizes.length === 1)
        for (const action of whoCan) {
          const measured = Array.from({ length: runs }, () =>
            runCli(['who-can', action, '--snapshot', dir, '--format', 'json'], scratch),
          );
          console.log(`  who-can ${action}: ${describe(median(measured))}`);
        }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
