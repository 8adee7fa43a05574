import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { SnapshotBuilder, trustAws } from '../../src/checks/testing/snapshot-builder.js';
import { auditCommand, gatingFindings } from '../../src/cli/commands/audit.js';
import { checksListCommand, explainCommand } from '../../src/cli/commands/checks.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { UsageError } from '../../src/cli/usage-error.js';
import type { Finding } from '../../src/model/finding.js';
import type { AuditJson } from '../../src/report/audit-json.js';
import { ACME, ACME_NOW, captureIo, repoRoot } from './io.js';

const schema = JSON.parse(await readFile(join(repoRoot, 'docs', 'audit-schema.json'), 'utf8')) as object;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

/** The checks this suite owns: small fixtures are audited with these only, so other groups' checks cannot change the verdicts. */
const CREDENTIAL_CHECKS = [
  'root-access-keys',
  'root-mfa-disabled',
  'root-hardware-mfa',
  'root-recent-use',
  'console-user-without-mfa',
  'credentials-unused-45-days',
  'user-multiple-active-keys',
  'access-key-not-rotated',
  'support-role-missing',
  'server-certificate-expired',
  'password-policy-missing',
  'password-policy-min-length',
  'password-policy-reuse',
  'password-policy-complexity',
];

async function auditJsonOf(
  paths: string[],
  options: Parameters<typeof auditCommand>[1] = {},
  files: Record<string, string> = {},
) {
  const c = captureIo(files);
  const code = await auditCommand(paths, { now: ACME_NOW, format: 'json', quiet: true, ...options }, c.io, {
    cwd: tmpdir(),
  });
  return {
    code,
    report: c.out() ? (JSON.parse(c.out()) as AuditJson) : undefined,
    text: c.out(),
    err: c.err(),
  };
}

/** A tiny snapshot folder with one high (console user without MFA) and one medium (unused password) problem. */
async function smallSnapshot(): Promise<string> {
  return new SnapshotBuilder()
    .passwordPolicy({
      minimumPasswordLength: 14,
      passwordReusePrevention: 24,
      requireNumbers: true,
      requireLowercaseCharacters: true,
    })
    .role('support', { trust: trustAws('111122223333'), attached: ['AWSSupportAccess'] })
    .user('bob', { credentials: { password: { lastUsed: '2026-10-30' }, mfa: false } })
    .user('old', { credentials: { password: { lastUsed: '2026-01-01' }, mfa: true } })
    .write();
}

