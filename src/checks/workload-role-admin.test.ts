import { describe, expect, it } from 'vitest';
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
import { workloadRoleAdmin } from './workload-role-admin.js';

const arn = (kind: string, name: string): string => `arn:aws:iam::${FIXTURE_ACCOUNT}:${kind}/${name}`;
void [allow, deny, statements, trustAws, trustService];

describe('workload-role-admin', () => {
  it('fails for an EC2 role with AdministratorAccess, passes for a Lambda role with basic execution', async () => {
    const s = await new SnapshotBuilder()
      .role('jenkins', { trust: trustService('ec2.amazonaws.com'), attached: ['AdministratorAccess'] })
      .role('fn', {
        trust: trustService('lambda.amazonaws.com'),
        attached: ['service-role/AWSLambdaBasicExecutionRole'],
      })
      .role('ops', { trust: trustAws(FIXTURE_ACCOUNT), attached: ['AdministratorAccess'] })
      .build();
    expect(verdicts(runCheck(workloadRoleAdmin, s))).toEqual({ [arn('role', 'jenkins')]: 'fail' });
  });
});
