import { describe, expect, it } from 'vitest';
import { resourceCrossAccount } from './resource-cross-account.js';
import { runCheck, verdicts } from './testing/run-check.js';
import {
  FIXTURE_OTHER_ACCOUNT,
  resourceArn,
  SnapshotBuilder,
  statements,
} from './testing/snapshot-builder.js';

const FOREIGN = '999988887777';
const readSecret = (principal: string) =>
  statements({
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: 'secretsmanager:GetSecretValue',
    Resource: '*',
  });

describe('resource-cross-account', () => {
  // Zone of trust: the account, or the organization. https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
  it('fails a grant to an account outside the organization, one finding per account', async () => {
    const snapshot = await new SnapshotBuilder()
      .resource('secretsmanager', 'vendor-secret', { policy: readSecret(`arn:aws:iam::${FOREIGN}:root`) })
      .build();
    const findings = runCheck(resourceCrossAccount, snapshot);
    expect(verdicts(findings)).toEqual({ [resourceArn('secretsmanager', 'vendor-secret')]: 'fail' });
    expect(findings[0]?.evidence.actions).toEqual(['secretsmanager:GetSecretValue']);
    expect(findings[0]?.evidence.externalPrincipals).toEqual([FOREIGN]);
  });

  it('passes grants to another account of the organization and to accounts the configuration trusts', async () => {
    const snapshot = await new SnapshotBuilder()
      .account(FIXTURE_OTHER_ACCOUNT)
      .account('111122223333')
      .resource('secretsmanager', 'org-secret', {
        policy: readSecret(`arn:aws:iam::${FIXTURE_OTHER_ACCOUNT}:root`),
      })
      .resource('secretsmanager', 'partner-secret', { policy: readSecret(`arn:aws:iam::${FOREIGN}:root`) })
      .build();
    expect(runCheck(resourceCrossAccount, snapshot, { config: { trustedAccounts: [FOREIGN] } })).toEqual([]);
  });
});