describe('leastpriv audit on examples/acme (end to end, in process)', () => {
  let acme: Awaited<ReturnType<typeof auditJsonOf>>;
  // DEFAULT_CONFIG.thresholds.rootRecentUseDays is 90, but the example's management root (used 64 days
  // before "now") is documented noise while prod and sandbox (17 and 10 days) are planted: the default
  // should be 30 (asked of the lead, src/model/config.ts); until then the example is audited with it.
  const ACME_CONFIG = { 'acme.yaml': 'thresholds:\n  rootRecentUseDays: 30\n' };
  beforeAll(async () => {
    acme = await auditJsonOf([ACME], { config: 'acme.yaml' }, ACME_CONFIG);
  }, 60_000);

  it('writes JSON of the documented shape (docs/audit-schema.json) and exits 1 on high findings', () => {
    expect(acme.code).toBe(EXIT_FINDINGS);
    const ok = validate(acme.report);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(acme.report?.summary.accounts).toBe(5);
    expect(acme.report?.generatedAt).toBe('2026-11-01T00:00:00.000Z');
  });

  it('is byte-for-byte reproducible and in the documented order', async () => {
    const again = await auditJsonOf([ACME], { config: 'acme.yaml' }, ACME_CONFIG);
    expect(again.text).toBe(acme.text);
    const findings = acme.report!.findings;
    const rank = ['critical', 'high', 'medium', 'low', 'info'];
    const key = (f: Finding) => [rank.indexOf(f.severity), f.checkId, f.account, f.resourceArn];
    for (let i = 1; i < findings.length; i++) {
      const [a, b] = [key(findings[i - 1]!), key(findings[i]!)];
      const cmp =
        a[0] !== b[0]
          ? (a[0] as number) - (b[0] as number)
          : a.slice(1).join('\0') <= b.slice(1).join('\0')
            ? -1
            : 1;
      expect(cmp, `${findings[i - 1]!.id} before ${findings[i]!.id}`).toBeLessThanOrEqual(0);
    }
  });

  // examples/acme/README.md "Planted problems" rows for the credential/CIS checks (README ids → final ids).
  const planted: [number, string, string][] = [
    [5, 'user-multiple-active-keys', 'arn:aws:iam::204815939271:user/automation/terraform-org'],
    [6, 'access-key-not-rotated', 'arn:aws:iam::204815939271:user/automation/terraform-org'],
    [10, 'credentials-unused-45-days', 'arn:aws:iam::204815939271:user/jorge.alvarez'],
    [13, 'root-hardware-mfa', 'arn:aws:iam::573628190442:root'],
    [14, 'root-recent-use', 'arn:aws:iam::573628190442:root'],
    [33, 'user-multiple-active-keys', 'arn:aws:iam::573628190442:user/automation/ci-deployer-legacy'],
    [34, 'access-key-not-rotated', 'arn:aws:iam::573628190442:user/automation/ci-deployer-legacy'],
    [36, 'credentials-unused-45-days', 'arn:aws:iam::573628190442:user/automation/legacy-backup'],
    [37, 'access-key-not-rotated', 'arn:aws:iam::573628190442:user/automation/legacy-backup'],
    [41, 'console-user-without-mfa', 'arn:aws:iam::573628190442:user/bi-shared-login'],
    [
      42,
      'server-certificate-expired',
      'arn:aws:iam::573628190442:server-certificate/legacy-api-acme-com-2024',
    ],
    [49, 'root-access-keys', 'arn:aws:iam::861204557319:root'],
    [50, 'support-role-missing', 'arn:aws:iam::861204557319:root'],
    [51, 'password-policy-min-length', 'arn:aws:iam::861204557319:root'],
    [51, 'password-policy-reuse', 'arn:aws:iam::861204557319:root'],
    [65, 'console-user-without-mfa', 'arn:aws:iam::861204557319:user/tom.becker'],
    [66, 'credentials-unused-45-days', 'arn:aws:iam::861204557319:user/olga.ivanova'],
    [70, 'credentials-unused-45-days', 'arn:aws:iam::861204557319:user/automation/ci-test-user'],
    [75, 'root-mfa-disabled', 'arn:aws:iam::729354810066:root'],
    [76, 'root-recent-use', 'arn:aws:iam::729354810066:root'],
    [78, 'password-policy-missing', 'arn:aws:iam::729354810066:root'],
  ];
  it.each(planted)('planted problem #%i: %s on %s', (_n, checkId, arn) => {
    expect(
      acme.report!.findings.some(
        (f) => f.checkId === checkId && f.resourceArn === arn && f.status === 'fail',
      ),
    ).toBe(true);
  });

  // examples/acme/README.md "Noise that must not be flagged" (and "People in groups with MFA, recent
  // sign-ins and keys rotated within 90 days"): none of the credential checks may report them.
  const credentialChecks = [
    'root-access-keys',
    'root-mfa-disabled',
    'root-hardware-mfa',
    'root-recent-use',
    'console-user-without-mfa',
    'credentials-unused-45-days',
    'user-multiple-active-keys',
    'access-key-not-rotated',
    'support-role-missing',
    'server-certificate-expired',
    'password-policy-missing',
    'password-policy-min-length',
    'password-policy-reuse',
    'password-policy-complexity',
  ];
  it.each([
    'arn:aws:iam::204815939271:root',
    'arn:aws:iam::438019276655:root',
    'arn:aws:iam::438019276655:user/automation/siem-forwarder',
    'arn:aws:iam::573628190442:user/automation/ci-artifacts-uploader',
    'arn:aws:iam::573628190442:server-certificate/api-acme-com-2026',
  ])('noise: no credential finding on %s', (arn) => {
    expect(
      acme.report!.findings.filter((f) => credentialChecks.includes(f.checkId) && f.resourceArn === arn),
    ).toEqual([]);
  });

  it('flags only the planted accounts for account-level CIS checks', () => {
    const accountsOf = (id: string) =>
      acme
        .report!.findings.filter((f) => f.checkId === id)
        .map((f) => f.account)
        .sort();
    expect(accountsOf('support-role-missing')).toEqual(['861204557319']);
    expect(accountsOf('password-policy-missing')).toEqual(['729354810066']);
    expect(accountsOf('root-access-keys')).toEqual(['861204557319']);
    expect(accountsOf('root-mfa-disabled')).toEqual(['729354810066']);
  });

  it('renders the table in 80 columns', async () => {
    const c = captureIo();
    await auditCommand([ACME], { now: ACME_NOW, quiet: true }, c.io, { cwd: tmpdir() });
    const lines = c.out().split('\n');
    expect(lines[0]).toMatch(/^leastpriv audit · 5 accounts/);
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(c.out()).toContain('CRITICAL root-access-keys · Root user has an active access key · 1');
  });

  it('--timings lists loading, every check that ran and the report on stderr, and leaves stdout alone', async () => {
    const plain = await auditJsonOf([ACME], { checks: 'root-*,unused-role', threads: 1 });
    const timed = await auditJsonOf([ACME], { checks: 'root-*,unused-role', timings: true, threads: 1 });
    expect(timed.text).toBe(plain.text);
    const names = timed.err
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s*\d+ ms {2}/, ''))
      .filter((l) => l !== '');
    expect(names.sort()).toEqual(
      [
        'load',
        'report context',
        'render and write json',
        ...plain.report!.checks.map((c) => `check ${c.id}`),
      ].sort(),
    );
    expect(timed.err).toMatch(/^leastpriv audit: timings \(\d+ ms in all\)\n/);
  });

  it('--threads 2 computes the register on a worker thread and gives the same bytes as one thread', async () => {
    const one = await auditJsonOf([ACME], { config: 'acme.yaml', threads: 1 }, ACME_CONFIG);
    // The example has a dozen register roles: below the usual threshold, so it is lowered here.
    const c = captureIo(ACME_CONFIG);
    const code = await auditCommand(
      [ACME],
      { now: ACME_NOW, format: 'json', quiet: true, config: 'acme.yaml', threads: 2, timings: true },
      c.io,
      { cwd: tmpdir(), registerThreadMinRoles: 0 },
    );
    expect(c.out()).toBe(one.text);
    expect(c.out()).toBe(acme.text);
    expect(code).toBe(one.code);
    expect(c.err()).toMatch(/ms {2}third-party register, \d+ roles \(second thread\)\n/);
    expect(c.err()).toContain('ms  wait for the register thread\n');
  });

  it('--progress shows a live line of checks done, rewritten in place and cleared before the summary', async () => {
    const c = captureIo(ACME_CONFIG);
    await auditCommand(
      [ACME],
      { now: ACME_NOW, format: 'json', config: 'acme.yaml', threads: 1, progress: true },
      c.io,
      { cwd: tmpdir() },
    );
    const err = c.err();
    const live = [...err.matchAll(/\r\u001b\[2Kleastpriv audit: checks (\d+)\/(\d+)/g)];
    expect(live.length).toBeGreaterThan(0);
    const total = Number(live[0]![2]);
    expect(total).toBe(acme.report!.checks.length);
    expect(live[0]![1]).toBe('0');
    expect(err).toContain('\r\u001b[2Kleastpriv audit: writing the json report');
    // The last thing before the summary line is the erase: no live text is left on it.
    const summary = err.lastIndexOf('leastpriv audit: ');
    expect(err.slice(0, summary).endsWith('\r\u001b[2K')).toBe(true);
    expect(err.slice(summary)).toMatch(/^leastpriv audit: \d+ checks: \d+ findings/);
    // Not on a pipe unless asked, and never with --quiet.
    const quiet = captureIo(ACME_CONFIG);
    await auditCommand(
      [ACME],
      { now: ACME_NOW, format: 'json', config: 'acme.yaml', threads: 1, progress: true, quiet: true },
      quiet.io,
      {
        cwd: tmpdir(),
      },
    );
    expect(quiet.err()).toBe('');
    expect(c.out()).toBe(acme.text);
  });

  it('--threads must be a whole number from 1 to 64', async () => {
    for (const threads of ['0', 'two', '1.5', '65'])
      await expect(auditJsonOf([ACME], { threads })).rejects.toThrow(UsageError);
  });

  it('--compliance cis-aws keeps CIS-mapped checks only and summarises each control', async () => {
    const { report } = await auditJsonOf([ACME], { compliance: 'cis-aws' });
    expect(report!.compliance?.framework).toBe('cis-aws');
    expect(report!.checks.every((c) => (c.compliance['cis-aws'] ?? []).length > 0)).toBe(true);
    const control = (id: string) => report!.compliance!.controls.find((c) => c.control === id);
    expect(control('1.3')).toMatchObject({ status: 'fail', failed: 1 });
    expect(control('1.18')).toMatchObject({ status: 'fail' });
    expect(report!.checks.some((c) => c.id === 'password-policy-complexity')).toBe(false);
  });
});

