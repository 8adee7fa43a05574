import { describe, expect, it } from 'vitest';
import { detect } from '../../src/activity/detect/engine.js';
import { loadRules } from '../../src/activity/detect/rules.js';

const { rules, errors } = loadRules();

describe('detection rule files', () => {
  it('all load without errors', () => {
    expect(errors.map((e) => `${e.details.file}: ${e.message}`)).toEqual([]);
  });

  it('cover the issue with at least 30 rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(30);
  });

  it('have distinct titles', () => {
    expect(new Set(rules.map((r) => r.title)).size).toBe(rules.length);
  });
});

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  it.each(rule.tests.map((t) => [t.name, t] as const))('%s', (_name, test) => {
    const alerts = detect([rule], test.events);
    if (test.expect) {
      expect(alerts.length).toBeGreaterThan(0);
      for (const a of alerts) {
        expect(a.ruleId).toBe(rule.id);
        expect(a.eventIds.length).toBeGreaterThan(0);
        for (const id of a.eventIds) expect(test.events.map((e) => e.eventID)).toContain(id);
      }
    } else expect(alerts).toEqual([]);
  });
});
