import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureResult } from '../../test/report/support/fixture.js';
import { FINDINGS_CSV_HEADER } from './audit-csv.js';
import { escapeMarkdown } from './audit-markdown.js';
import { REPORT_JS } from './html/client.js';
import { reportCsp } from './html/render.js';
import { REPORT_CSS } from './html/style.js';
import { maskKeyIds, REPORT_FORMATS, renderReport } from './index.js';

const repoRoot = new URL('../../', import.meta.url).pathname;
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const options = { context: fixtureContext(), toolVersion: '1.2.3' };

describe('access key ids', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'AKIA…MPLE'],
    ['key ASIAABCDEFGHIJKLWXYZ used', 'key ASIA…WXYZ used'],
    ['AKIASHORT', 'AKIASHORT'],
  ])('masks %s', (input, expected) => {
    expect(maskKeyIds(input)).toBe(expected);
  });

  // json and table need the snapshot: covered by the golden tests on the example organization.
  it.each(REPORT_FORMATS.filter((f) => f !== 'json' && f !== 'table'))(
    '%s shows only the masked id by default',
    (format) => {
      const out = renderReport(format, fixtureResult(), options);
      expect(out).not.toContain(KEY);
      expect(out).toContain('AKIA…MPLE');
      expect(renderReport(format, fixtureResult(), { ...options, showKeyIds: true })).toContain(KEY);
    },
  );
});

