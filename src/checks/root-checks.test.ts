import { describe, expect, it } from 'vitest';
import { rootAccessKeys } from './root-access-keys.js';
import { rootHardwareMfa } from './root-hardware-mfa.js';
import { rootMfaDisabled } from './root-mfa-disabled.js';
import { rootRecentUse } from './root-recent-use.js';
import { runCheck } from './testing/run-check.js';
import { FIXTURE_ACCOUNT, SnapshotBuilder } from './testing/snapshot-builder.js';

const ROOT = `arn:aws:iam::${FIXTURE_ACCOUNT}:root`;
type Builder = (b: SnapshotBuilder) => SnapshotBuilder;
const statusOf = async (
  check: Parameters<typeof runCheck>[0],
  build: Builder,
  config?: Parameters<typeof runCheck>[2],
) => {
  const findings = runCheck(check, await build(new SnapshotBuilder()).build(), config);
  expect(findings.every((f) => f.resourceArn === ROOT && f.account === FIXTURE_ACCOUNT)).toBe(true);
  return findings.map((f) => f.status).join(',') || 'pass';
};

// The credential report columns for the root user:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
describe('root-access-keys', () => {
  it.each<[string, Builder, string]>([
    ['no keys', (b) => b.root({}), 'pass'],
    ['an inactive key', (b) => b.root({ keys: [{ active: false, lastRotated: '2019-01-01' }] }), 'pass'],
    [
      'an active key in slot 1',
      (b) => b.root({ keys: [{ lastRotated: '2019-08-01', lastUsed: '2026-03-02' }] }),
      'fail',
    ],
    [
      'an active key in slot 2 only',
      (b) => b.root({ keys: [{ active: false, lastRotated: '2019-01-01' }, { lastRotated: '2020-01-01' }] }),
      'fail',
    ],
    ['no credential report', (b) => b.withoutCredentialReport(), 'unknown'],
  ])('%s → %s', async (_name, build, expected) => {
    expect(await statusOf(rootAccessKeys, build)).toBe(expected);
  });
});

describe('root-mfa-disabled', () => {
  it.each<[string, Builder, string]>([
    ['MFA active', (b) => b.root({ mfa: true }), 'pass'],
    ['no MFA', (b) => b.root({ mfa: false }), 'fail'],
    ['no credential report', (b) => b.withoutCredentialReport(), 'unknown'],
  ])('%s → %s', async (_name, build, expected) => {
    expect(await statusOf(rootMfaDisabled, build)).toBe(expected);
  });
});

// A root MFA device that list-virtual-mfa-devices returns is virtual; hardware devices are not listed there.
// https://docs.aws.amazon.com/cli/latest/reference/iam/list-virtual-mfa-devices.html
describe('root-hardware-mfa', () => {
  it.each<[string, Builder, string]>([
    ['MFA not in the virtual listing (hardware)', (b) => b.root({ mfa: true }), 'pass'],
    ['a virtual device assigned to root', (b) => b.root({ mfa: true, virtualMfa: true }), 'fail'],
    [
      'a virtual device of a user only',
      (b) => b.root({ mfa: true }).user('alice', { virtualMfa: true }),
      'pass',
    ],
    ['no MFA at all', (b) => b.root({ mfa: false }), 'fail'],
    ['virtual listing not collected', (b) => b.root({ mfa: true }).withoutVirtualMfaListing(), 'unknown'],
    ['no credential report', (b) => b.withoutCredentialReport(), 'unknown'],
  ])('%s → %s', async (_name, build, expected) => {
    expect(await statusOf(rootHardwareMfa, build)).toBe(expected);
  });
});

describe('root-recent-use', () => {
  // FIXTURE_NOW is 2026-11-01.
  it.each<[string, Builder, number, string]>([
    ['never used', (b) => b.root({ passwordLastUsed: 'no_information' }), 30, 'pass'],
    ['signed in 10 days ago', (b) => b.root({ passwordLastUsed: '2026-10-22' }), 30, 'fail'],
    ['signed in 64 days ago, threshold 30', (b) => b.root({ passwordLastUsed: '2026-08-29' }), 30, 'pass'],
    ['signed in 64 days ago, threshold 90', (b) => b.root({ passwordLastUsed: '2026-08-29' }), 90, 'fail'],
    [
      'root key used 5 days ago',
      (b) => b.root({ keys: [{ lastRotated: '2020-01-01', lastUsed: '2026-10-27' }] }),
      30,
      'fail',
    ],
    ['no credential report', (b) => b.withoutCredentialReport(), 30, 'unknown'],
  ])('%s (threshold %i days) → %s', async (_name, build, days, expected) => {
    expect(
      await statusOf(rootRecentUse, build, { config: { thresholds: { rootRecentUseDays: days } } }),
    ).toBe(expected);
  });

  it('says when and how it was used', async () => {
    const s = await new SnapshotBuilder().root({ passwordLastUsed: '2026-10-22T19:03:51Z' }).build();
    const [f] = runCheck(rootRecentUse, s, { config: { thresholds: { rootRecentUseDays: 30 } } });
    expect(f?.message).toBe(
      'The root user was used 9 days ago (console sign-in, 2026-10-22); threshold 30 days',
    );
    expect(f?.compliance).toContain('cis-aws:1.6');
  });
});
