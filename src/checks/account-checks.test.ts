import { describe, expect, it } from 'vitest';
import type { PasswordPolicyValue } from '../model/account.js';
import { passwordPolicyComplexity } from './password-policy-complexity.js';
import { passwordPolicyMinLength } from './password-policy-min-length.js';
import { passwordPolicyMissing } from './password-policy-missing.js';
import { passwordPolicyReuse } from './password-policy-reuse.js';
import { serverCertificateExpired } from './server-certificate-expired.js';
import { supportRoleMissing } from './support-role-missing.js';
import { runCheck, verdicts } from './testing/run-check.js';
import { FIXTURE_ACCOUNT, SnapshotBuilder, trustAws } from './testing/snapshot-builder.js';
import type { Check } from './types.js';

const ROOT = `arn:aws:iam::${FIXTURE_ACCOUNT}:root`;
type Builder = (b: SnapshotBuilder) => SnapshotBuilder;
async function accountVerdict(check: Check, build: Builder): Promise<string> {
  const v = verdicts(runCheck(check, await build(new SnapshotBuilder()).build()));
  expect(Object.keys(v).every((k) => k === ROOT)).toBe(true);
  return v[ROOT] ?? 'pass';
}

const STRONG: PasswordPolicyValue = {
  minimumPasswordLength: 14,
  passwordReusePrevention: 24,
  requireNumbers: true,
  requireSymbols: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
};

// Password policy settings and the defaults when none is set:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html
describe('password policy checks', () => {
  const policies: [string, Builder][] = [
    ['a strong policy', (b) => b.passwordPolicy(STRONG)],
    ['no policy', (b) => b.passwordPolicy('none')],
    [
      'length 8, no reuse, no symbols or upper case (acme dev)',
      (b) =>
        b.passwordPolicy({
          minimumPasswordLength: 8,
          requireNumbers: true,
          requireLowercaseCharacters: true,
        }),
    ],
    [
      'length 14, reuse 5, no numbers',
      (b) => b.passwordPolicy({ ...STRONG, passwordReusePrevention: 5, requireNumbers: false }),
    ],
    [
      'length absent (API default 6)',
      (b) =>
        b.passwordPolicy({
          passwordReusePrevention: 24,
          requireNumbers: true,
          requireLowercaseCharacters: true,
        }),
    ],
    ['not collected', (b) => b.passwordPolicy('unknown')],
  ];
  const expected: Record<string, [missing: string, length: string, reuse: string, complexity: string]> = {
    'a strong policy': ['pass', 'pass', 'pass', 'pass'],
    'no policy': ['fail', 'fail', 'fail', 'pass'],
    'length 8, no reuse, no symbols or upper case (acme dev)': ['pass', 'fail', 'fail', 'pass'],
    'length 14, reuse 5, no numbers': ['pass', 'pass', 'fail', 'fail'],
    'length absent (API default 6)': ['pass', 'fail', 'pass', 'pass'],
    'not collected': ['unknown', 'unknown', 'unknown', 'unknown'],
  };
  it.each(policies)('%s', async (name, build) => {
    const got = [];
    for (const check of [
      passwordPolicyMissing,
      passwordPolicyMinLength,
      passwordPolicyReuse,
      passwordPolicyComplexity,
    ])
      got.push(await accountVerdict(check, build));
    expect(got).toEqual(expected[name]);
  });
});

// CIS 1.16: a role with the AWS managed AWSSupportAccess policy.
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSupportAccess.html
describe('support-role-missing', () => {
  it.each<[string, Builder, string]>([
    [
      'a role with AWSSupportAccess',
      (b) => b.role('support', { trust: trustAws(FIXTURE_ACCOUNT), attached: ['AWSSupportAccess'] }),
      'pass',
    ],
    ['only a user with AWSSupportAccess', (b) => b.user('u', { attached: ['AWSSupportAccess'] }), 'fail'],
    [
      'no role with it',
      (b) => b.role('other', { trust: trustAws(FIXTURE_ACCOUNT), attached: ['ReadOnlyAccess'] }),
      'fail',
    ],
    ['no authorization details', (b) => b.withoutAuthorizationDetails(), 'unknown'],
  ])('%s → %s', async (_name, build, expected) => {
    expect(await accountVerdict(supportRoleMissing, build)).toBe(expected);
  });
});

// CIS 1.18: expired certificates in IAM (list-server-certificates Expiration).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html
describe('server-certificate-expired', () => {
  const cert = (name: string) => `arn:aws:iam::${FIXTURE_ACCOUNT}:server-certificate/${name}`;
  it('fails expired certificates only, and is unknown without the listing', async () => {
    const s = await new SnapshotBuilder()
      .serverCertificate('old', { expires: '2025-03-14T23:59:59Z' })
      .serverCertificate('current', { expires: '2027-02-10T23:59:59Z' })
      .build();
    expect(verdicts(runCheck(serverCertificateExpired, s))).toEqual({ [cert('old')]: 'fail' });
    const none = await new SnapshotBuilder().build();
    expect(runCheck(serverCertificateExpired, none)).toEqual([]);
    const missing = await new SnapshotBuilder().withoutServerCertificateListing().build();
    expect(verdicts(runCheck(serverCertificateExpired, missing))).toEqual({ [ROOT]: 'unknown' });
  });
});
