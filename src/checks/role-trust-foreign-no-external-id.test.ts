import { describe, expect, it } from 'vitest';
import { roleTrustForeignNoExternalId } from './role-trust-foreign-no-external-id.js';
import { runCheck, verdicts } from './testing/run-check.js';
import { FIXTURE_OTHER_ACCOUNT, SnapshotBuilder, trustAws } from './testing/snapshot-builder.js';

const VENDOR = '999988887777';

describe('role-trust-foreign-no-external-id', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
  it('fails a role an outside account can assume without sts:ExternalId', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('vendor', { trust: trustAws(VENDOR) })
      .role('vendor-role-arn', { trust: trustAws(`arn:aws:iam::${VENDOR}:role/integration`) })
      .build();
    const findings = runCheck(roleTrustForeignNoExternalId, snapshot);
    expect(verdicts(findings)).toEqual({
      'arn:aws:iam::111122223333:role/vendor': 'fail',
      'arn:aws:iam::111122223333:role/vendor-role-arn': 'fail',
    });
    expect(findings.map((f) => f.evidence.externalPrincipals)).toContainEqual([
      `arn:aws:iam::${VENDOR}:role/integration`,
    ]);
  });

  it('passes an ExternalId-protected vendor, an account of the organization and a trusted account', async () => {
    const snapshot = await new SnapshotBuilder()
      .account(FIXTURE_OTHER_ACCOUNT)
      .account('111122223333')
      .role('vendor', { trust: trustAws(VENDOR, { StringEquals: { 'sts:ExternalId': 'abc-123' } }) })
      .role('sibling', { trust: trustAws(FIXTURE_OTHER_ACCOUNT) })
      .role('trusted', { trust: trustAws('555566667777') })
      .build();
    expect(
      runCheck(roleTrustForeignNoExternalId, snapshot, { config: { trustedAccounts: ['555566667777'] } }),
    ).toEqual([]);
  });
});