describe('exit codes', () => {
  it.each([
    [{}, EXIT_FINDINGS],
    [{ failOn: 'critical' }, EXIT_OK],
    [{ failOn: 'medium' }, EXIT_FINDINGS],
    [{ failOn: 'none' }, EXIT_OK],
    [{ skipChecks: 'console-user-without-mfa' }, EXIT_OK],
    [{ checks: 'credentials-unused-*', failOn: 'medium' }, EXIT_FINDINGS],
    [{ checks: 'credentials-unused-*' }, EXIT_OK],
  ])('%j → %i', async (options, expected) => {
    expect(
      (await auditJsonOf([await smallSnapshot()], { checks: CREDENTIAL_CHECKS.join(','), ...options })).code,
    ).toBe(expected);
  });

  it('unknown findings count for --fail-on unless --allow-unknown', async () => {
    const dir = await new SnapshotBuilder().user('u').withoutCredentialReport().write();
    const r = await auditJsonOf([dir], { checks: 'console-user-without-mfa' });
    expect(r.report!.summary.findings.unknown).toBe(1);
    expect(r.code).toBe(EXIT_FINDINGS);
    expect((await auditJsonOf([dir], { checks: 'console-user-without-mfa', allowUnknown: true })).code).toBe(
      EXIT_OK,
    );
  });

  it.each([
    [[], {}, /name a snapshot/],
    [['x'], { format: 'xml' }, /--format must be one of table, json/],
    [['x'], { failOn: 'severe' }, /--fail-on must be one of/],
    [['x'], { compliance: 'nist' }, /--compliance must be one of/],
    [['x'], { aws: true }, /not both/],
    [['x'], { profile: 'p' }, /--profile only goes with --aws/],
    [[], { aws: true, org: true }, /--org needs --role-name/],
    [['x'], { now: 'yesterday' }, /--now must be/],
  ])('usage error: %j %j', async (paths, options, message) => {
    await expect(auditCommand(paths as string[], options, captureIo().io, { cwd: tmpdir() })).rejects.toThrow(
      message,
    );
  });

  it('an unknown --checks id is a usage error', async () => {
    await expect(auditJsonOf([await smallSnapshot()], { checks: 'no-such-check' })).rejects.toThrow(
      UsageError,
    );
  });

  it('a path with no account data exits 2', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'leastpriv-empty-'));
    expect((await auditJsonOf([empty])).code).toBe(EXIT_USAGE);
  });
});

