import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../model/finding.js';
import { renderChecksDoc } from './checks-doc.js';
import { ALL_CHECKS } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}
const TEST_TEXTS = [...testFiles(here), ...testFiles(join(here, '..', '..', 'test'))].map((f) =>
  readFileSync(f, 'utf8'),
);

/** Control id shapes per framework (the ids the issue names: CIS IAM section, SOC 2 CC, ISO Annex A, PCI 4.0, HIPAA 164). */
const CONTROL_SHAPES: Record<string, RegExp> = {
  'cis-aws': /^1\.\d{1,2}$/,
  soc2: /^CC\d\.\d{1,2}$/,
  iso27001: /^A\.(5|8)\.\d{1,2}$/,
  'pci-dss': /^\d{1,2}(\.\d{1,2}){1,3}$/,
  hipaa: /^164\.\d{3}(\([a-zA-Z0-9]+\))+$/,
};

describe('the check catalogue', () => {
  it('has unique kebab-case ids', () => {
    const ids = ALL_CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(ALL_CHECKS.map((c) => [c.meta.id, c] as const))(
    '%s: lives in src/checks/<id>.ts, has a test, complete metadata',
    (id, check) => {
      const file = join(here, `${id}.ts`);
      expect(existsSync(file), `src/checks/${id}.ts`).toBe(true);
      // Pass and fail fixtures: some test file (src/checks or test/) imports or names the check.
      expect(
        TEST_TEXTS.some((t) => t.includes(`'${id}'`) || t.includes(`/${id}.js'`)),
        `a test for ${id}`,
      ).toBe(true);
      const m = check.meta;
      expect(SEVERITIES).toContain(m.severity);
      for (const field of ['title', 'description', 'risk', 'remediation', 'resourceType'] as const)
        expect(m[field].trim().length, field).toBeGreaterThan(0);
      expect(m.references.length).toBeGreaterThan(0);
      expect(Object.keys(m.compliance).length).toBeGreaterThan(0);
      for (const [fw, controls] of Object.entries(m.compliance)) {
        expect(Object.keys(CONTROL_SHAPES)).toContain(fw);
        for (const c of controls ?? []) expect(c, `${fw} ${c}`).toMatch(CONTROL_SHAPES[fw]!);
      }
    },
  );

  it('docs/checks.md is current (regenerate with `npx tsx scripts/generate-checks-doc.ts`)', () => {
    expect(readFileSync(join(here, '..', '..', 'docs', 'checks.md'), 'utf8')).toBe(
      renderChecksDoc(ALL_CHECKS),
    );
  });
});
