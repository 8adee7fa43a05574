/**
 * Catalogue benchmark: `npx tsx bench/catalog.bench.ts`
 *
 * Measures, single-threaded: first-call load of the whole iam-data catalogue; action-pattern
 * expansion (distinct patterns, i.e. cache misses, then the same patterns again as cache hits);
 * ActionSet unions over the full action universe; condition-key lookups.
 */
import { getCatalog } from '../src/catalog/index.js';

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

const load = time(() => getCatalog());
const catalog = load.value;
console.log(`iam-data ${catalog.dataVersion}`);
console.log(`catalogue load (first call): ${load.ms.toFixed(1)} ms`);
console.log(`actions: ${catalog.actionCount}, services: ${catalog.services().length}`);
const repeatCalls = 1_000_000;
const again = time(() => {
  let n = 0;
  for (let i = 0; i < repeatCalls; i++) n += getCatalog().actionCount;
  return n;
});
console.log(`getCatalog() after load: ${rate(repeatCalls, again.ms)}`);

// Distinct patterns shaped like real policies: per-service wildcards plus a few cross-service ones.
const patterns: string[] = [];
for (const service of catalog.services()) {
  patterns.push(
    `${service}:*`,
    `${service}:Get*`,
    `${service}:List*`,
    `${service}:Describe*`,
    `${service}:?ut*`,
  );
}
patterns.push('*:Get*', '*:*Policy*', 's3:*Object*', 'ec2:*Instance?');
const miss = time(() => {
  let total = 0;
  for (const p of patterns) total += catalog.expandActionPattern(p).set.isEmpty() ? 0 : 1;
  return total;
});
console.log(
  `pattern expansions, uncached: ${patterns.length} patterns in ${miss.ms.toFixed(1)} ms = ${rate(patterns.length, miss.ms)}`,
);
const rounds = 20;
const hit = time(() => {
  let total = 0;
  for (let r = 0; r < rounds; r++) for (const p of patterns) total += catalog.expandActionPattern(p).set.size;
  return total;
});
console.log(`pattern expansions, memoised: ${rate(patterns.length * rounds, hit.ms)}`);

// Unions of realistic sets (a service wildcard with a cross-service Get*).
const a = catalog.expandActionPattern('ec2:*').set;
const b = catalog.expandActionPattern('*:Get*').set;
const unions = 200_000;
const u = time(() => {
  let sink = 0;
  for (let i = 0; i < unions; i++) sink += a.union(b).size;
  return sink;
});
console.log(`ActionSet union (${catalog.actionCount} bits): ${rate(unions, u.ms)}`);
const counts = time(() => {
  let sink = 0;
  for (let i = 0; i < unions; i++) sink += a.intersect(b).count();
  return sink;
});
console.log(`ActionSet intersect + count: ${rate(unions, counts.ms)}`);
const probes = 10_000_000;
const hasTime = time(() => {
  let hits = 0;
  for (let i = 0; i < probes; i++) if (b.has(i % catalog.actionCount)) hits++;
  return hits;
});
console.log(`ActionSet has: ${rate(probes, hasTime.ms)}`);

const keys = [
  'aws:SourceIp',
  'aws:RequestTag/team',
  's3:prefix',
  'ec2:ResourceTag/Name',
  'kms:EncryptionContext:x',
];
const firstKeys = time(() => keys.map((k) => catalog.lookupConditionKey(k)));
console.log(`condition-key lookups, first (loads files): ${firstKeys.ms.toFixed(1)} ms for ${keys.length}`);
const lookups = 500_000;
const kl = time(() => {
  let found = 0;
  for (let i = 0; i < lookups; i++) if (catalog.lookupConditionKey(keys[i % keys.length]!)) found++;
  return found;
});
console.log(`condition-key lookups, warm: ${rate(lookups, kl.ms)}`);