describe('configuration and suppressions', () => {
  const bobArn = 'arn:aws:iam::111122223333:user/bob';

  it('a suppression keeps the finding, marked with its reason, and it no longer counts for the exit code', async () => {
    const config = `suppressions:\n  - checkId: console-user-without-mfa\n    resource: 'arn:aws:iam::*:user/bo?'\n    reason: Break-glass user, MFA token in the safe\n    owner: secops\n`;
    const { code, report } = await auditJsonOf(
      [await smallSnapshot()],
      { config: 'cfg.yaml', checks: CREDENTIAL_CHECKS.join(',') },
      { 'cfg.yaml': config },
    );
    expect(code).toBe(EXIT_OK);
    const bob = report!.findings.find((f) => f.resourceArn === bobArn);
    expect(bob?.suppressed).toEqual({
      checkId: 'console-user-without-mfa',
      resource: 'arn:aws:iam::*:user/bo?',
      reason: 'Break-glass user, MFA token in the safe',
      owner: 'secops',
    });
    expect(report!.summary.findings.suppressed).toBe(1);
    expect(report!.configFile).toBe('cfg.yaml');
  });

  it('an expired suppression stops suppressing and is reported', async () => {
    const config = `suppressions:\n  - checkId: console-user-without-mfa\n    reason: Temporary exception for the migration\n    expires: 2026-10-01\n`;
    const { code, report, err } = await auditJsonOf(
      [await smallSnapshot()],
      { config: 'cfg.yaml', quiet: false },
      { 'cfg.yaml': config },
    );
    expect(code).toBe(EXIT_FINDINGS);
    expect(report!.findings.find((f) => f.resourceArn === bobArn)?.suppressed).toBeUndefined();
    expect(report!.expiredSuppressions).toEqual([
      {
        checkId: 'console-user-without-mfa',
        reason: 'Temporary exception for the migration',
        expires: '2026-10-01',
        index: 0,
        matchedFindings: [report!.findings.find((f) => f.resourceArn === bobArn)!.id],
      },
    ]);
    expect(err).toContain('suppression #0 (console-user-without-mfa) expired on 2026-10-01');
  });

  it('configuration thresholds change what is found', async () => {
    const { report } = await auditJsonOf(
      [await smallSnapshot()],
      { config: 'cfg.yaml' },
      { 'cfg.yaml': 'thresholds:\n  credentialUnusedDays: 400\n' },
    );
    expect(report!.findings.filter((f) => f.checkId === 'credentials-unused-45-days')).toEqual([]);
  });

  it('a bad configuration exits 2 with file:line for each problem', async () => {
    const c = captureIo({
      'cfg.yaml':
        'suppressions:\n  - checkId: console-user-without-mfa\n    reason: short\nthresholds:\n  keyAge: 3\n',
    });
    const code = await auditCommand([await smallSnapshot()], { config: 'cfg.yaml', quiet: true }, c.io, {
      cwd: tmpdir(),
    });
    expect(code).toBe(EXIT_USAGE);
    expect(c.err()).toBe(
      'cfg.yaml:3:13: suppressions[0].reason: a reason of at least 10 characters: why this finding is accepted\n' +
        'cfg.yaml:5:3: thresholds.keyAge: unknown setting "keyAge"\n',
    );
    expect(c.out()).toBe('');
  });

  it('reads .leastpriv.yaml from the working directory', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'leastpriv-cwd-'));
    await writeFile(
      join(cwd, '.leastpriv.yaml'),
      `checks: [${CREDENTIAL_CHECKS.join(', ')}]\nskipChecks: [console-user-without-mfa]\n`,
    );
    const c = captureIo();
    const code = await auditCommand(
      [await smallSnapshot()],
      { now: ACME_NOW, quiet: true, format: 'json' },
      c.io,
      { cwd },
    );
    expect(code).toBe(EXIT_OK);
    expect((JSON.parse(c.out()) as AuditJson).configFile).toBe(join(cwd, '.leastpriv.yaml'));
  });
});

