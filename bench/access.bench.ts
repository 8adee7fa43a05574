/**
 * Access-facts benchmark: loads one synthetic organization (bench/generate-org.ts), then times the
 * access model, the shared facts (`accessFacts`) and every check built on them, each on its own, in
 * audit order, with CPU time (a busy machine disturbs it less than wall time) and the heap the facts
 * keep. Optionally the per-identity access summaries of the HTML report (`--html`).
 *
 *   node --expose-gc --import tsx bench/access.bench.ts [--dir /tmp/org-large] [--html] [--repeat N]
 *
 * `--expose-gc` lets it report the retained heap (after a full GC) instead of the live one.
 */
import { existsSync } from 'node:fs';
import { loadForBench } from './support/snapshot-bench.js';

const argv = process.argv.slice(2);
const get = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dir = get('--dir') ?? '/tmp/org-large';
const repeat = Number(get('--repeat') ?? '1');
if (!existsSync(dir)) {
  process.stderr.write(
    `${dir} is missing: npx tsx bench/generate-org.ts --users 5000 --roles 15000 --policies 10000 --out ${dir}\n`,
  );
  process.exit(2);
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
}

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

const { DEFAULT_CONFIG } = await import('../src/model/config.js');
const { accessModel } = await import('../src/analysis/access/model.js');
const { accessFacts } = await import('../src/analysis/access/facts.js');
const { accessSummary } = await import('../src/analysis/access/summary.js');
const { credentialsExposureUnconstrained } = await import(
  '../src/checks/credentials-exposure-unconstrained.js'
);
const { customerPolicyFullAdmin } = await import('../src/checks/customer-policy-full-admin.js');
const { dataExfiltrationUnconstrained } = await import('../src/checks/data-exfiltration-unconstrained.js');
const { iamGroupAdmin } = await import('../src/checks/iam-group-admin.js');
const { iamRoleAdmin } = await import('../src/checks/iam-role-admin.js');
const { iamUserAdmin } = await import('../src/checks/iam-user-admin.js');
const { infrastructureModificationUnconstrained } = await import(
  '../src/checks/infrastructure-modification-unconstrained.js'
);
const { resourceExposureUnconstrained } = await import('../src/checks/resource-exposure-unconstrained.js');
const { serviceWideWildcard } = await import('../src/checks/service-wide-wildcard.js');
const { workloadRoleAdmin } = await import('../src/checks/workload-role-admin.js');
const { unusedServicesCheck } = await import('../src/checks/unused-services.js');

const { snapshot, users, roles, groups, policies } = await loadForBench(dir);
const ms = (n: number): string => `${Math.round(n)} ms`;
process.stdout.write(
  `${dir}: ${snapshot.accounts.size} accounts, ${users} users, ${roles} roles, ${groups} groups, ${policies} managed policies (Node ${process.version})\n`,
);
const baseHeap = heapMb();
process.stdout.write(`heap after load ${baseHeap} MB\n`);

const ctx = { snapshot, config: DEFAULT_CONFIG, now: new Date(snapshot.collectedAt ?? Date.now()) };
const checks = [
  credentialsExposureUnconstrained,
  customerPolicyFullAdmin,
  dataExfiltrationUnconstrained,
  iamGroupAdmin,
  iamRoleAdmin,
  iamUserAdmin,
  infrastructureModificationUnconstrained,
  resourceExposureUnconstrained,
  serviceWideWildcard,
  workloadRoleAdmin,
];

for (let round = 0; round < repeat; round++) {
  // The model and facts are cached per snapshot object: later rounds use a shallow copy, so they
  // recompute the per-principal work but reuse the per-policy and per-statement words (warm).
  const snap = round === 0 ? snapshot : { ...snapshot };
  const ctx = { snapshot: snap, config: DEFAULT_CONFIG, now: new Date(snapshot.collectedAt ?? Date.now()) };
  const model = timed(() => accessModel(snap));
  const facts = timed(() => accessFacts(snap));
  process.stdout.write(
    `round ${round + 1}${round === 0 ? '' : ' (warm policy words)'}: access model ${ms(model.ms)} (cpu ${ms(model.cpuMs)}), facts ${ms(facts.ms)} (cpu ${ms(facts.cpuMs)}) for ${facts.value.principals.length} principals and ${facts.value.groups.length} groups; heap +${heapMb() - baseHeap} MB\n`,
  );
  let totalMs = model.ms + facts.ms;
  let totalCpu = model.cpuMs + facts.cpuMs;
  for (const check of checks) {
    const r = timed(() => check.run(ctx));
    totalMs += r.ms;
    totalCpu += r.cpuMs;
    process.stdout.write(
      `  ${check.meta.id}\t${ms(r.ms)} (cpu ${ms(r.cpuMs)})\t${r.value.length} outcomes\n`,
    );
  }
  process.stdout.write(`  model + facts + checks\t${ms(totalMs)} (cpu ${ms(totalCpu)})\n`);
}
const unused = timed(() => unusedServicesCheck.run(ctx));
process.stdout.write(
  `unused-services (engine per principal, not facts)\t${ms(unused.ms)} (cpu ${ms(unused.cpuMs)})\t${unused.value.length} outcomes\n`,
);
process.stdout.write(`heap after checks +${heapMb() - baseHeap} MB\n`);

if (argv.includes('--html')) {
  const model = accessModel(snapshot);
  const html = timed(() => {
    let services = 0;
    for (const entry of model.principals) {
      if (entry.subject.kind === 'group') continue;
      services += accessSummary(snapshot, entry, { unusedDays: 90, now: ctx.now }).services.length;
    }
    return services;
  });
  process.stdout.write(
    `HTML access summaries: ${model.principals.length} principals, ${html.value} service rows, ${ms(html.ms)} (cpu ${ms(html.cpuMs)}); heap +${heapMb() - baseHeap} MB\n`,
  );
}
process.stdout.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
