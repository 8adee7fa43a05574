import { describe, expect, it } from 'vitest';
import { runCheck, verdicts } from './testing/run-check.js';
import { SnapshotBuilder, trustService } from './testing/snapshot-builder.js';
import { unusedRole } from './unused-role.js';

const trust = trustService('lambda.amazonaws.com');
const ARN = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

// RoleLastUsed: https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html
describe('unused-role (now 2026-11-01, threshold 90 days)', () => {
  it('fails a role last used 200 days ago and an old role never used', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('stale', { trust, createdAt: '2024-01-01T00:00:00Z', lastUsed: '2026-04-15T00:00:00Z' })
      .role('never', { trust, createdAt: '2025-01-01T00:00:00Z' })
      .build();
    expect(verdicts(runCheck(unusedRole, snapshot))).toEqual({
      [ARN('stale')]: 'fail',
      [ARN('never')]: 'fail',
    });
  });

  it('passes a recently used role, a new role, and service-linked roles; honours the configured threshold', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('busy', { trust, createdAt: '2024-01-01T00:00:00Z', lastUsed: '2026-10-30T00:00:00Z' })
      .role('fresh', { trust, createdAt: '2026-10-01T00:00:00Z' })
      .role('AWSServiceRoleForSupport', {
        path: '/aws-service-role/support.amazonaws.com/',
        trust,
        createdAt: '2020-01-01T00:00:00Z',
      })
      .role('monthly', { trust, createdAt: '2024-01-01T00:00:00Z', lastUsed: '2026-08-01T00:00:00Z' })
      .build();
    expect(runCheck(unusedRole, snapshot, { config: { thresholds: { unusedDays: 120 } } })).toEqual([]);
    expect(verdicts(runCheck(unusedRole, snapshot, { config: { thresholds: { unusedDays: 60 } } }))).toEqual({
      [ARN('monthly')]: 'fail',
    });
  });
});
