import { describe, expect, it } from 'vitest';
import { iamUserDirectPolicies } from './iam-user-direct-policies.js';
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

describe('iam-user-direct-policies', () => {
  it('fails for a user with a managed policy attached directly, passes for a user in a group', async () => {
    const s = await new SnapshotBuilder()
      .group('g', { attached: ['ViewOnlyAccess'] })
      .user('direct', { attached: ['ViewOnlyAccess'] })
      .user('grouped', { groups: ['g'] })
      .build();
    expect(verdicts(runCheck(iamUserDirectPolicies, s))).toEqual({ [arn('user', 'direct')]: 'fail' });
  });
});
