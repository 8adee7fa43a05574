import { describe, expect, it } from 'vitest';
import { iamUserAdmin } from './iam-user-admin.js';
import { runCheck, verdicts } from './testing/run-check.js';
import {
  allow,
  deny,
  FIXTURE_ACCOUNT,
  SnapshotBuilder,
  statements,
  trustAws,
  trustService,
} from './testing/snapshot-builder.js';

const arn = (kind: string, name: string): string => `arn:aws:iam::${FIXTURE_ACCOUNT}:${kind}/${name}`;
void [allow, deny, statements, trustAws, trustService];

describe('iam-user-admin', () => {
  it('fails for a user with AdministratorAccess through a group, passes for a scoped user', async () => {
    const s = await new SnapshotBuilder()
      .group('admins', { attached: ['AdministratorAccess'] })
      .user('alice', { groups: ['admins'] })
      .user('bob', { inline: { p: allow('s3:GetObject', 'arn:aws:s3:::b/*') } })
      .build();
    expect(verdicts(runCheck(iamUserAdmin, s))).toEqual({ [arn('user', 'alice')]: 'fail' });
  });

  it('fails for a user that can attach policies to itself (IAM write on *)', async () => {
    const s = await new SnapshotBuilder()
      .user('carol', { inline: { p: allow('iam:AttachUserPolicy') } })
      .build();
    const [f] = runCheck(iamUserAdmin, s);
    expect(f?.evidence.actions).toEqual(['iam:AttachUserPolicy']);
  });

  // Explicit deny wins: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
  it('passes when an explicit deny takes IAM away from an AdministratorAccess user', async () => {
    const s = await new SnapshotBuilder()
      .user('dave', { attached: ['AdministratorAccess'], inline: { d: deny('iam:*') } })
      .build();
    expect(runCheck(iamUserAdmin, s)).toEqual([]);
  });
});
