import { describe, expect, it } from 'vitest';
import { iamExtrasOf } from '../../collect/files/iam-extras.js';
import {
  allow,
  FIXTURE_ACCOUNT,
  FIXTURE_OTHER_ACCOUNT,
  resourceArn,
  SnapshotBuilder,
  trustAws,
  trustService,
} from './snapshot-builder.js';

describe('SnapshotBuilder writes a snapshot the loader reads back', () => {
  it('users, groups, roles, policies, credentials and guardrails', async () => {
    const b = new SnapshotBuilder();
    const snapshot = await b
      .policy('ops', allow('ec2:*'), '/team/')
      .group('admins', { attached: ['AdministratorAccess'] })
      .user('alice', {
        groups: ['admins'],
        tags: { owner: 'sec' },
        credentials: {
          password: { lastUsed: '2026-10-01' },
          mfa: true,
          keys: [{ lastRotated: '2026-01-01', lastUsed: '2026-10-30' }],
        },
      })
      .user('bot', { attached: ['ops'], inline: { extra: allow('s3:GetObject') }, credentials: false })
      .role('app', { trust: trustService('lambda.amazonaws.com'), lastUsed: '2026-09-01' })
      .passwordPolicy({ minimumPasswordLength: 14, passwordReusePrevention: 24 })
      .serverCertificate('old', { expires: '2025-01-01' })
      .root({ virtualMfa: true })
      .resource('s3', 'bucket-a', {
        policy: allow('s3:GetObject', 'arn:aws:s3:::bucket-a/*', { Principal: '*' }),
      })
      .account(FIXTURE_OTHER_ACCOUNT)
      .role('x', { trust: trustAws(FIXTURE_ACCOUNT) })
      .passwordPolicy('unknown')
      .withoutCredentialReport()
      .build();

    expect(snapshot.load.errors).toEqual([]);
    const a = snapshot.accounts.get(FIXTURE_ACCOUNT)!;
    expect(a.scpState).toBe('known');
    expect(a.isManagementAccount).toBe(true);
    const alice = a.users.get(`arn:aws:iam::${FIXTURE_ACCOUNT}:user/alice`)!;
    expect(alice.groups).toEqual(['admins']);
    expect(alice.credentials?.passwordEnabled).toBe(true);
    expect(alice.credentials?.passwordLastUsed).toBe('2026-10-01T00:00:00.000Z');
    expect(alice.credentials?.accessKeys[0].active).toBe(true);
    expect(alice.human).toBe(true);
    expect(a.users.get(`arn:aws:iam::${FIXTURE_ACCOUNT}:user/bot`)?.credentials).toBeUndefined();
    expect(a.managedPolicies.get(`arn:aws:iam::${FIXTURE_ACCOUNT}:policy/team/ops`)?.document?.ok).toBe(true);
    expect(
      a.managedPolicies.get('arn:aws:iam::aws:policy/AdministratorAccess')?.document?.policy.statements
        .length,
    ).toBe(1);
    expect(a.roles.get(`arn:aws:iam::${FIXTURE_ACCOUNT}:role/app`)?.roleCategory).toBe('service');
    expect(a.passwordPolicy).toMatchObject({ state: 'set', value: { minimumPasswordLength: 14 } });
    expect(a.credentialReport?.root?.mfaActive).toBe(true);
    expect(a.resources.get(resourceArn('s3', 'bucket-a'))?.policy?.ok).toBe(true);
    const extras = iamExtrasOf(snapshot, FIXTURE_ACCOUNT);
    expect(extras?.virtualMfaDevices?.map((d) => d.userArn)).toEqual([
      `arn:aws:iam::${FIXTURE_ACCOUNT}:root`,
    ]);
    expect(extras?.serverCertificates?.[0]?.expiresAt).toBe('2025-01-01T00:00:00.000Z');

    const other = snapshot.accounts.get(FIXTURE_OTHER_ACCOUNT)!;
    expect(other.passwordPolicy.state).toBe('unknown');
    expect(other.credentialReport).toBeUndefined();
    expect(other.gaps.map((g) => g.artifact)).toContain('iam-get-credential-report');
  });

  it('without organization data the guardrails are unknown', async () => {
    const snapshot = await new SnapshotBuilder().withoutOrganization().user('u').build();
    expect(snapshot.accounts.get(FIXTURE_ACCOUNT)?.scpState).toBe('unknown');
  });
});
