import { describe, expect, it } from 'vitest';
import { customerPolicyFullAdmin } from './customer-policy-full-admin.js';
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

describe('customer-policy-full-admin', () => {
  it('fails for an attached customer policy with * on *, passes for unattached and scoped ones', async () => {
    const s = await new SnapshotBuilder()
      .policy('everything', allow('*'))
      .policy('unused-everything', allow('*'))
      .policy('s3-only', allow('s3:*'))
      .user('u', { attached: ['everything', 's3-only'] })
      .build();
    expect(verdicts(runCheck(customerPolicyFullAdmin, s))).toEqual({ [arn('policy', 'everything')]: 'fail' });
  });
});