describe('csv', () => {
  it('round-trips through a CSV parser: one row per finding, cells as written', () => {
    const evil = fixtureResult((s) => `=HYPERLINK("http://x","${s}"),\r\n`);
    const text = renderReport('csv', evil, options);
    const rows = parse(text, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual(FINDINGS_CSV_HEADER);
    expect(rows).toHaveLength(evil.findings.length + 1);
    const message = rows[1]?.[FINDINGS_CSV_HEADER.indexOf('message')];
    expect(message).toBe(`'${evil.findings[0]?.message}`);
  });

  it.each(['=', '+', '-', '@', '\t', '\r', '\0'])('neutralises a cell starting with %j', (c) => {
    const r = fixtureResult((s) => `${c}${s}`);
    const rows = parse(renderReport('csv', r, options)) as string[][];
    const col = FINDINGS_CSV_HEADER.indexOf('message');
    for (const row of rows.slice(1)) expect(row[col]?.startsWith("'")).toBe(true);
  });

  it('marks suppressed findings with their reason', () => {
    const rows = parse(renderReport('csv', fixtureResult(), options), { columns: true }) as Record<
      string,
      string
    >[];
    const s = rows.find((r) => r.check_id === 'missing-owner-tag');
    expect(s?.suppressed).toBe('true');
    expect(s?.suppression_reason).toBe('Roles are owned by the platform team');
    expect(rows.filter((r) => r.suppressed === 'true')).toHaveLength(1);
  });
});

describe('sarif', () => {
  const log = JSON.parse(renderReport('sarif', fixtureResult(), options));
  const results = log.runs[0].results as Record<string, any>[];

  it('validates against the official SARIF 2.1.0 schema', (ctx) => {
    const schemaPath = join(repoRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
    if (!existsSync(schemaPath)) {
      ctx.skip(`SARIF schema not found at ${schemaPath} (../shared is absent in a user's clone)`);
      return;
    }
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('points at the statement line in the input file and names the ARN as a logical location', () => {
    const esc = results.find((r) => r.ruleId === 'privilege-escalation');
    const loc = esc?.locations[0];
    expect(loc.physicalLocation.artifactLocation.uri).toBe(
      'account-data/111122223333/us-east-1/iam-get-account-authorization-details.json',
    );
    expect(loc.physicalLocation.region).toEqual({ startLine: 42, startColumn: 9 });
    expect(loc.logicalLocations[0]).toEqual({
      fullyQualifiedName: 'arn:aws:iam::111122223333:user/alice',
      kind: 'resource',
    });
    expect(loc.logicalLocations).toContainEqual({
      fullyQualifiedName: 'UserDetailList[0].UserPolicyList[0]',
      kind: 'member',
    });
  });

  it('gives rules security-severity, help text and tags', () => {
    const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'privilege-escalation');
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.help.text).toContain('How to fix privilege-escalation.');
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'escalation', 'cis-aws:1.4']));
  });

  it('keeps fingerprints stable across runs and distinct across findings', () => {
    const again = JSON.parse(renderReport('sarif', fixtureResult(), options)).runs[0].results;
    const prints = results.map((r) => r.partialFingerprints['leastprivFinding/v1']);
    expect(again.map((r: Record<string, any>) => r.partialFingerprints['leastprivFinding/v1'])).toEqual(
      prints,
    );
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('marks suppressed findings with suppressions and undecided ones as review', () => {
    const sup = results.find((r) => r.ruleId === 'missing-owner-tag');
    expect(sup?.suppressions).toEqual([
      expect.objectContaining({
        kind: 'external',
        status: 'accepted',
        justification: 'Roles are owned by the platform team',
      }),
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
    const unknown = results.find((r) => r.ruleId === 'support-role-missing');
    expect(unknown).toMatchObject({ kind: 'review', level: 'none' });
  });
});

describe('ocsf and asff', () => {
  it('ocsf: one Detection Finding (2004) per finding with severity, status and compliance', () => {
    const events = JSON.parse(renderReport('ocsf', fixtureResult(), options)) as Record<string, any>[];
    expect(events).toHaveLength(6);
    const e = events[0] as Record<string, any>;
    expect(e).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 5,
    });
    expect(e.finding_info.uid).toBe('a1b2c3d4e5f600000001');
    expect(e.unmapped.compliance).toContainEqual(
      expect.objectContaining({ framework: 'cis-aws', requirements: ['1.4'] }),
    );
    expect(events.find((x) => x.finding_info.analytic.uid === 'missing-owner-tag')?.status_id).toBe(3);
  });

  it('asff: the BatchImportFindings body with the required attributes', () => {
    const body = JSON.parse(renderReport('asff', fixtureResult(), { ...options, region: 'eu-west-1' }));
    const f = body.Findings[0];
    for (const k of [
      'SchemaVersion',
      'Id',
      'ProductArn',
      'GeneratorId',
      'AwsAccountId',
      'Types',
      'CreatedAt',
      'UpdatedAt',
      'Severity',
      'Title',
      'Description',
      'Resources',
    ])
      expect(f[k], k).toBeDefined();
    expect(f.SchemaVersion).toBe('2018-10-08');
    expect(f.ProductArn).toBe('arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default');
    expect(f.Severity.Label).toBe('CRITICAL');
    expect(f.Resources[0]).toMatchObject({ Type: 'AwsIamUser', Id: 'arn:aws:iam::111122223333:user/alice' });
    const suppressed = body.Findings.find(
      (x: Record<string, any>) => x.GeneratorId === 'leastpriv/missing-owner-tag',
    );
    expect(suppressed.Workflow.Status).toBe('SUPPRESSED');
    const unknown = body.Findings.find(
      (x: Record<string, any>) => x.GeneratorId === 'leastpriv/support-role-missing',
    );
    expect(unknown.Compliance.Status).toBe('WARNING');
  });
});

describe('markdown', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
    ['a | b', 'a \\| b'],
    ['[x](javascript:alert(1))', '\\[x\\]\\(javascript:alert\\(1\\)\\)'],
    ['@team', '@\u200bteam'],
    ['line\nbreak', 'line break'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('has a summary table and findings grouped by severity, suppressed ones apart', () => {
    const md = renderReport('markdown', fixtureResult(), options);
    expect(md).toContain('| Critical | 1 | 0 |');
    expect(md.indexOf('### Critical')).toBeLessThan(md.indexOf('### High'));
    expect(md).toContain('<details><summary>Suppressed findings</summary>');
  });
});

describe('html', () => {
  const html = renderReport('html', fixtureResult(), options);

  it('pins its one inline style and one inline script by hash in the CSP', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBe(reportCsp(REPORT_CSS, REPORT_JS));
    expect(csp).toMatch(
      /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src data:/,
    );
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain(`<script>${REPORT_JS}</script>`);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
  });

  it('requests nothing from outside the file', () => {
    expect(html).not.toMatch(/\b(src|href)="(?!#|data:)/);
    expect(html).not.toMatch(/url\((?!#)/);
  });

  it('embeds the data as JSON with <, >, &, U+2028 and U+2029 escaped', () => {
    const evil = fixtureResult((s) => `${s}</script><!--&\u2028\u2029`);
    const out = renderReport('html', evil, options);
    const json =
      /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(out)?.[1] ?? '';
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json).findings[0].message).toBe(evil.findings[0]?.message);
  });

  it('draws the escalation path of a principal as a graph', () => {
    const page = html.slice(html.indexOf('<section class="principal"'));
    expect(page).toContain('<svg class="graph"');
    expect(page).toContain('iam-passrole-lambda');
  });
});
