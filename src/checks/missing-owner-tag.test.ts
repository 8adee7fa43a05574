import { describe, expect, it } from 'vitest';
import { missingOwnerTag } from './missing-owner-tag.js';
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

describe('missing-owner-tag', () => {
  it('fails without the owner tag (any case of the key counts), skips service-linked roles', async () => {
    const s = await new SnapshotBuilder()
      .user('tagged', { tags: { Owner: 'team-a' } })
      .user('untagged', { tags: { team: 'a' } })
      .role('AWSServiceRoleForSupport', {
        trust: trustService('support.amazonaws.com'),
        path: '/aws-service-role/support.amazonaws.com/',
      })
      .build();
    expect(verdicts(runCheck(missingOwnerTag, s))).toEqual({ [arn('user', 'untagged')]: 'fail' });
  });

  it('uses the configured tag key', async () => {
    const s = await new SnapshotBuilder().user('u', { tags: { owner: 'x' } }).build();
    expect(verdicts(runCheck(missingOwnerTag, s, { config: { ownerTagKey: 'cost-center' } }))).toEqual({
      [arn('user', 'u')]: 'fail',
    });
  });
});
