/**
 * Audit benchmark: for small / medium / large synthetic organizations (bench/generate-org.ts), in a
 * fresh Node process per size, times loading the snapshot, then every check group of the full audit
 * in the order `leastpriv audit` shares analyses (credentials, access, exposure, escalation; each
 * check timed on its own, the first check to need an analysis pays for it), then `who-can` queries
 * in another fresh process (so they pay for the access model themselves, as the command does).
 * Prints sizes, wall time (and CPU time, which a busy machine disturbs less) per group and peak RSS.
 *
 *   npx tsx bench/audit.bench.ts [--dir DIR] [--sizes small,medium,large] [--skip-escalation] [--checks]
 *
 * `--checks` also prints each check's time. `leastpriv audit` itself is measured with the built CLI:
 *   /usr/bin/time -v node bin/leastpriv.js audit DIR --format json -o /tmp/out.json
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg, SIZES } from './generate-org.js';

interface AuditChild {
  readonly principals: number;
  readonly loadMs: number;
  readonly groups: readonly {
    readonly group: string;
    readonly ms: number;
    readonly cpuMs: number;
    readonly findings: number;
  }[];
  readonly checks: readonly { readonly id: string; readonly ms: number; readonly outcomes: number }[];
  readonly peakRssMb: number;
}

interface WhoCanChild {
  readonly loadMs: number;
  readonly whoCan: readonly {
    readonly action: string;
    readonly ms: number;
    readonly cpuMs: number;
    readonly found: number;
    readonly candidates: number;
  }[];
  readonly peakRssMb: number;
}

const self = fileURLToPath(import.meta.url);
const QUERIES = ['iam:PassRole', 's3:GetObject', 'iam:CreateAccessKey', 'kms:Decrypt'];

async function auditChild(dir: string, skipEscalation: boolean): Promise<void> {
  const { loadSnapshot } = await import('../src/collect/index.js');
  const { DEFAULT_CONFIG } = await import('../src/model/config.js');
  const { CREDENTIALS_CHECKS } = await import('../src/checks/registry-credentials.js');
  const { ACCESS_CHECKS } = await import('../src/checks/registry-access.js');
  const { EXPOSURE_CHECKS } = await import('../src/checks/registry-exposure.js');
  const { ESCALATION_CHECKS } = await import('../src/checks/registry-escalation.js');
  const { getCatalog } = await import('../src/catalog/index.js');
  getCatalog();
  let t = performance.now();
  const { snapshot } = await loadSnapshot([dir]);
  const loadMs = performance.now() - t;
  const ctx = { snapshot, config: DEFAULT_CONFIG, now: new Date(snapshot.collectedAt ?? Date.now()) };
  const groups: { group: string; ms: number; cpuMs: number; findings: number }[] = [];
  const checks: { id: string; ms: number; outcomes: number }[] = [];
  const plan = [
    ['credentials', CREDENTIALS_CHECKS],
    ['access', ACCESS_CHECKS],
    ['exposure', EXPOSURE_CHECKS],
    ...(skipEscalation ? [] : [['escalation', ESCALATION_CHECKS] as const]),
  ] as const;
  for (const [group, list] of plan) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let findings = 0;
    for (const check of list) {
      t = performance.now();
      const outcomes = check.run(ctx).length;
      checks.push({ id: check.meta.id, ms: performance.now() - t, outcomes });
      findings += outcomes;
    }
    const used = process.cpuUsage(cpu);
    groups.push({
      group,
      ms: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      findings,
    });
  }
  let principals = 0;
  for (const a of snapshot.accounts.values()) principals += a.users.size + a.roles.size;
  const out: AuditChild = {
    principals,
    loadMs,
    groups,
    checks,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function whoCanChild(dir: string): Promise<void> {
  const { loadSnapshot } = await import('../src/collect/index.js');
  const { whoCan } = await import('../src/analysis/access/query.js');
  const { getCatalog } = await import('../src/catalog/index.js');
  getCatalog();
  const t = performance.now();
  const { snapshot } = await loadSnapshot([dir]);
  const loadMs = performance.now() - t;
  const results = QUERIES.map((action) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = whoCan(snapshot, action);
    const used = process.cpuUsage(cpu);
    return {
      action,
      ms: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      found: r.principals.length,
      candidates: r.candidates,
    };
  });
  const out: WhoCanChild = { loadMs, whoCan: results, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function measure<T>(args: readonly string[]): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as T;
}

async function main(argv: readonly string[]): Promise<void> {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const skipEscalation = argv.includes('--skip-escalation');
  const auditDir = get('--audit-child');
  if (auditDir !== undefined) return auditChild(auditDir, skipEscalation);
  const whoCanDir = get('--who-can-child');
  if (whoCanDir !== undefined) return whoCanChild(whoCanDir);
  const given = get('--dir');
  const root =
    given === undefined ? mkdtempSync(path.join(tmpdir(), 'leastpriv-audit-')) : path.resolve(given);
  const sizes = (get('--sizes') ?? 'small,medium,large').split(',') as (keyof typeof SIZES)[];
  const perCheck = argv.includes('--checks');
  const ms = (n: number): number => Math.round(n);
  try {
    process.stdout.write(
      `full audit per check group and who-can, fresh process per size and per part (Node ${process.version})${skipEscalation ? ', escalation skipped' : ''}\n\n`,
    );
    const groupNames = ['credentials', 'access', 'exposure', ...(skipEscalation ? [] : ['escalation'])];
    process.stdout.write(
      `${['size', 'users/roles/policies', 'principals', 'load ms', ...groupNames.map((g) => `${g} ms (cpu)`), 'checks ms', 'peak RSS MB', ...QUERIES.map((q) => `who-can ${q} ms (cpu; found/candidates)`), 'who-can RSS MB'].join('\t')}\n`,
    );
    for (const name of sizes) {
      const size = SIZES[name];
      if (size === undefined) throw new Error(`unknown size ${name}; use small, medium, large`);
      const dir = path.join(root, name);
      if (!existsSync(path.join(dir, 'manifest.json'))) generateOrg({ ...size, out: dir, seed: 1 });
      const a = measure<AuditChild>(['--audit-child', dir, ...(skipEscalation ? ['--skip-escalation'] : [])]);
      const w = measure<WhoCanChild>(['--who-can-child', dir]);
      const checksMs = a.groups.reduce((sum, g) => sum + g.ms, 0);
      process.stdout.write(
        `${[
          name,
          `${size.users}/${size.roles}/${size.policies}`,
          a.principals,
          ms(a.loadMs),
          ...a.groups.map((g) => `${ms(g.ms)} (${ms(g.cpuMs)})`),
          ms(checksMs),
          ms(a.peakRssMb),
          ...w.whoCan.map((q) => `${ms(q.ms)} (${ms(q.cpuMs)}; ${q.found}/${q.candidates})`),
          ms(w.peakRssMb),
        ].join('\t')}\n`,
      );
      if (perCheck)
        for (const c of a.checks) process.stdout.write(`  ${c.id}\t${ms(c.ms)} ms\t${c.outcomes} outcomes\n`);
    }
  } finally {
    if (given === undefined) rmSync(root, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
