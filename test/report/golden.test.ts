/**
 * Golden files for every format: the fixture audit result, and the example organization
 * (examples/acme) audited at its fixed "now". Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuditResult, audit } from '../../src/checks/index.js';
import { analysisContext } from './../../src/cli/report-context.js';
import { loadSnapshot } from '../../src/collect/index.js';
import type { OrgSnapshot } from '../../src/model/account.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import {
  REPORT_EXTENSIONS,
  REPORT_FORMATS,
  type ReportContext,
  type ReportFormat,
  renderReport,
  renderReportChunks,
} from '../../src/report/index.js';
import { FIXED_NOW, fixtureContext, fixtureResult } from './support/fixture.js';

const GOLDEN = new URL('./golden/', import.meta.url).pathname;
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (update || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    if (!update) throw new Error(`golden ${name} was missing and has been written: review and commit it`);
    return;
  }
  // Compared as text: a failure shows the first differing line, not a 2 MB blob.
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    const a = actual.split('\n');
    const e = expected.split('\n');
    const i = a.findIndex((line, k) => line !== e[k]);
    expect({ file: name, line: i + 1, actual: a[i], expected: e[i] }).toEqual({
      file: name,
      line: i + 1,
      actual: e[i],
      expected: e[i],
    });
  }
}

describe('golden: fixture audit result', () => {
  it.each(REPORT_FORMATS.filter((f) => f !== 'json' && f !== 'table'))('%s', (format) => {
    const options = { context: fixtureContext(), toolVersion: '0.0.0-test' };
    const out = renderReport(format, fixtureResult(), options);
    golden(`fixture.${REPORT_EXTENSIONS[format]}`, out);
    expect([...renderReportChunks(format, fixtureResult(), options)].join('')).toBe(out);
    expect([...renderReportChunks(format, fixtureResult(), { ...options, showKeyIds: true })].join('')).toBe(
      renderReport(format, fixtureResult(), { ...options, showKeyIds: true }),
    );
  });
});

describe('golden: the example organization', () => {
  let snapshot: OrgSnapshot;
  let result: AuditResult;
  let context: ReportContext;
  beforeAll(async () => {
    // A relative path keeps the snapshot's file paths (in evidence) the same on every machine.
    ({ snapshot } = await loadSnapshot(['examples/acme']));
    result = audit(snapshot, DEFAULT_CONFIG, { now: FIXED_NOW });
    context = analysisContext(snapshot, DEFAULT_CONFIG, FIXED_NOW);
  }, 120_000);

  it.each(REPORT_FORMATS)('%s', (format: ReportFormat) => {
    const out = renderReport(format, result, { snapshot, context, toolVersion: '0.0.0-test' });
    golden(`acme.${REPORT_EXTENSIONS[format]}`, out);
    // The same inputs give the same bytes, whole or in the pieces the CLI writes as they come.
    expect(renderReport(format, result, { snapshot, context, toolVersion: '0.0.0-test' })).toBe(out);
    expect(
      [...renderReportChunks(format, result, { snapshot, context, toolVersion: '0.0.0-test' })].join(''),
    ).toBe(out);
  });

  it('validates the json report against docs/audit-schema.json', async () => {
    // Both are CommonJS with a `default` export; under NodeNext the class sits on `.default`.
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    const schema = JSON.parse(readFileSync(new URL('../../docs/audit-schema.json', import.meta.url), 'utf8'));
    const validate = ajv.compile(schema);
    const json = JSON.parse(renderReport('json', result, { snapshot, context, toolVersion: '0.0.0-test' }));
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
