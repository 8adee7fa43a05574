import { describe, expect, it } from 'vitest';
import { serviceWideWildcard } from './service-wide-wildcard.js';
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

describe('service-wide-wildcard', () => {
  it('fails for kms:* on *, passes for named kms actions and for kms:* on one key', async () => {
    const s = await new SnapshotBuilder()
      .role('helper', { trust: trustService('lambda.amazonaws.com'), inline: { p: allow('kms:*') } })
      .role('decrypt', {
        trust: trustService('lambda.amazonaws.com'),
        inline: { p: allow(['kms:Decrypt', 'kms:Encrypt']) },
      })
      .role('one-key', {
        trust: trustService('lambda.amazonaws.com'),
        inline: { p: allow('kms:*', 'arn:aws:kms:us-east-1:111122223333:key/abc') },
      })
      .build();
    const found = runCheck(serviceWideWildcard, s);
    expect(verdicts(found)).toEqual({ [arn('role', 'helper')]: 'fail' });
    expect(found[0]?.evidence.actions).toEqual(['kms:*']);
  });
});
