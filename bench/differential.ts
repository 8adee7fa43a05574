/**
 * Differential run outside vitest, for any number of cases:
 *   npx tsx bench/differential.ts --cases 1000000 --seed 42 [--minimize]
 * Prints outcome counts, disagreements by class (with the smallest example of each, minimized on
 * request) and throughput. Exits 1 when a disagreement is unexplained.
 */
import fc from 'fast-check';
import { compareOne, Tally } from '../test/differential/compare.js';
import { requestArb } from '../test/differential/generators.js';
import { minimize } from '../test/differential/minimize.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const cases = Number(flag('cases') ?? 10_000);
const seed = Number(flag('seed') ?? Date.now() % 0x7fff_ffff);
const shouldMinimize = process.argv.includes('--minimize');
if (!Number.isInteger(cases) || cases <= 0 || !Number.isInteger(seed)) {
  console.error('usage: npx tsx bench/differential.ts --cases N --seed N [--minimize]');
  process.exit(2);
}

const arb = requestArb({ sessionAndEndpoint: true, anonymous: true });
const tally = new Tally();
const started = performance.now();
// Sample in batches: fc.sample builds the whole array, and a million requests do not fit nicely.
const BATCH = 5_000;
for (let done = 0, batch = 0; done < cases; batch++) {
  const n = Math.min(BATCH, cases - done);
  for (const request of fc.sample(arb, { numRuns: n, seed: seed + batch }))
    tally.add(await compareOne(request));
  done += n;
  if (batch % 20 === 19) console.error(`… ${done} cases, ${tally.unexplained()} unexplained`);
}
const seconds = (performance.now() - started) / 1000;

console.log(`cases: ${cases}  seed: ${seed}  generator: requestArb({ sessionAndEndpoint, anonymous })`);
console.log('outcomes:');
for (const [key, count] of [...tally.outcomes].sort((a, b) => b[1] - a[1])) console.log(`  ${key}: ${count}`);
console.log('disagreements by class:');
if (tally.disagreements.size === 0) console.log('  none');
for (const [cls, { count, example }] of tally.disagreements) {
  console.log(`  ${cls}: ${count}`);
  const shown = shouldMinimize && cls.startsWith('unexplained') ? await minimize(example) : example;
  console.log(`    example: ${JSON.stringify(shown)}`);
}
console.log(
  `throughput: ${(cases / seconds).toFixed(0)} comparisons/s (${seconds.toFixed(1)} s; oracle with validation + our parse, compile, evaluate)`,
);
process.exit(tally.unexplained() > 0 ? 1 : 0);
