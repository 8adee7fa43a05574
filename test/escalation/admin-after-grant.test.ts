/**
 * Techniques that grant a target AdministratorAccess (iam-014: attach it to a role, then assume the
 * role) lead to admin only if the target would then pass the admin probes: its permissions
 * boundary and its own explicit denies still apply. The graph asks this once per class of targets
 * that cannot answer differently, so targets that differ only in what matters must differ here.
 * Boundaries: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * Explicit deny: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * aws:PrincipalTag: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { escalationGraph } from '../../src/analysis/escalation/index.js';
import {
  FIXTURE_ACCOUNT as A,
  allow,
  deny,
  SnapshotBuilder,
  trustAws,
} from '../../src/checks/testing/snapshot-builder.js';
import type { OrgSnapshot } from '../../src/model/account.js';

const ATTACKER = `arn:aws:iam::${A}:user/attacker`;
let snapshot: OrgSnapshot;

beforeAll(async () => {
  const b = new SnapshotBuilder(A).withoutOrganization();
  b.policy('only-s3', allow('s3:*'));
  b.policy('read', allow('s3:GetObject', 'arn:aws:s3:::bucket/*'));
  b.policy('no-iam', deny('iam:*'));
  b.policy(
    'no-iam-for-locked',
    deny('iam:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/locked': 'yes' } } }),
  );
  b.policy(
    'mfa-read',
    allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
  );
  b.user('attacker', {
    inline: { p: allow(['iam:AttachRolePolicy', 'sts:AssumeRole']) },
    credentials: { password: false, keys: [] },
  });
  const role = (name: string, spec: Record<string, unknown> = {}): void => {
    b.role(name, { trust: trustAws(A), ...spec });
  };
  role('plain', { attached: ['read'] });
  role('plain-twin', { attached: ['read'] });
  role('bounded', { attached: ['read'], boundary: 'only-s3' });
  role('denied', { attached: ['read', 'no-iam'] });
  role('locked', { attached: ['read', 'no-iam-for-locked'], tags: { locked: 'yes' } });
  role('unlocked', { attached: ['read', 'no-iam-for-locked'] });
  role('mfa', { attached: ['mfa-read'] });
  snapshot = await b.build();
});

describe('admin after AdministratorAccess is attached', () => {
  it.each([
    ['a role with only allows', 'plain', true],
    ['a role with the same policies', 'plain-twin', true],
    ['a boundary without IAM', 'bounded', false],
    ['an explicit deny of IAM', 'denied', false],
    ['a deny on a principal tag the role has', 'locked', false],
    ['the same policies, without the tag', 'unlocked', true],
    ['an allow under an MFA condition', 'mfa', true],
  ] as const)('%s', (_name, target, admin) => {
    const e = escalationGraph(snapshot)
      .out.get(ATTACKER)
      ?.find((x) => x.technique === 'iam-014' && x.to === `arn:aws:iam::${A}:role/${target}`);
    expect(e).toBeDefined();
    expect(e?.grantsAdmin).toBe(admin);
  });
});
