/**
 * principalsReachingAny: who can reach a principal that already holds a permission (or an
 * administrator) through escalation edges, as one reverse search from every holder. A role whose
 * trust policy names the account can be assumed by a principal of that account whose identity
 * policy allows sts:AssumeRole on it; a principal that can put an inline policy on its own user
 * can give itself any permission.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { principalsReachingAny } from '../../src/analysis/escalation/index.js';
import {
  FIXTURE_ACCOUNT as A,
  allow,
  SnapshotBuilder,
  trustAws,
} from '../../src/checks/testing/snapshot-builder.js';
import type { OrgSnapshot } from '../../src/model/account.js';

const user = (name: string): string => `arn:aws:iam::${A}:user/${name}`;
const role = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
let snapshot: OrgSnapshot;

beforeAll(async () => {
  const b = new SnapshotBuilder(A).withoutOrganization();
  const none = { password: false, keys: [] } as const;
  b.user('holder', { inline: { p: allow('s3:GetObject') }, credentials: none });
  b.role('holder-role', { trust: trustAws(A), inline: { p: allow('s3:GetObject') } });
  b.role('middle', { trust: trustAws(A), inline: { p: allow('sts:AssumeRole', role('holder-role')) } });
  b.user('climber', { inline: { p: allow('sts:AssumeRole', role('holder-role')) }, credentials: none });
  b.user('two-hops', { inline: { p: allow('sts:AssumeRole', role('middle')) }, credentials: none });
  b.user('self-writer', {
    inline: { p: allow('iam:PutUserPolicy', user('self-writer')) },
    credentials: none,
  });
  b.user('admin', { inline: { p: allow('*') }, credentials: none });
  b.user('nobody', { inline: { p: allow('s3:ListAllMyBuckets') }, credentials: none });
  snapshot = await b.build();
});

describe('principalsReachingAny', () => {
  it.each([
    ['assumes the holder role', user('climber'), role('holder-role'), 1],
    ['assumes a role that assumes the holder role', user('two-hops'), role('holder-role'), 2],
    ['a role that assumes the holder role', role('middle'), role('holder-role'), 1],
    ['writes its own policy up to admin', user('self-writer'), 'admin', 1],
  ] as const)('lists a principal that %s', (_name, principal, reaches, hops) => {
    const found = principalsReachingAny(snapshot, [role('holder-role'), user('holder')]).find(
      (p) => p.principal === principal,
    );
    expect(found?.reaches).toBe(reaches);
    expect(found?.hops.length).toBe(hops);
  });

  it.each([
    ['a holder', role('holder-role')],
    ['the other holder', user('holder')],
    ['an administrator', user('admin')],
    ['a principal with no path', user('nobody')],
  ] as const)('does not list %s', (_name, principal) => {
    const listed = principalsReachingAny(snapshot, [role('holder-role'), user('holder')]).map(
      (p) => p.principal,
    );
    expect(listed).not.toContain(principal);
  });

  it('leaves admin paths out when asked to', () => {
    const listed = principalsReachingAny(snapshot, [role('holder-role')], { admin: false }).map(
      (p) => p.principal,
    );
    expect(listed).toContain(user('climber'));
    expect(listed).not.toContain(user('self-writer'));
  });

  it('lists the same principals for holders given one by one as for all at once', () => {
    const holders = [role('holder-role'), role('middle')];
    const together = new Set(
      principalsReachingAny(snapshot, holders, { admin: false }).map((p) => p.principal),
    );
    const apart = new Set(
      holders.flatMap((h) => principalsReachingAny(snapshot, [h], { admin: false }).map((p) => p.principal)),
    );
    for (const h of holders) apart.delete(h);
    expect([...together].sort()).toEqual([...apart].sort());
  });
});
