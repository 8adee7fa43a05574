/**
 * `who-can` benchmark on synthetic organizations (bench/generate-org.ts).
 *
 * 1. The command as users run it: `node bin/leastpriv.js who-can ACTION --snapshot DIR --format json`
 *    in a fresh process, under /usr/bin/time (wall, user and system CPU, peak RSS). The machine is
 *    shared, so CPU time is the steadier figure.
 * 2. Where that time goes: in another fresh process, CPU and wall time of start-up (imports), the
 *    action catalog, the snapshot load, the access model, the query, the escalation search and the
 *    JSON output; the query both as the command runs it (`whoCanAction`, then the targeted
 *    `reachingHolders`) and as the library's general `whoCan` (then the whole escalation graph and
 *    `principalsReachingAny` over it), so the differences stay measurable.
 *
 * With `--cache`, the command also runs with the snapshot cache (LEASTPRIV_CACHE_DIR, a temporary
 * folder): once to store the entry, then warm.
 *
 * Uses the built CLI (dist/): run `npm run build` first.
 *
 *   npx tsx bench/who-can.bench.ts [--dir DIR] [--sizes medium,large] [--runs N] [--actions iam:PassRole,…] [--cache]
 *
 * With --dir, an organization already generated in DIR/<size> (manifest.json) is reused; otherwise
 * they are generated into a temporary folder that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateOrg, SIZES } from './generate-org.js';

const self = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(self), '..');
const dist = path.join(repo, 'dist');

interface Phase {
  readonly phase: string;
  readonly cpuMs: number;
  readonly wallMs: number;
}

interface PhaseChild {
  readonly phases: readonly Phase[];
  readonly found: number;
  /** Principals listed through escalation (paths to a holder). */
  readonly reached: number;
  readonly candidates: number;
  readonly total: number;
  readonly peakRssMb: number;
}

async function phaseChild(dir: string, action: string, library: boolean): Promise<void> {
  const phases: Phase[] = [];
  let cpu = process.cpuUsage();
  let wall = performance.now();
  const mark = (phase: string) => {
    const used = process.cpuUsage(cpu);
    phases.push({ phase, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall });
    cpu = process.cpuUsage();
    wall = performance.now();
  };
  const load = (m: string) => import(pathToFileURL(path.join(dist, m)).href);
  const { loadSnapshot } = await load('collect/index.js');
  const { accessModel } = await load('analysis/access/model.js');
  const { whoCan } = await load('analysis/access/query.js');
  const { whoCanAction } = await load('cli/commands/who-can-query.js');
  const { getCatalog } = await load('catalog/index.js');
  const { escalationGraph, principalsReachingAny, reachingHolders } = await load(
    'analysis/escalation/index.js',
  );
  mark('start-up');
  getCatalog();
  mark('catalog');
  const { snapshot } = await loadSnapshot([dir]);
  mark('load');
  accessModel(snapshot);
  mark('model');
  const result = (library ? whoCan : whoCanAction)(snapshot, action);
  mark(library ? 'query (whoCan)' : 'query (whoCanAction)');
  // Escalation as the command adds it: the targeted reverse search from the direct holders; with
  // --library, the whole graph and the search over it (what who-can did before the targeted one).
  const holders = result.principals.map((p: { principal: string }) => p.principal);
  let reached: number;
  if (library) {
    escalationGraph(snapshot);
    mark('escalation graph (whole)');
    reached = principalsReachingAny(snapshot, holders, { admin: false }).length;
    mark('escalation search (whole graph)');
  } else {
    reached = reachingHolders(snapshot, holders).paths.length;
    mark('escalation (targeted search)');
  }
  JSON.stringify(result, null, 2);
  mark('output');
  const out: PhaseChild = {
    phases,
    found: result.principals.length,
    reached,
    candidates: result.candidates,
    total: result.total,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

interface CommandRun {
  readonly wallS: number;
  readonly userS: number;
  readonly sysS: number;
  readonly peakRssMb: number;
}

/** The CLI under /usr/bin/time; exit status 0 expected. */
function runCommand(dir: string, action: string, cacheDir?: string): CommandRun {
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'TIME %e %U %S %M',
      process.execPath,
      path.join(repo, 'bin', 'leastpriv.js'),
      'who-can',
      action,
      '--snapshot',
      dir,
      '--format',
      'json',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      env: { ...process.env, LEASTPRIV_CACHE_DIR: cacheDir ?? '' },
    },
  );
  if (run.status !== 0) throw new Error(`who-can failed (${run.status}): ${run.stderr}`);
  const line = run.stderr.split('\n').find((l) => l.startsWith('TIME ')) ?? '';
  const [wall, user, sys, rssKb] = line.slice(5).split(' ').map(Number);
  return { wallS: wall ?? NaN, userS: user ?? NaN, sysS: sys ?? NaN, peakRssMb: (rssKb ?? NaN) / 1024 };
}

