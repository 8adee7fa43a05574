import { describe, expect, it } from 'vitest';
import { accessKeyNotRotated } from './access-key-not-rotated.js';
import { consoleUserWithoutMfa } from './console-user-without-mfa.js';
import { credentialsUnused45Days } from './credentials-unused-45-days.js';
import { runCheck, verdicts } from './testing/run-check.js';
import { FIXTURE_ACCOUNT, SnapshotBuilder, type UserSpec } from './testing/snapshot-builder.js';
import type { Check } from './types.js';
import { userMultipleActiveKeys } from './user-multiple-active-keys.js';

const user = (name: string) => `arn:aws:iam::${FIXTURE_ACCOUNT}:user/${name}`;

/** Each case is one user; the verdict is that user's (pass = no finding). FIXTURE_NOW is 2026-11-01. */
async function verdictFor(
  check: Check,
  spec: UserSpec,
  config?: Parameters<typeof runCheck>[2],
): Promise<string> {
  const snapshot = await new SnapshotBuilder().user('u', spec).build();
  return verdicts(runCheck(check, snapshot, config))[user('u')] ?? 'pass';
}

// Credential report semantics (password_enabled, mfa_active, access_key_N_last_rotated = creation):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
describe('console-user-without-mfa', () => {
  it.each<[string, UserSpec, string]>([
    ['password and MFA', { credentials: { password: { lastUsed: '2026-10-30' }, mfa: true } }, 'pass'],
    ['password, no MFA', { credentials: { password: { lastUsed: '2026-10-30' }, mfa: false } }, 'fail'],
    ['keys only, no MFA', { credentials: { keys: [{ lastRotated: '2026-10-01' }] } }, 'pass'],
    ['not in the credential report', { credentials: false }, 'unknown'],
  ])('%s → %s', async (_name, spec, expected) => {
    expect(await verdictFor(consoleUserWithoutMfa, spec)).toBe(expected);
  });

  it('is unknown for the account when there is no credential report', async () => {
    const s = await new SnapshotBuilder()
      .user('u', { credentials: { password: {} } })
      .withoutCredentialReport()
      .build();
    expect(verdicts(runCheck(consoleUserWithoutMfa, s))).toEqual({
      [`arn:aws:iam::${FIXTURE_ACCOUNT}:root`]: 'unknown',
    });
  });
});

describe('credentials-unused-45-days', () => {
  it.each<[string, UserSpec, string]>([
    ['password used yesterday', { credentials: { password: { lastUsed: '2026-10-31' } } }, 'pass'],
    ['password used 44 days ago', { credentials: { password: { lastUsed: '2026-09-18' } } }, 'pass'],
    ['password used 45 days ago', { credentials: { password: { lastUsed: '2026-09-17' } } }, 'fail'],
    [
      'password never used, set 10 days ago',
      { credentials: { password: { lastUsed: 'no_information', lastChanged: '2026-10-22' } } },
      'pass',
    ],
    [
      'password never used, set 100 days ago',
      { credentials: { password: { lastUsed: 'no_information', lastChanged: '2026-07-24' } } },
      'fail',
    ],
    [
      'active key used last week',
      { credentials: { keys: [{ lastRotated: '2025-01-01', lastUsed: '2026-10-25' }] } },
      'pass',
    ],
    [
      'active key last used 2025-12-01',
      { credentials: { keys: [{ lastRotated: '2023-04-02', lastUsed: '2025-12-01' }] } },
      'fail',
    ],
    [
      'active key never used, created 2026-03-10',
      { credentials: { keys: [{ lastRotated: '2026-03-10', lastUsed: null }] } },
      'fail',
    ],
    [
      'active key never used, created 12 days ago',
      { credentials: { keys: [{ lastRotated: '2026-10-20', lastUsed: null }] } },
      'pass',
    ],
    [
      'inactive stale key',
      { credentials: { keys: [{ active: false, lastRotated: '2020-01-01', lastUsed: '2020-02-01' }] } },
      'pass',
    ],
    ['not in the credential report', { credentials: false }, 'unknown'],
  ])('%s → %s', async (_name, spec, expected) => {
    expect(await verdictFor(credentialsUnused45Days, spec)).toBe(expected);
  });

  it('takes its threshold from the configuration', async () => {
    const spec: UserSpec = { credentials: { password: { lastUsed: '2026-10-11' } } }; // 21 days
    expect(await verdictFor(credentialsUnused45Days, spec)).toBe('pass');
    expect(
      await verdictFor(credentialsUnused45Days, spec, {
        config: { thresholds: { credentialUnusedDays: 20 } },
      }),
    ).toBe('fail');
  });
});

describe('user-multiple-active-keys', () => {
  it.each<[string, UserSpec, string]>([
    ['one active key', { credentials: { keys: [{ lastRotated: '2026-10-01' }] } }, 'pass'],
    [
      'rotated: old key inactive',
      {
        credentials: { keys: [{ active: false, lastRotated: '2026-01-01' }, { lastRotated: '2026-10-20' }] },
      },
      'pass',
    ],
    [
      'two active keys',
      { credentials: { keys: [{ lastRotated: '2025-01-10' }, { lastRotated: '2026-10-12' }] } },
      'fail',
    ],
    ['not in the credential report', { credentials: false }, 'unknown'],
  ])('%s → %s', async (_name, spec, expected) => {
    expect(await verdictFor(userMultipleActiveKeys, spec)).toBe(expected);
  });
});

describe('access-key-not-rotated', () => {
  it.each<[string, UserSpec, string]>([
    ['key created 19 days ago', { credentials: { keys: [{ lastRotated: '2026-10-13' }] } }, 'pass'],
    ['key created 90 days ago', { credentials: { keys: [{ lastRotated: '2026-08-03' }] } }, 'pass'],
    ['key created 91 days ago', { credentials: { keys: [{ lastRotated: '2026-08-02' }] } }, 'fail'],
    ['old key, inactive', { credentials: { keys: [{ active: false, lastRotated: '2020-01-01' }] } }, 'pass'],
    ['not in the credential report', { credentials: false }, 'unknown'],
  ])('%s → %s', async (_name, spec, expected) => {
    expect(await verdictFor(accessKeyNotRotated, spec)).toBe(expected);
  });

  it('names every old key in one finding per user', async () => {
    const s = await new SnapshotBuilder()
      .user('ci', { credentials: { keys: [{ lastRotated: '2025-09-02' }, { lastRotated: '2024-12-01' }] } })
      .build();
    const [f, ...rest] = runCheck(accessKeyNotRotated, s);
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'ci: access key 1 created 2025-09-02 (425 days); access key 2 created 2024-12-01 (700 days); limit 90 days',
    );
  });
});
