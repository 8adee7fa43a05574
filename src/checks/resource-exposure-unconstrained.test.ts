import { describe, expect, it } from 'vitest';
import { resourceExposureUnconstrained } from './resource-exposure-unconstrained.js';
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

describe('resource-exposure-unconstrained', () => {
  it('fails for s3:PutBucketPolicy on *, passes for one bucket', async () => {
    const s = await new SnapshotBuilder()
      .role('wide', { trust: trustAws(FIXTURE_ACCOUNT), inline: { p: allow('s3:PutBucketPolicy') } })
      .role('narrow', {
        trust: trustAws(FIXTURE_ACCOUNT),
        inline: { p: allow('s3:PutBucketPolicy', 'arn:aws:s3:::mine') },
      })
      .build();
    expect(verdicts(runCheck(resourceExposureUnconstrained, s))).toEqual({ [arn('role', 'wide')]: 'fail' });
  });
});