function runPhases(dir: string, action: string, library: boolean): PhaseChild {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--child', dir, '--action', action, ...(library ? ['--library'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) throw new Error(`phase run failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as PhaseChild;
}

const fmt = (ms: number) => String(Math.round(ms));

async function main(argv: readonly string[]): Promise<void> {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const childDir = get('--child');
  if (childDir !== undefined)
    return phaseChild(childDir, get('--action') ?? 'iam:PassRole', argv.includes('--library'));
  if (!existsSync(path.join(dist, 'cli', 'commands', 'who-can-query.js')))
    throw new Error('dist/ is missing or stale: run `npm run build` first');

  const given = get('--dir');
  const root =
    given === undefined ? mkdtempSync(path.join(tmpdir(), 'leastpriv-whocan-')) : path.resolve(given);
  const sizes = (get('--sizes') ?? 'medium,large').split(',') as (keyof typeof SIZES)[];
  const runs = Number(get('--runs') ?? '3');
  const actions = (get('--actions') ?? 'iam:PassRole').split(',');
  const withCache = argv.includes('--cache');
  try {
    process.stdout.write(
      `who-can, fresh process per run, best of ${runs} by CPU (Node ${process.version}, ${process.platform}/${process.arch})\n`,
    );
    for (const name of sizes) {
      const size = SIZES[name];
      if (size === undefined) throw new Error(`unknown size ${name}; use small, medium, large`);
      const dir = path.join(root, name);
      if (!existsSync(path.join(dir, 'manifest.json'))) generateOrg({ ...size, out: dir, seed: 1 });
      process.stdout.write(
        `\n${name}: ${size.users} users, ${size.roles} roles, ${size.policies} policies (${dir})\n`,
      );
      for (const action of actions) {
        const report = (label: string, commands: readonly CommandRun[]) => {
          const best = commands.reduce((a, b) => (b.userS + b.sysS < a.userS + a.sysS ? b : a));
          process.stdout.write(
            `  leastpriv who-can ${action}${label}: wall ${best.wallS.toFixed(2)} s, CPU ${(best.userS + best.sysS).toFixed(2)} s (user ${best.userS.toFixed(2)}, sys ${best.sysS.toFixed(2)}), peak RSS ${Math.round(Math.max(...commands.map((c) => c.peakRssMb)))} MB\n`,
          );
        };
        report(
          '',
          Array.from({ length: runs }, () => runCommand(dir, action)),
        );
        if (withCache) {
          const cacheDir = mkdtempSync(path.join(tmpdir(), 'leastpriv-whocan-cache-'));
          try {
            report(' (storing the cache entry)', [runCommand(dir, action, cacheDir)]);
            report(
              ' (warm cache)',
              Array.from({ length: runs }, () => runCommand(dir, action, cacheDir)),
            );
          } finally {
            rmSync(cacheDir, { recursive: true, force: true });
          }
        }
        for (const library of [false, true]) {
          const results = Array.from({ length: runs }, () => runPhases(dir, action, library));
          const cpuOf = (r: PhaseChild) => r.phases.reduce((a, p) => a + p.cpuMs, 0);
          const r = results.reduce((a, b) => (cpuOf(b) < cpuOf(a) ? b : a));
          process.stdout.write(
            `    ${r.phases.map((p) => `${p.phase} ${fmt(p.cpuMs)}/${fmt(p.wallMs)}`).join(', ')} (CPU/wall ms); ${r.found} principals found (${r.reached} more through escalation), ${r.candidates} of ${r.total} evaluated, peak RSS ${Math.round(r.peakRssMb)} MB\n`,
          );
        }
      }
    }
  } finally {
    if (given === undefined) rmSync(root, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
