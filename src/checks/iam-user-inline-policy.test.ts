import { describe, expect, it } from 'vitest';
import { iamUserInlinePolicy } from './iam-user-inline-policy.js';
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

describe('iam-user-inline-policy', () => {
  it('fails for a user with an inline policy, passes for a user in a group', async () => {
    const s = await new SnapshotBuilder()
      .group('g', { attached: ['ViewOnlyAccess'] })
      .user('inline', { inline: { p: allow('s3:GetObject', 'arn:aws:s3:::b/*') } })
      .user('grouped', { groups: ['g'] })
      .build();
    expect(verdicts(runCheck(iamUserInlinePolicy, s))).toEqual({ [arn('user', 'inline')]: 'fail' });
  });
});
