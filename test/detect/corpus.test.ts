import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOT_COVERED, pantherScores, stratusCoverage } from '../../src/activity/detect/coverage.js';
import { loadRules } from '../../src/activity/detect/rules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'cloudtrail');
const present = existsSync(corpus);
if (!present) console.warn(`skipping detection corpus tests: ${corpus} is absent`);

const { rules } = loadRules();

describe.skipIf(!present)('Stratus Red Team detonation logs', () => {
  const results = present
    ? stratusCoverage(path.join(corpus, 'stratus-red-team-detonation-logs'), rules)
    : [];

  it('reads every technique log', () => {
    expect(results.filter((r) => !r.synthetic).length).toBeGreaterThanOrEqual(35);
  });

  it('detects every in-scope technique or says why not', () => {
    const unexplained = results.filter((r) => r.inScope && r.alertedBy.length === 0 && !r.notCoveredReason);
    expect(unexplained.map((r) => r.technique)).toEqual([]);
  });

  it('lists as not covered only techniques that really go undetected', () => {
    for (const [technique] of NOT_COVERED) {
      const r = results.find((x) => x.technique === technique);
      expect(r, technique).toBeDefined();
      expect(r?.alertedBy, technique).toEqual([]);
    }
  });

  it('fires each rule on the techniques its file claims', () => {
    for (const r of rules)
      for (const technique of r.stratus ?? []) {
        const result = results.find((x) => x.technique === technique);
        expect(result, `${r.id} claims ${technique}`).toBeDefined();
        expect(result?.alertedBy, `${r.id} on ${technique}`).toContain(r.id);
      }
  });

  it('replays the S3 backdoor policy (no detonation log) as a foreign-account grant', () => {
    const r = results.find((x) => x.technique === 'aws.exfiltration.s3-backdoor-bucket-policy');
    expect(r?.synthetic).toBe(true);
    expect(r?.alertedBy).toContain('s3-bucket-policy-foreign-account');
  });
});

describe.skipIf(!present)('Panther labelled events', () => {
  const scores = present ? pantherScores(path.join(corpus, 'panther-analysis-rule-tests'), rules) : [];

  it('maps a meaningful share of the Panther rules', () => {
    expect(scores.length).toBeGreaterThanOrEqual(15);
    const evaluated = scores.reduce((n, s) => n + s.tp + s.fp + s.fn + s.tn, 0);
    expect(evaluated).toBeGreaterThanOrEqual(60);
  });

  // SOURCE.md: "for each mapped rule, all true rows must alert and all false rows must not".
  it.each(scores.map((s) => [s.pantherRule, s] as const))(
    '%s: every true row alerts, no false row does',
    (_id, s) => {
      expect(s.tp + s.fn, 'at least one labelled true row').toBeGreaterThan(0);
      expect(s.misses).toEqual([]);
      expect(s.precision).toBe(1);
      expect(s.recall).toBe(1);
    },
  );
});
