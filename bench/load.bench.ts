/**
 * Snapshot load benchmark: generates small / medium / large synthetic organizations
 * (bench/generate-org.ts) and loads each with `loadSnapshot` in a fresh Node process, so peak RSS
 * is the load's own and not the generator's. Prints wall and CPU time (the machine is shared: CPU
 * time is the steadier figure), and with `--cache` also the snapshot cache the query commands use
 * (LEASTPRIV_CACHE_DIR): the run that stores the entry, then a warm read of it, each in a fresh process.
 *
 *   npx tsx bench/load.bench.ts [--dir DIR] [--sizes small,medium,large] [--runs N] [--cache]
 *
 * With --dir, an organization already generated there (DIR/<size>/manifest.json) is reused;
 * otherwise they are generated into a temporary folder that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg, SIZES } from './generate-org.js';

interface ChildResult {
  readonly millis: number;
  readonly cpuMs: number;
  readonly cache?: string;
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
  readonly errors: number;
  readonly principals: number;
  readonly policies: number;
  readonly accounts: number;
}

const self = fileURLToPath(import.meta.url);

async function child(dir: string, cacheDir: string | undefined): Promise<void> {
  const baselineRssMb = process.resourceUsage().maxRSS / 1024;
  const { loadSnapshot } = await import('../src/collect/index.js');
  const started = performance.now();
  const cpu = process.cpuUsage();
  let cache: string | undefined;
  const result =
    cacheDir === undefined
      ? await loadSnapshot([dir])
      : await (await import('../src/collect/files/snapshot-cache.js'))
          .loadWithCache([dir], { dir: cacheDir }, (paths) => loadSnapshot(paths))
          .then((r) => {
            cache = r.cache;
            return r;
          });
  const used = process.cpuUsage(cpu);
  const millis = performance.now() - started;
  const c = result.summary.counts;
  const out: ChildResult = {
    millis,
    cpuMs: (used.user + used.system) / 1000,
    ...(cache !== undefined ? { cache } : {}),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    errors: result.errors.length,
    principals: c.users + c.roles + c.groups,
    policies: c.managedPolicies,
    accounts: c.accounts,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

function measure(dir: string, cacheDir?: string): ChildResult {
  const args = ['--import', 'tsx', self, '--child', dir, ...(cacheDir ? ['--cache-dir', cacheDir] : [])];
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`load of ${dir} failed (${run.status}): ${run.stderr}`);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as ChildResult;
}

async function main(argv: readonly string[]): Promise<void> {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const childDir = get('--child');
  if (childDir !== undefined) return child(childDir, get('--cache-dir'));
  const withCache = argv.includes('--cache');

  const given = get('--dir');
  const root =
    given === undefined ? mkdtempSync(path.join(tmpdir(), 'leastpriv-load-')) : path.resolve(given);
  const sizes = (get('--sizes') ?? 'small,medium,large').split(',') as (keyof typeof SIZES)[];
  const runs = Number(get('--runs') ?? '3');
  try {
    process.stdout.write(
      `loadSnapshot, fresh process per run, best of ${runs} by CPU time (Node ${process.version}, ${process.platform}/${process.arch})\n\n`,
    );
    process.stdout.write(
      `${['size', 'users', 'roles', 'policies', 'accounts', 'files', 'MB', 'principals', 'loaded policies', 'load ms', 'CPU ms', 'peak RSS MB', ...(withCache ? ['store ms (CPU)', 'warm ms (CPU)', 'warm RSS MB'] : [])].join('\t')}\n`,
    );
    for (const name of sizes) {
      const size = SIZES[name];
      if (size === undefined) throw new Error(`unknown size ${name}; use small, medium, large`);
      const dir = path.join(root, name);
      if (!existsSync(path.join(dir, 'manifest.json'))) generateOrg({ ...size, out: dir, seed: 1 });
      const input = sizeOf(dir);
      const results = Array.from({ length: runs }, () => measure(dir));
      const best = results.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
      const peak = Math.max(...results.map((r) => r.peakRssMb));
      if (best.errors > 0) process.stderr.write(`warning: ${best.errors} load errors for ${name}\n`);
      const cacheColumns: string[] = [];
      if (withCache) {
        const cacheDir = mkdtempSync(path.join(tmpdir(), 'leastpriv-load-cache-'));
        try {
          const store = measure(dir, cacheDir);
          const warm = Array.from({ length: runs }, () => measure(dir, cacheDir));
          if (warm.some((w) => w.cache !== 'hit'))
            process.stderr.write(`warning: a warm run of ${name} missed the cache\n`);
          const w = warm.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
          cacheColumns.push(
            `${Math.round(store.millis)} (${Math.round(store.cpuMs)})`,
            `${Math.round(w.millis)} (${Math.round(w.cpuMs)})`,
            `${Math.round(Math.max(...warm.map((r) => r.peakRssMb)))}`,
          );
        } finally {
          rmSync(cacheDir, { recursive: true, force: true });
        }
      }
      process.stdout.write(
        `${[
          name,
          size.users,
          size.roles,
          size.policies,
          best.accounts,
          input.files,
          (input.bytes / 1e6).toFixed(1),
          best.principals,
          best.policies,
          Math.round(best.millis),
          Math.round(best.cpuMs),
          `${Math.round(peak)} (baseline ${Math.round(best.baselineRssMb)})`,
          ...cacheColumns,
        ].join('\t')}\n`,
      );
    }
  } finally {
    if (given === undefined) rmSync(root, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
