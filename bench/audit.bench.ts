/**
 * Access-model benchmark: for small / medium / large synthetic organizations (bench/generate-org.ts),
 * in a fresh Node process per size, times loading the snapshot, building the access model and the
 * access checks' facts for every principal (admin, wildcards, categories), and `who-can` queries;
 * prints sizes, wall time and peak RSS. The full audit is `leastpriv audit`'s benchmark.
 *
 *   npx tsx bench/audit.bench.ts [--dir DIR] [--sizes small,medium,large]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg, SIZES } from './generate-org.js';

interface ChildResult {
  readonly principals: number;
  readonly loadMs: number;
  readonly modelMs: number;
  readonly factsMs: number;
  readonly whoCan: readonly {
    readonly action: string;
    readonly ms: number;
    readonly found: number;
    readonly candidates: number;
  }[];
  readonly peakRssMb: number;
}

const self = fileURLToPath(import.meta.url);
const QUERIES = ['iam:PassRole', 's3:GetObject', 'iam:CreateAccessKey', 'kms:Decrypt'];

async function child(dir: string): Promise<void> {
  const { loadSnapshot } = await import('../src/collect/index.js');
  const { accessModel } = await import('../src/analysis/access/model.js');
  const { accessFacts } = await import('../src/analysis/access/facts.js');
  const { whoCan } = await import('../src/analysis/access/query.js');
  const { getCatalog } = await import('../src/catalog/index.js');
  getCatalog();
  let t = performance.now();
  const { snapshot } = await loadSnapshot([dir]);
  const loadMs = performance.now() - t;
  t = performance.now();
  const model = accessModel(snapshot);
  const modelMs = performance.now() - t;
  t = performance.now();
  accessFacts(snapshot);
  const factsMs = performance.now() - t;
  const results = QUERIES.map((action) => {
    const started = performance.now();
    const r = whoCan(snapshot, action);
    return { action, ms: performance.now() - started, found: r.principals.length, candidates: r.candidates };
  });
  const out: ChildResult = {
    principals: model.principals.length,
    loadMs,
    modelMs,
    factsMs,
    whoCan: results,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function measure(dir: string): ChildResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`run on ${dir} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
}

async function main(argv: readonly string[]): Promise<void> {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const childDir = get('--child');
  if (childDir !== undefined) return child(childDir);
  const given = get('--dir');
  const root =
    given === undefined ? mkdtempSync(path.join(tmpdir(), 'leastpriv-access-')) : path.resolve(given);
  const sizes = (get('--sizes') ?? 'small,medium,large').split(',') as (keyof typeof SIZES)[];
  try {
    process.stdout.write(`access model and who-can, fresh process per size (Node ${process.version})\n\n`);
    process.stdout.write(
      `${['size', 'principals', 'load ms', 'model ms', 'facts ms', ...QUERIES.map((q) => `who-can ${q} ms (found/candidates)`), 'peak RSS MB'].join('\t')}\n`,
    );
    for (const name of sizes) {
      const size = SIZES[name];
      if (size === undefined) throw new Error(`unknown size ${name}; use small, medium, large`);
      const dir = path.join(root, name);
      if (!existsSync(path.join(dir, 'manifest.json'))) generateOrg({ ...size, out: dir, seed: 1 });
      const r = measure(dir);
      process.stdout.write(
        `${[
          name,
          r.principals,
          Math.round(r.loadMs),
          Math.round(r.modelMs),
          Math.round(r.factsMs),
          ...r.whoCan.map((q) => `${Math.round(q.ms)} (${q.found}/${q.candidates})`),
          Math.round(r.peakRssMb),
        ].join('\t')}\n`,
      );
    }
  } finally {
    if (given === undefined) rmSync(root, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
