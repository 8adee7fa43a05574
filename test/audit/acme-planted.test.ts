import { beforeAll, describe, expect, it } from 'vitest';
import { noiseRows, plantedProblems } from '../../scripts/generate-example-org.js';
import { audit } from '../../src/checks/index.js';
import { loadSnapshot } from '../../src/collect/index.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import type { Finding } from '../../src/model/finding.js';

// The proof for the audit: every problem planted in examples/acme is found by the check the
// README names, and the documented noise draws no finding beyond the ones listed as expected there.
const NOW = new Date('2026-11-01T00:00:00Z');
const root = new URL('../../examples/acme', import.meta.url).pathname;

let findings: readonly Finding[] = [];
beforeAll(async () => {
  const { snapshot, errors } = await loadSnapshot([root]);
  expect(errors).toEqual([]);
  findings = audit(snapshot, DEFAULT_CONFIG, { now: NOW }).findings;
}, 120_000);

function about(f: Finding, target: string): boolean {
  return f.resourceArn === target || f.principal === target;
}

describe('examples/acme through leastpriv audit', () => {
  it('finds every planted problem with the check its README names', async () => {
    const planted = await plantedProblems();
    expect(planted.length).toBeGreaterThanOrEqual(60);
    const missed = planted.filter(
      (p) =>
        !findings.some(
          (f) =>
            f.checkId === p.check &&
            f.status === 'fail' &&
            (about(f, p.target) || JSON.stringify(f.evidence).includes(p.target)),
        ),
    );
    expect(missed.map((m) => `${m.check} ${m.target}`)).toEqual([]);
  });

  it('flags none of the documented noise beyond the findings listed as expected there', async () => {
    const noise = await noiseRows();
    expect(noise.length).toBeGreaterThanOrEqual(20);
    const unexpected: string[] = [];
    for (const n of noise) {
      const allowed = new Set(n.expected?.match(/[a-z0-9]+(?:-[a-z0-9]+)+/g) ?? []);
      for (const f of findings) {
        if (about(f, n.target) && !allowed.has(f.checkId)) unexpected.push(`${f.checkId} ${n.target}`);
      }
    }
    expect(unexpected).toEqual([]);
  });
});
