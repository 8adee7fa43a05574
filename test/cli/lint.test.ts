import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';

const good = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }],
});
const typo = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "arn:aws:s3:::bucket/*" }
  ]
}`;
const passRole = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }],
});

describe('leastpriv lint', () => {
  it('exits 0 and says so for a clean policy', async () => {
    const r = await runCli(['lint', 'good.json'], { 'good.json': good });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no issues');
  });

  it('exits 1 on an ERROR and points at the line of the unknown action', async () => {
    const r = await runCli(['lint', 'typo.json', '--format', 'json'], { 'typo.json': typo });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    const issue = out.files[0].issues.find((i: { severity: string }) => i.severity === 'ERROR');
    expect(issue).toBeDefined();
    expect(issue.line).toBe(4);
    expect(issue.message).toMatch(/GetObjcet/);
  });

  it('--fail-on decides the exit code: a security warning fails only at SECURITY_WARNING or below', async () => {
    const files = { 'p.json': passRole };
    expect((await runCli(['lint', 'p.json'], files)).code).toBe(0);
    expect((await runCli(['lint', 'p.json', '--fail-on', 'SECURITY_WARNING'], files)).code).toBe(1);
    expect((await runCli(['lint', 'p.json', '--fail-on', 'security_warning'], files)).code).toBe(1);
  });

  it('reports an unreadable file, still lints the others, and exits 2', async () => {
    const r = await runCli(['lint', 'missing.json', 'typo.json', '--format', 'json'], { 'typo.json': typo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.json: no such file');
    const out = JSON.parse(r.stdout);
    expect(out.files.map((f: { file: string }) => f.file)).toEqual(['missing.json', 'typo.json']);
    expect(out.files[1].issues.length).toBeGreaterThan(0);
  });

  it('rejects an unknown --type with exit 2', async () => {
    const r = await runCli(['lint', 'good.json', '--type', 'bogus'], { 'good.json': good });
    expect(r.code).toBe(2);
  });

  it('reads a URL-encoded policy as the raw IAM API returns it', async () => {
    const r = await runCli(['lint', 'enc.txt', '--format', 'json'], { 'enc.txt': encodeURIComponent(typo) });
    const out = JSON.parse(r.stdout);
    expect(out.files[0].issues.some((i: { message: string }) => /GetObjcet/.test(i.message))).toBe(true);
  });

  it('writes SARIF 2.1.0 that validates against the official schema, with the line of the statement', async (ctx) => {
    const schemaPath = join(repoRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
    if (!existsSync(schemaPath)) {
      ctx.skip(`SARIF schema not found at ${schemaPath} (../shared is absent in a user's clone)`);
      return;
    }
    const r = await runCli(['lint', 'typo.json', 'p.json', '--format', 'sarif', '--fail-on', 'SUGGESTION'], {
      'typo.json': typo,
      'p.json': passRole,
    });
    const log = JSON.parse(r.stdout);
    // Both are CommonJS with a `default` export; under NodeNext the class sits on `.default`.
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThanOrEqual(2);
    const typoResult = results.find(
      (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.locations[0]!.physicalLocation.artifactLocation.uri === 'typo.json',
    );
    expect(typoResult.locations[0].physicalLocation.region.startLine).toBe(4);
    for (const result of results)
      expect(log.runs[0].tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('lints every bundled example without crashing', async () => {
    const names = [
      'developer-identity',
      'readonly-with-mfa',
      'public-bucket-policy',
      'vendor-trust',
      'scp-region-guardrail',
    ];
    const r = await runCli([
      'lint',
      ...names.map((n) => join(repoRoot, 'examples', 'policies', `${n}.json`)),
      '--format',
      'json',
    ]);
    expect([0, 1]).toContain(r.code);
    const out = JSON.parse(r.stdout);
    const developer = out.files[0].issues.map((i: { code: string }) => i.code);
    // The planted problems in developer-identity.json: a typo'd action and PassRole on every role.
    expect(developer.length).toBeGreaterThanOrEqual(2);
    expect(out.files[2].type).toBe('resource');
    expect(out.files[3].type).toBe('trust');
  });
});
