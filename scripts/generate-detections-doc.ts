/**
 * Regenerates docs/detections.md from the rule files and the public corpus:
 *   npx tsx scripts/generate-detections-doc.ts
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pantherScores, stratusCoverage } from '../src/activity/detect/coverage.js';
import { renderDetectionsDoc } from '../src/activity/detect/doc.js';
import { loadRules } from '../src/activity/detect/rules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'cloudtrail');
if (!existsSync(corpus)) {
  process.stderr.write(`generate-detections-doc: ${corpus} is absent; the coverage tables need it\n`);
  process.exit(2);
}
const { rules, errors } = loadRules();
if (errors.length > 0) {
  for (const e of errors) process.stderr.write(`${e.details.file}: ${e.message}\n`);
  process.exit(2);
}
const text = renderDetectionsDoc({
  rules,
  stratus: stratusCoverage(path.join(corpus, 'stratus-red-team-detonation-logs'), rules),
  panther: pantherScores(path.join(corpus, 'panther-analysis-rule-tests'), rules),
});
writeFileSync(path.join(root, 'docs', 'detections.md'), text);
process.stdout.write(`wrote docs/detections.md (${rules.length} rules)\n`);