describe('audit --aws', () => {
  it('collects into --save, keeps it, and audits it', async () => {
    const save = join(await mkdtemp(join(tmpdir(), 'leastpriv-save-')), 'snap');
    const calls: unknown[] = [];
    const c = captureIo();
    const code = await auditCommand(
      [],
      { aws: true, profile: 'audit', region: 'eu-west-1', save, now: ACME_NOW, format: 'json', quiet: true },
      c.io,
      {
        cwd: tmpdir(),
        collect: async (options) => {
          calls.push({ out: options.out, profile: options.profile, regions: options.regions });
          await new SnapshotBuilder()
            .user('bob', { credentials: { password: { lastUsed: '2026-10-30' } } })
            .write(options.out);
        },
      },
    );
    expect(calls).toEqual([{ out: save, profile: 'audit', regions: ['eu-west-1'] }]);
    expect(code).toBe(EXIT_FINDINGS);
    expect((JSON.parse(c.out()) as AuditJson).snapshot.paths).toEqual([save]);
    await access(join(save, 'manifest.json'));
  });

  it('without --save the temporary snapshot is removed', async () => {
    let out = '';
    await auditCommand([], { aws: true, now: ACME_NOW, quiet: true }, captureIo().io, {
      cwd: tmpdir(),
      collect: async (options) => {
        out = options.out;
        await new SnapshotBuilder().write(options.out);
      },
    });
    await expect(access(out)).rejects.toThrow();
  });
});

