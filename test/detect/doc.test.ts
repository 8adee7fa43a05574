import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pantherScores, stratusCoverage } from '../../src/activity/detect/coverage.js';
import { DERIVED_FIELD_DOCS, renderDetectionsDoc } from '../../src/activity/detect/doc.js';
import { DERIVED_FIELDS } from '../../src/activity/detect/fields.js';
import { loadRules } from '../../src/activity/detect/rules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'cloudtrail');
const present = existsSync(corpus);

describe('docs/detections.md', () => {
  it('describes every derived field', () => {
    expect(DERIVED_FIELDS.filter((f) => DERIVED_FIELD_DOCS[f] === undefined)).toEqual([]);
  });

  it.skipIf(!present)('is current (regenerate with npx tsx scripts/generate-detections-doc.ts)', () => {
    const { rules } = loadRules();
    const expected = renderDetectionsDoc({
      rules,
      stratus: stratusCoverage(path.join(corpus, 'stratus-red-team-detonation-logs'), rules),
      panther: pantherScores(path.join(corpus, 'panther-analysis-rule-tests'), rules),
    });
    expect(readFileSync(path.join(repoRoot, 'docs', 'detections.md'), 'utf8')).toBe(expected);
  });
});
