import { describe, expect, it } from 'vitest';
import { infrastructureModificationUnconstrained } from './infrastructure-modification-unconstrained.js';
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

describe('infrastructure-modification-unconstrained', () => {
  it('fails for ec2:TerminateInstances on *, passes for logs writes on * and for scoped ec2 writes', async () => {
    const s = await new SnapshotBuilder()
      .role('wide', { trust: trustAws(FIXTURE_ACCOUNT), inline: { p: allow('ec2:TerminateInstances') } })
      .role('logs', {
        trust: trustService('lambda.amazonaws.com'),
        inline: { p: allow(['logs:CreateLogStream', 'logs:PutLogEvents']) },
      })
      .role('narrow', {
        trust: trustAws(FIXTURE_ACCOUNT),
        inline: { p: allow('ec2:TerminateInstances', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1') },
      })
      .build();
    expect(verdicts(runCheck(infrastructureModificationUnconstrained, s))).toEqual({
      [arn('role', 'wide')]: 'fail',
    });
  });
});
