import { describe, expect, it } from 'vitest';
import { iamGroupAdmin } from './iam-group-admin.js';
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

describe('iam-group-admin', () => {
  it('fails for a group with a *:* policy, passes for a read-only group', async () => {
    const s = await new SnapshotBuilder()
      .policy('all', allow('*'))
      .group('ops', { attached: ['all'] })
      .group('viewers', { attached: ['ReadOnlyAccess'] })
      .build();
    expect(verdicts(runCheck(iamGroupAdmin, s))).toEqual({ [arn('group', 'ops')]: 'fail' });
  });
});
