import { describe, expect, it } from 'vitest';
import { runCheck, verdicts } from './testing/run-check.js';
import { allow, SnapshotBuilder, trustService } from './testing/snapshot-builder.js';
import { unusedServicesCheck } from './unused-services.js';

const trust = trustService('ec2.amazonaws.com');
const ARN = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

// Service last-accessed data: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html
describe('unused-services (now 2026-11-01, threshold 90 days)', () => {
  it('fails a role holding s3:* and dynamodb:* that used only S3 recently, listing dynamodb', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('app', { trust, inline: { p: allow(['s3:*', 'dynamodb:*']) } })
      .lastAccessed(ARN('app'), [
        { namespace: 's3', lastAuthenticated: '2026-10-30T00:00:00Z' },
        { namespace: 'dynamodb', lastAuthenticated: '2026-01-01T00:00:00Z' },
      ])
      .build();
    const findings = runCheck(unusedServicesCheck, snapshot);
    expect(verdicts(findings)).toEqual({ [ARN('app')]: 'fail' });
    expect(findings[0]?.evidence.facts?.unusedServicesHeldWholesale).toBe('dynamodb');
  });

  it('passes unused services granted only in part, wholesale grants an explicit deny removes, and principals without data', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('reader', { trust, inline: { p: allow(['dynamodb:GetItem', 'dynamodb:Query']) } })
      .lastAccessed(ARN('reader'), [{ namespace: 'dynamodb', lastAuthenticated: null }])
      .role('denied', {
        trust,
        inline: {
          p: allow('dynamodb:*'),
          d: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' }] },
        },
      })
      .lastAccessed(ARN('denied'), [{ namespace: 'dynamodb', lastAuthenticated: null }])
      .role('no-data', { trust, inline: { p: allow('*') } })
      .build();
    expect(runCheck(unusedServicesCheck, snapshot)).toEqual([]);
  });
});
