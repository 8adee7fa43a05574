/**
 * Third-party register and exposure benchmark: for each snapshot folder, in a fresh Node process,
 * loads the snapshot, compiles every policy (the engine caches compiled policies per policy
 * object, and in a full audit other checks have compiled them before), then times
 * - exposure: `externalAccess` plus the five checks built on it (resource-public,
 *   resource-cross-account, role-trust-public, role-trust-foreign-no-external-id,
 *   service-trust-confused-deputy), as the audit runs them;
 * - register: `thirdPartyAccess` (the `thirdPartyAccess` section of the audit JSON), after exposure
 *   so the trust analysis is shared as in the audit.
 * Prints sizes, wall and CPU ms of each, rows and findings, a digest of the register and findings
 * (to compare runs byte for byte), the heap the register keeps alive and peak RSS.
 *
 *   npx tsx bench/generate-org.ts --users 5000 --roles 15000 --policies 10000 --out /tmp/org-large
 *   npx tsx bench/third-party.bench.ts /tmp/org-medium /tmp/org-large
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileAll, loadForBench } from './support/snapshot-bench.js';

interface ChildResult {
  readonly accounts: number;
  readonly users: number;
  readonly roles: number;
  readonly policies: number;
  readonly resourcePolicies: number;
  readonly loadMs: number;
  readonly compileMs: number;
  readonly exposureMs: number;
  readonly exposureCpuMs: number;
  readonly findings: number;
  readonly registerMs: number;
  readonly registerCpuMs: number;
  readonly rows: number;
  readonly digest: string;
  readonly registerHeapMb: number;
  readonly peakRssMb: number;
}

const self = fileURLToPath(import.meta.url);

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function child(dir: string): Promise<void> {
  const { DEFAULT_CONFIG } = await import('../src/model/config.js');
  const { thirdPartyAccess } = await import('../src/analysis/third-party.js');
  const { zoneOptionsFromConfig } = await import('../src/analysis/exposure/index.js');
  const checks = [
    (await import('../src/checks/resource-public.js')).resourcePublic,
    (await import('../src/checks/resource-cross-account.js')).resourceCrossAccount,
    (await import('../src/checks/role-trust-public.js')).roleTrustPublic,
    (await import('../src/checks/role-trust-foreign-no-external-id.js')).roleTrustForeignNoExternalId,
    (await import('../src/checks/service-trust-confused-deputy.js')).serviceTrustConfusedDeputy,
  ];
  const { snapshot, loadMs, users, roles, policies, resourcePolicies } = await loadForBench(dir);
  const compileMs = await compileAll(snapshot);
  const config = DEFAULT_CONFIG;
  const ctx = { snapshot, config, now: new Date('2026-11-01T00:00:00Z') };
  const hash = createHash('sha256');

  let t = performance.now();
  let cpu = process.cpuUsage();
  const outcomes = checks.map((c) => c.run(ctx));
  const exposureMs = performance.now() - t;
  const exposureCpuMs = cpuMs(cpu);
  for (const o of outcomes) hash.update(JSON.stringify(o));

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  cpu = process.cpuUsage();
  const rows = thirdPartyAccess(snapshot, zoneOptionsFromConfig(config));
  const registerMs = performance.now() - t;
  const registerCpuMs = cpuMs(cpu);
  gc?.();
  const registerHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  hash.update(JSON.stringify(rows));

  const out: ChildResult = {
    accounts: snapshot.accounts.size,
    users,
    roles,
    policies,
    resourcePolicies,
    loadMs,
    compileMs,
    exposureMs,
    exposureCpuMs,
    findings: outcomes.reduce((n, o) => n + o.length, 0),
    registerMs,
    registerCpuMs,
    rows: rows.length,
    digest: hash.digest('hex').slice(0, 16),
    registerHeapMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function measure(dir: string): ChildResult {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`run on ${dir} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
}

async function main(argv: readonly string[]): Promise<void> {
  const i = argv.indexOf('--child');
  if (i >= 0) return child(argv[i + 1] ?? '');
  const dirs = argv.filter((a) => !a.startsWith('--'));
  if (dirs.length === 0) {
    process.stderr.write('usage: npx tsx bench/third-party.bench.ts SNAPSHOT_DIR [...]\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(
    `third-party register and exposure checks, fresh process per snapshot (Node ${process.version})\n\n`,
  );
  const head = [
    'snapshot',
    'accounts',
    'users',
    'roles',
    'policies',
    'resource policies',
    'load ms',
    'compile ms',
    'exposure ms (CPU)',
    'findings',
    'register ms (CPU)',
    'rows',
    'register heap MB',
    'peak RSS MB',
    'digest',
  ];
  process.stdout.write(`${head.join('\t')}\n`);
  for (const dir of dirs) {
    const r = measure(path.resolve(dir));
    process.stdout.write(
      `${[
        path.basename(dir),
        r.accounts,
        r.users,
        r.roles,
        r.policies,
        r.resourcePolicies,
        Math.round(r.loadMs),
        Math.round(r.compileMs),
        `${Math.round(r.exposureMs)} (${Math.round(r.exposureCpuMs)})`,
        r.findings,
        `${Math.round(r.registerMs)} (${Math.round(r.registerCpuMs)})`,
        r.rows,
        r.registerHeapMb.toFixed(1),
        Math.round(r.peakRssMb),
        r.digest,
      ].join('\t')}\n`,
    );
  }
}

await main(process.argv.slice(2));
