import { describe, expect, it } from 'vitest';
import { ACCESS_LEVELS } from '../../catalog/index.js';
import { loadSnapshot } from '../../collect/index.js';
import { accessModel } from './model.js';
import type { AccessSummary, LevelCounts } from './summary.js';
import { accessSummary } from './summary.js';

const ACME = new URL('../../../examples/acme', import.meta.url).pathname;
const now = new Date('2026-11-01T00:00:00Z');

const sum = (c: LevelCounts) => ACCESS_LEVELS.reduce((n, level) => n + c[level], 0);

async function summaries(conditions?: boolean): Promise<AccessSummary[]> {
  const { snapshot } = await loadSnapshot([ACME]);
  const model = accessModel(snapshot);
  return [...model.byArn.values()]
    .filter((e) => e.subject.kind !== 'group')
    .map((e) =>
      accessSummary(snapshot, e, {
        unusedDays: 90,
        now,
        ...(conditions === undefined ? {} : { conditions }),
      }),
    );
}

describe('accessSummary', () => {
  it('counts every allowed action in exactly one service and level (per view, the totals)', async () => {
    const all = await summaries();
    expect(all.length).toBeGreaterThan(10);
    for (const s of all) {
      for (const view of ['all', 'scoped', 'conditional'] as const)
        expect(
          s.services.reduce((n, service) => n + sum(service[view]), 0),
          `${s.principal} ${view}`,
        ).toBe(s.totals[view]);
      const names = s.services.map((x) => x.service);
      expect(names, s.principal).toEqual([...names].sort());
      for (const service of s.services)
        expect(sum(service.all) + sum(service.scoped) + sum(service.conditional)).toBeGreaterThan(0);
    }
    // The example organization has administrators (hundreds of services) and narrow roles.
    expect(Math.max(...all.map((s) => s.services.length))).toBeGreaterThan(100);
  });

  it('leaves out the condition texts on request and nothing else', async () => {
    const withTexts = await summaries();
    const without = await summaries(false);
    expect(withTexts.some((s) => s.services.some((x) => x.conditions.length > 0))).toBe(true);
    expect(without.every((s) => s.services.every((x) => x.conditions.length === 0))).toBe(true);
    const strip = (list: AccessSummary[]) =>
      list.map((s) => ({ ...s, services: s.services.map((x) => ({ ...x, conditions: [] })) }));
    expect(strip(without)).toEqual(strip(withTexts));
  });
});
