import { describe, expect, it } from 'vitest';
import { credentialsExposureUnconstrained } from './credentials-exposure-unconstrained.js';
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

describe('credentials-exposure-unconstrained', () => {
  it('fails for iam:CreateAccessKey on *, passes for self-service and for ecr:GetAuthorizationToken', async () => {
    const s = await new SnapshotBuilder()
      .user('helpdesk', { inline: { p: allow('iam:CreateAccessKey') } })
      .user('self', {
        inline: { p: allow('iam:CreateAccessKey', 'arn:aws:iam::111122223333:user/${aws:username}') },
      })
      .role('ci', { trust: trustAws(FIXTURE_ACCOUNT), inline: { p: allow('ecr:GetAuthorizationToken') } })
      .build();
    expect(verdicts(runCheck(credentialsExposureUnconstrained, s))).toEqual({
      [arn('user', 'helpdesk')]: 'fail',
    });
  });
});
