import { describe, expect, it } from 'vitest';
import { dataExfiltrationUnconstrained } from './data-exfiltration-unconstrained.js';
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

describe('data-exfiltration-unconstrained', () => {
  it('fails for secretsmanager:GetSecretValue on *, passes when scoped to named secrets', async () => {
    const s = await new SnapshotBuilder()
      .role('wide', {
        trust: trustService('ecs-tasks.amazonaws.com'),
        inline: { p: allow('secretsmanager:GetSecretValue') },
      })
      .role('narrow', {
        trust: trustService('ecs-tasks.amazonaws.com'),
        inline: {
          p: allow(
            'secretsmanager:GetSecretValue',
            'arn:aws:secretsmanager:us-east-1:111122223333:secret:app/*',
          ),
        },
      })
      .build();
    expect(verdicts(runCheck(dataExfiltrationUnconstrained, s))).toEqual({ [arn('role', 'wide')]: 'fail' });
  });
});
