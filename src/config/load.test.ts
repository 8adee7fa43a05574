import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../model/config.js';
import { ConfigError, formatConfigError, loadConfig, parseConfig } from './load.js';

const FULL = `# leastpriv audit configuration
version: 1
checks: [root-*, access-key-not-rotated]
skipChecks:
  - root-recent-use
thresholds:
  credentialUnusedDays: 30
  keyMaxAgeDays: 60
ownerTagKey: team
trustedAccounts: ['123456789012']
trustedOrganizations: [o-a1b2c3d4e5]
suppressions:
  - checkId: access-key-not-rotated
    resource: 'arn:aws:iam::*:user/legacy-*'
    reason: Legacy integration, replaced in Q1
    owner: platform-team
    expires: 2026-12-31
`;

function problems(text: string, knownChecks?: readonly string[]) {
  try {
    parseConfig(text, 'cfg.yaml', knownChecks ? { knownChecks } : {});
  } catch (e) {
    if (e instanceof ConfigError)
      return e.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('parseConfig', () => {
  it('reads every setting, filling defaults for the rest', () => {
    expect(parseConfig(FULL, 'cfg.yaml')).toEqual({
      checks: ['root-*', 'access-key-not-rotated'],
      skipChecks: ['root-recent-use'],
      thresholds: { credentialUnusedDays: 30, keyMaxAgeDays: 60, unusedDays: 90, rootRecentUseDays: 30 },
      ownerTagKey: 'team',
      trustedAccounts: ['123456789012'],
      trustedOrganizations: ['o-a1b2c3d4e5'],
      suppressions: [
        {
          checkId: 'access-key-not-rotated',
          resource: 'arn:aws:iam::*:user/legacy-*',
          reason: 'Legacy integration, replaced in Q1',
          owner: 'platform-team',
          expires: '2026-12-31',
        },
      ],
    });
  });

  it.each([
    ['', 'empty'],
    ['# only a comment\n', 'comment only'],
    ['{}', 'empty mapping'],
  ])('%j (%s) is the defaults', (text) => {
    expect(parseConfig(text, 'cfg.yaml')).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    [
      'a short reason',
      'suppressions:\n  - checkId: x\n    reason: too short\n',
      ['3:13 suppressions[0].reason: a reason of at least 10 characters: why this finding is accepted'],
    ],
    [
      'a missing reason',
      'suppressions:\n  - checkId: x\n',
      ['2:5 suppressions[0].reason: required: expected string'],
    ],
    [
      'a misspelt key',
      'thresholds:\n  keyMaxAge: 30\n',
      ['2:3 thresholds.keyMaxAge: unknown setting "keyMaxAge"'],
    ],
    [
      'a bad date',
      'suppressions:\n  - checkId: x\n    reason: long enough reason\n    expires: 31/12/2026\n',
      ['4:14 suppressions[0].expires: a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone'],
    ],
    [
      'an impossible date',
      'suppressions:\n  - checkId: x\n    reason: long enough reason\n    expires: 2026-13-45\n',
      ['4:14 suppressions[0].expires: a real calendar date'],
    ],
    [
      'a bad account id',
      "trustedAccounts:\n  - '12345'\n",
      ['2:5 trustedAccounts[0]: a 12-digit AWS account id'],
    ],
    [
      'a wrong type',
      'thresholds:\n  keyMaxAgeDays: soon\n',
      ['2:18 thresholds.keyMaxAgeDays: expected number'],
    ],
    [
      'a non-mapping document',
      '- a\n- b\n',
      ['1:1 : expected a mapping of settings (checks, thresholds, suppressions, …)'],
    ],
  ])('%s is reported with its line', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('reports YAML syntax errors with their line', () => {
    const p = problems('checks: [a, b\nthresholds:\n  x: 1\n');
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^\d+:\d+ : YAML: /);
  });

  it('reports a duplicate key (YAML requires unique keys)', () => {
    expect(problems('ownerTagKey: a\nownerTagKey: b\n')[0]).toMatch(/^2:1 : YAML: .*unique/i);
  });

  it('reports every problem, in line order', () => {
    expect(problems('ownerTagKey: 3\nfoo: 1\ntrustedAccounts: [x]\n')).toEqual([
      '1:14 ownerTagKey: expected string',
      '2:1 foo: unknown setting "foo"',
      '3:19 trustedAccounts[0]: a 12-digit AWS account id',
    ]);
  });

  it('checks check ids against the catalogue when given', () => {
    const known = ['root-access-keys', 'root-mfa-disabled'];
    expect(
      problems(
        'checks: [root-*, nope-*]\nsuppressions:\n  - checkId: root-acces-keys\n    reason: long enough reason\n',
        known,
      ),
    ).toEqual([
      '1:18 checks[1]: no check matches "nope-*" (see `leastpriv checks list`)',
      '3:14 suppressions[0].checkId: unknown check "root-acces-keys" (see `leastpriv checks list`)',
    ]);
  });

  it('formats one line per problem, file:line:column first', () => {
    try {
      parseConfig('foo: 1\nbar: 2\n', '.leastpriv.yaml');
      expect.unreachable();
    } catch (e) {
      expect(formatConfigError(e as ConfigError)).toBe(
        '.leastpriv.yaml:1:1: foo: unknown setting "foo"\n.leastpriv.yaml:2:1: bar: unknown setting "bar"',
      );
    }
  });

  it('does not let a __proto__ key pollute anything', () => {
    expect(problems('__proto__:\n  polluted: true\n')).toEqual([
      '1:1 __proto__: unknown setting "__proto__"',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadConfig', () => {
  it('uses .leastpriv.yaml from the working directory, the defaults without one, and fails on a missing --config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leastpriv-config-'));
    expect(await loadConfig(undefined, dir)).toEqual({ config: DEFAULT_CONFIG });
    await writeFile(join(dir, '.leastpriv.yaml'), 'ownerTagKey: team\n');
    const found = await loadConfig(undefined, dir);
    expect(found.file).toBe(join(dir, '.leastpriv.yaml'));
    expect(found.config.ownerTagKey).toBe('team');
    await expect(loadConfig(join(dir, 'missing.yaml'), dir)).rejects.toThrow(
      /cannot read the configuration: ENOENT/,
    );
  });
});
