/**
 * Privilege-escalation graph benchmark: for each snapshot folder (or synthetic size), in a fresh
 * Node process, loads the snapshot, compiles every policy (the engine caches compiled policies per
 * policy object, so in a full audit this is shared with the other analyses), then builds the
 * escalation graph (src/analysis/escalation); prints sizes, load, compile and graph build time
 * (wall and CPU), nodes, edges (certain / conditional), engine evaluations, principals reaching
 * admin and peak RSS.
 *
 *   npx tsx bench/generate-org.ts --users 1000 --roles 3000 --policies 2000 --out /tmp/org-medium
 *   npx tsx bench/escalation.bench.ts /tmp/org-medium [/tmp/org-large …]
 *   npx tsx bench/escalation.bench.ts --sizes small,medium [--dir DIR]   (generates into DIR)
 *   add --techniques to print time and evaluations per technique (edges per technique always)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg, SIZES } from './generate-org.js';
import { compileAll, loadForBench } from './support/snapshot-bench.js';

interface ChildResult {
  readonly users: number;
  readonly roles: number;
  readonly groups: number;
  readonly policies: number;
  readonly loadMs: number;
  readonly compileMs: number;
  readonly graphMs: number;
  /** CPU time of the build (user + system): steadier than wall time on a shared machine. */
  readonly graphCpuMs: number;
  readonly nodes: number;
  readonly edges: number;
  readonly conditionalEdges: number;
  readonly evaluations: number;
  readonly reachAdmin: number;
  readonly admins: number;
  readonly peakRssMb: number;
  readonly perTechnique: Readonly<Record<string, readonly number[]>>;
}

const self = fileURLToPath(import.meta.url);

async function child(dir: string, techniques: boolean): Promise<void> {
  const { escalationGraph, principalsReaching } = await import('../src/analysis/escalation/index.js');
  const { snapshot, loadMs, users, roles, groups, policies } = await loadForBench(dir);
  const compileMs = await compileAll(snapshot);
  const stats = new Map<string, number[]>();
  if (techniques) (globalThis as { __escStats?: Map<string, number[]> }).__escStats = stats;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const graph = escalationGraph(snapshot);
  const graphMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const graphCpuMs = (used.user + used.system) / 1000;
  let edges = 0;
  let conditionalEdges = 0;
  const perTechnique: Record<string, number[]> = Object.create(null);
  for (const list of graph.out.values()) {
    for (const e of list) {
      edges++;
      if (e.conditions.length > 0) conditionalEdges++;
      const row = perTechnique[e.technique] ?? [0, 0, 0];
      row[0]!++;
      perTechnique[e.technique] = row;
    }
  }
  for (const [id, [ms, evals]] of stats) {
    const row = perTechnique[id] ?? [0, 0, 0];
    row[1] = Math.round(ms ?? 0);
    row[2] = evals ?? 0;
    perTechnique[id] = row;
  }
  let admins = 0;
  for (const n of graph.nodes.values()) if (n.admin) admins++;
  const out: ChildResult = {
    users,
    roles,
    groups,
    policies,
    loadMs,
    compileMs,
    graphMs,
    graphCpuMs,
    nodes: graph.nodes.size,
    edges,
    conditionalEdges,
    evaluations: graph.evaluations,
    reachAdmin: principalsReaching(snapshot, 'admin').length,
    admins,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    perTechnique,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function measure(dir: string, techniques: boolean): ChildResult {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--child', dir, ...(techniques ? ['--techniques'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) throw new Error(`run on ${dir} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
}

async function main(argv: readonly string[]): Promise<void> {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const techniques = argv.includes('--techniques');
  const childDir = get('--child');
  if (childDir !== undefined) return child(childDir, techniques);
  const flagged = new Set(['--dir', '--sizes', '--child']);
  const dirs: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (flagged.has(a)) i++;
    else if (!a.startsWith('--')) dirs.push([path.basename(a), path.resolve(a)]);
  }
  const given = get('--dir');
  const sizes = get('--sizes');
  let root: string | undefined;
  if (sizes !== undefined || dirs.length === 0) {
    root =
      given === undefined ? mkdtempSync(path.join(tmpdir(), 'leastpriv-escalation-')) : path.resolve(given);
    for (const name of (sizes ?? 'small,medium').split(',') as (keyof typeof SIZES)[]) {
      const size = SIZES[name];
      if (size === undefined) throw new Error(`unknown size ${name}; use small, medium, large`);
      const dir = path.join(root, name);
      if (!existsSync(path.join(dir, 'manifest.json'))) generateOrg({ ...size, out: dir, seed: 1 });
      dirs.push([name, dir]);
    }
  }
  try {
    process.stdout.write(`escalation graph, fresh process per snapshot (Node ${process.version})\n\n`);
    process.stdout.write(
      `${['snapshot', 'users', 'roles', 'groups', 'policies', 'load ms', 'compile ms', 'graph ms', 'graph CPU ms', 'nodes', 'edges (conditional)', 'evaluations', 'admins', 'reach admin', 'peak RSS MB'].join('\t')}\n`,
    );
    for (const [name, dir] of dirs) {
      const r = measure(dir, techniques);
      process.stdout.write(
        `${[
          name,
          r.users,
          r.roles,
          r.groups,
          r.policies,
          Math.round(r.loadMs),
          Math.round(r.compileMs),
          Math.round(r.graphMs),
          Math.round(r.graphCpuMs),
          r.nodes,
          `${r.edges} (${r.conditionalEdges})`,
          r.evaluations,
          r.admins,
          r.reachAdmin,
          Math.round(r.peakRssMb),
        ].join('\t')}\n`,
      );
      const rows = Object.entries(r.perTechnique).sort((a, b) => (b[1][1] ?? 0) - (a[1][1] ?? 0));
      process.stdout.write(
        `  per technique (edges${techniques ? ', ms, evaluations' : ''}): ${rows
          .map(([id, [e, ms, ev]]) => (techniques ? `${id} ${e}/${ms}ms/${ev}` : `${id} ${e}`))
          .join(', ')}\n`,
      );
    }
  } finally {
    if (root !== undefined && given === undefined) rmSync(root, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
