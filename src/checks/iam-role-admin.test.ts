import { describe, expect, it } from 'vitest';
import { iamRoleAdmin } from './iam-role-admin.js';
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

describe('iam-role-admin', () => {
  it('fails for an admin role trusted by the account, passes for workload and scoped roles', async () => {
    const s = await new SnapshotBuilder()
      .role('ops', { trust: trustAws(FIXTURE_ACCOUNT), attached: ['AdministratorAccess'] })
      .role('jenkins', { trust: trustService('ec2.amazonaws.com'), attached: ['AdministratorAccess'] })
      .role('reader', {
        trust: trustAws(FIXTURE_ACCOUNT),
        inline: { p: allow('s3:GetObject', 'arn:aws:s3:::b/*') },
      })
      .build();
    expect(verdicts(runCheck(iamRoleAdmin, s))).toEqual({ [arn('role', 'ops')]: 'fail' });
  });
});
