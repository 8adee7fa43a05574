import { describe, expect, it } from 'vitest';
import {
  allow,
  FIXTURE_OTHER_ACCOUNT,
  SnapshotBuilder,
  trustAws,
  trustService,
} from '../checks/testing/snapshot-builder.js';
import { thirdPartyAccess } from './third-party.js';

const VENDOR = '999988887777';

// Third-party access with ExternalId: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
describe('thirdPartyAccess', () => {
  it('lists every cross-account trust with its relation, ExternalId, reachable actions and last use', async () => {
    const snapshot = await new SnapshotBuilder()
      .account(FIXTURE_OTHER_ACCOUNT)
      .account('111122223333')
      .role('vendor', {
        trust: trustAws(VENDOR, { StringEquals: { 'sts:ExternalId': 'abc' } }),
        inline: {
          read: allow(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*']),
        },
        lastUsed: '2026-10-30T00:00:00Z',
      })
      .role('old-vendor', { trust: trustAws(VENDOR), inline: { all: allow('dynamodb:*') } })
      .role('sibling', { trust: trustAws(FIXTURE_OTHER_ACCOUNT) })
      .role('lambda', { trust: trustService('lambda.amazonaws.com') })
      .build();
    const rows = thirdPartyAccess(snapshot);
    expect(
      rows.map((r) => [r.roleName, r.trustedAccount, r.relation, r.externalIdRequired, r.lastUsed]),
    ).toEqual([
      ['old-vendor', VENDOR, 'external', false, null],
      ['sibling', FIXTURE_OTHER_ACCOUNT, 'organization', false, null],
      ['vendor', VENDOR, 'external', true, '2026-10-30T00:00:00.000Z'],
    ]);
    const vendor = rows.find((r) => r.roleName === 'vendor');
    expect(vendor?.actionsReachable.services).toEqual([{ service: 's3', levels: { List: 1, Read: 1 } }]);
    const old = rows.find((r) => r.roleName === 'old-vendor');
    expect(old?.actionsReachable.services.map((s) => s.service)).toEqual(['dynamodb']);
    expect(old?.actionsReachable.totalActions).toBeGreaterThan(40);
  });
});
