// Same-account trust naming the account delegates to identity policies:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
import { describe, expect, it } from 'vitest';
import { privilegeEscalationSelf } from './privilege-escalation-self.js';
import { privilegeEscalationToAdmin } from './privilege-escalation-to-admin.js';
import { runCheck, verdicts } from './testing/run-check.js';
import {
  FIXTURE_ACCOUNT as ACCT,
  allow,
  SnapshotBuilder,
  statements,
  trustAws,
} from './testing/snapshot-builder.js';

const DEV = `arn:aws:iam::${ACCT}:user/dev`;

async function org(devPolicy: Record<string, unknown>, boundary?: boolean) {
  const b = new SnapshotBuilder().withoutOrganization();
  if (boundary) b.policy('boundary', allow(['iam:*', 's3:*'], '*'));
  b.role('admin-role', { trust: trustAws(ACCT), attached: ['AdministratorAccess'] });
  b.user('dev', { inline: { dev: devPolicy }, ...(boundary ? { boundary: 'boundary' } : {}) });
  return b.build();
}

describe('privilege-escalation-to-admin', () => {
  it.each([
    ['assume an admin role', allow('sts:AssumeRole', `arn:aws:iam::${ACCT}:role/admin-role`), 'fail'],
    ['attach AdministratorAccess to itself', allow('iam:AttachUserPolicy', DEV), 'fail'],
    ['assume only another role', allow('sts:AssumeRole', `arn:aws:iam::${ACCT}:role/other`), undefined],
    [
      'assume the admin role but denied',
      statements(
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
        { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCT}:role/admin-role` },
      ),
      undefined,
    ],
  ])('%s → %s', async (_what, policy, expected) => {
    const v = verdicts(runCheck(privilegeEscalationToAdmin, await org(policy)));
    expect(v[DEV]).toBe(expected);
  });

  it('carries the path as evidence', async () => {
    const [f] = runCheck(privilegeEscalationToAdmin, await org(allow('sts:AssumeRole', '*')));
    expect(f?.evidence.path?.map((h) => [h.from, h.to, h.technique])).toEqual([
      [DEV, `arn:aws:iam::${ACCT}:role/admin-role`, 'sts-001'],
    ]);
  });
});

describe('privilege-escalation-self', () => {
  it('fails for a user that can put a policy on itself, passes when the Resource is another user', async () => {
    expect(verdicts(runCheck(privilegeEscalationSelf, await org(allow('iam:PutUserPolicy', DEV))))[DEV]).toBe(
      'fail',
    );
    expect(
      verdicts(
        runCheck(
          privilegeEscalationSelf,
          await org(allow('iam:PutUserPolicy', `arn:aws:iam::${ACCT}:user/x`)),
        ),
      )[DEV],
    ).toBeUndefined();
  });

  it('within a boundary, the self-escalation is reported but does not reach admin', async () => {
    const snapshot = await org(allow('iam:PutUserPolicy', DEV), true);
    expect(verdicts(runCheck(privilegeEscalationSelf, snapshot))[DEV]).toBe('fail');
    expect(verdicts(runCheck(privilegeEscalationToAdmin, snapshot))[DEV]).toBeUndefined();
  });
});