describe('gatingFindings', () => {
  const f = (severity: Finding['severity'], status: Finding['status'], suppressed = false): Finding => ({
    id: `${severity}${status}${suppressed}`,
    checkId: 'c',
    severity,
    status,
    account: '1',
    resourceArn: 'a',
    resourceType: 't',
    message: 'm',
    evidence: {},
    remediation: 'r',
    compliance: [],
    ...(suppressed ? { suppressed: { checkId: 'c', reason: 'accepted for now' } } : {}),
  });
  it('counts unsuppressed findings at or above the threshold', () => {
    const all = [f('low', 'fail'), f('high', 'fail', true), f('medium', 'unknown'), f('critical', 'fail')];
    expect(gatingFindings(all, 'high', false).map((x) => x.severity)).toEqual(['critical']);
    expect(gatingFindings(all, 'medium', false).map((x) => x.severity)).toEqual(['medium', 'critical']);
    expect(gatingFindings(all, 'medium', true).map((x) => x.severity)).toEqual(['critical']);
    expect(gatingFindings(all, 'none', false)).toEqual([]);
  });
});

describe('checks list and explain', () => {
  it('lists every check with severity and title, 80 columns', async () => {
    const c = captureIo();
    expect(await checksListCommand({}, c.io)).toBe(EXIT_OK);
    expect(c.out()).toMatch(/\ncritical root-access-keys +Root user has an active access key\n/);
    expect(
      c
        .out()
        .split('\n')
        .filter((l) => l.length > 80),
    ).toEqual([]);
  });

  it('--compliance cis-aws orders by control', async () => {
    const c = captureIo();
    await checksListCommand({ compliance: 'cis-aws', format: 'json' }, c.io);
    const ids = (JSON.parse(c.out()) as { id: string }[]).map((m) => m.id);
    expect(ids.indexOf('root-access-keys')).toBeLessThan(ids.indexOf('root-mfa-disabled'));
    expect(ids.indexOf('root-mfa-disabled')).toBeLessThan(ids.indexOf('password-policy-min-length'));
    expect(ids).not.toContain('password-policy-complexity');
  });

  it('explain prints what it looks for, why it matters and how to fix it', async () => {
    const c = captureIo();
    await explainCommand('root-hardware-mfa', {}, c.io);
    for (const heading of [
      'What it looks for',
      'Why it matters',
      'How to fix it',
      'Compliance',
      'References',
    ])
      expect(c.out()).toContain(heading);
    expect(c.out()).toContain('cis-aws:1.5');
    await expect(explainCommand('root-hardware', {}, captureIo().io)).rejects.toThrow(
      /no check "root-hardware"; did you mean .*root-hardware-mfa/,
    );
  });
});
