/**
 * sts:AssumeRole edges: the graph decides a trust that admits callers only through their account
 * as two engine questions (the caller's identity side, and the trust side once per role and caller
 * class) and any other trust with the caller's whole set plus the trust policy. Both must give
 * exactly what one evaluation of the combined set gives: the table below pins the documented
 * outcomes, and every (caller, role) pair of the fixture is compared with the combined evaluation.
 * Cross-account: both the identity policy and the trust policy must allow:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * Same account: a trust naming the principal ARN suffices; naming the account delegates to identity
 * policies: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Permissions boundaries limit the identity side:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * RCPs restrict access to the resource account's resources:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/analysis/escalation/decide.js';
import { escalationGraph } from '../../src/analysis/escalation/index.js';
import { identitySubject, options } from '../../src/analysis/escalation/subjects.js';
import {
  FIXTURE_ACCOUNT as A,
  allow,
  FIXTURE_OTHER_ACCOUNT as B,
  FIXTURE_ORG_ID,
  FIXTURE_ROOT_ID,
  SnapshotBuilder,
  statements,
  trustAws,
  trustService,
} from '../../src/checks/testing/snapshot-builder.js';
import type { OrgSnapshot } from '../../src/model/account.js';
import type { NamedPolicy } from '../../src/model/policy.js';
import { compilePolicySet, type PolicySet } from '../../src/policy/evaluate/index.js';

const user = (account: string, name: string): string => `arn:aws:iam::${account}:user/${name}`;
const role = (account: string, name: string): string => `arn:aws:iam::${account}:role/${name}`;
const ASSUME_ANY = allow('sts:AssumeRole', '*');
const RCP_FULL_ACCESS = statements({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });

let snapshot: OrgSnapshot;

beforeAll(async () => {
  const b = new SnapshotBuilder(A);
  b.policy('only-s3', allow('s3:*', '*'));
  b.user('none');
  b.user('assume-any', { inline: { a: ASSUME_ANY } });
  b.user('assume-one', { inline: { a: allow('sts:AssumeRole', role(A, 'trust-account')) } });
  b.user('assume-but-deny', {
    inline: {
      a: statements(
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
        { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: role(A, 'trust-both') },
      ),
    },
  });
  b.user('bounded', { inline: { a: ASSUME_ANY }, boundary: 'only-s3' });
  b.user('tagged', { inline: { a: ASSUME_ANY }, tags: { team: 'blue' } });
  b.role('caller-role', { trust: trustService('ec2.amazonaws.com'), inline: { a: ASSUME_ANY } });
  b.role('trust-account', { trust: trustAws(A) });
  b.role('trust-account-mfa', { trust: trustAws(A, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) });
  b.role('trust-user', { trust: trustAws(user(A, 'none')) });
  b.role('trust-star', { trust: trustAws('*') });
  b.role('trust-other', { trust: trustAws(B) });
  b.role('trust-other-extid', { trust: trustAws(B, { StringEquals: { 'sts:ExternalId': 'x-1' } }) });
  b.role('trust-both', { trust: trustAws([A, B]) });
  b.role('trust-deny-user', {
    trust: statements(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: { AWS: user(A, 'assume-any') }, Action: 'sts:AssumeRole' },
    ),
  });
  b.role('trust-tag', { trust: trustAws(A, { StringEquals: { 'aws:PrincipalTag/team': 'blue' } }) });
  b.role('trust-org', { trust: trustAws('*', { StringEquals: { 'aws:PrincipalOrgID': FIXTURE_ORG_ID } }) });
  b.role('trust-service', { trust: trustService('ec2.amazonaws.com') });
  b.account(B);
  b.user('b-user', { inline: { a: ASSUME_ANY } });
  b.user('b-tagged', { inline: { a: ASSUME_ANY }, tags: { blocked: 'yes' } });
  b.user('b-none');
  b.role('b-trust-a', { trust: trustAws(A) });
  // Every account level needs an SCP and an RCP that allow: AWS attaches FullAWSAccess and
  // RCPFullAWSAccess to the root, every OU and every account by default, which the fixture builder
  // does only for the SCP at the root.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
  b.scp({ name: 'full-access-b', document: allow('*', '*'), targets: [B] });
  b.role('b-trust-a-twin', { trust: trustAws(A) });
  b.rcp({ name: 'rcp-full-access-b', document: RCP_FULL_ACCESS, targets: [FIXTURE_ROOT_ID, B] });
  b.rcp({
    name: 'no-blocked-callers',
    document: statements({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/blocked': 'yes' } },
    }),
    targets: [B],
  });
  snapshot = await b.build();
});

/** The sts-001 edge from → to: 'certain', 'conditional' or 'none'. */
function edge(from: string, to: string): 'certain' | 'conditional' | 'none' {
  const e = escalationGraph(snapshot)
    .out.get(from)
    ?.find((x) => x.to === to && x.technique === 'sts-001');
  return e === undefined ? 'none' : e.conditions.length === 0 ? 'certain' : 'conditional';
}

describe('sts:AssumeRole edges', () => {
  it.each([
    ['no identity policy, trust names the account', user(A, 'none'), role(A, 'trust-account'), 'none'],
    ['no identity policy, trust names the user itself', user(A, 'none'), role(A, 'trust-user'), 'certain'],
    ['identity allows, trust names the account', user(A, 'assume-any'), role(A, 'trust-account'), 'certain'],
    ['identity allows that role only', user(A, 'assume-one'), role(A, 'trust-account'), 'certain'],
    ['identity allows another role only', user(A, 'assume-one'), role(A, 'trust-both'), 'none'],
    ['trust needs MFA', user(A, 'assume-any'), role(A, 'trust-account-mfa'), 'conditional'],
    ['trust names only another account', user(A, 'assume-any'), role(A, 'trust-other'), 'none'],
    ['explicit deny on the role', user(A, 'assume-but-deny'), role(A, 'trust-both'), 'none'],
    ['the deny does not reach other roles', user(A, 'assume-but-deny'), role(A, 'trust-account'), 'certain'],
    ['boundary without sts:AssumeRole', user(A, 'bounded'), role(A, 'trust-account'), 'none'],
    ['boundary also limits a trust naming anyone', user(A, 'bounded'), role(A, 'trust-star'), 'none'],
    ['trust denies this caller', user(A, 'assume-any'), role(A, 'trust-deny-user'), 'none'],
    ['trust denies another caller only', user(A, 'tagged'), role(A, 'trust-deny-user'), 'certain'],
    ['trust condition on a tag the caller has', user(A, 'tagged'), role(A, 'trust-tag'), 'certain'],
    ['trust condition on a tag the caller lacks', user(A, 'assume-any'), role(A, 'trust-tag'), 'none'],
    ['a role as the caller', role(A, 'caller-role'), role(A, 'trust-account'), 'certain'],
    ['trust for any principal of the organization', user(B, 'b-none'), role(A, 'trust-org'), 'none'],
    ['cross-account, both sides allow', user(B, 'b-user'), role(A, 'trust-other'), 'certain'],
    ['cross-account, no identity policy', user(B, 'b-none'), role(A, 'trust-other'), 'none'],
    ['cross-account, trust names both accounts', user(B, 'b-user'), role(A, 'trust-both'), 'certain'],
    ['cross-account with an ExternalId', user(B, 'b-user'), role(A, 'trust-other-extid'), 'conditional'],
    ['cross-account to another org account', user(A, 'assume-any'), role(B, 'b-trust-a'), 'certain'],
    ['an RCP of the role account denies the caller', user(B, 'b-tagged'), role(A, 'trust-both'), 'certain'],
    ['a service trust is no way in for a user', user(A, 'assume-any'), role(A, 'trust-service'), 'none'],
  ] as const)('%s', (_name, from, to, expected) => {
    expect(edge(from, to)).toBe(expected);
  });

  it("an RCP of the role's account applies to callers from elsewhere", async () => {
    // b-tagged is in B, whose RCP denies tagged callers: it governs B's roles, not A's (row above).
    const b = new SnapshotBuilder(A);
    b.user('caller', { inline: { a: ASSUME_ANY }, tags: { blocked: 'yes' } });
    b.user('plain', { inline: { a: ASSUME_ANY } });
    b.account(B);
    b.role('target', { trust: trustAws(A) });
    b.scp({ name: 'full-access-b', document: allow('*', '*'), targets: [B] });
    b.rcp({ name: 'rcp-full-access-b', document: RCP_FULL_ACCESS, targets: [FIXTURE_ROOT_ID, B] });
    b.rcp({
      name: 'no-blocked-callers',
      document: statements({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRole',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalTag/blocked': 'yes' } },
      }),
      targets: [B],
    });
    const s = await b.build();
    const reaches = (from: string): boolean =>
      escalationGraph(s)
        .out.get(from)
        ?.some((e) => e.to === role(B, 'target') && e.technique === 'sts-001') ?? false;
    expect(reaches(user(A, 'caller'))).toBe(false);
    expect(reaches(user(A, 'plain'))).toBe(true);
  });

  it('every pair gets the answer of one evaluation of the caller set with the trust policy', () => {
    const graph = escalationGraph(snapshot);
    let compared = 0;
    let allowed = 0;
    for (const account of snapshot.accounts.values()) {
      for (const caller of [...account.users.values(), ...account.roles.values()]) {
        const subject = identitySubject(snapshot, account, caller);
        for (const target of snapshot.accounts.values()) {
          for (const r of target.roles.values()) {
            if (r.arn === caller.arn || !r.trustPolicy) continue;
            const set: PolicySet<NamedPolicy> = {
              ...subject.set,
              trust: [r.trustPolicy],
              ...(target.rcpState === 'known' && target.rcpLevels.length > 0
                ? { rcp: target.rcpLevels }
                : {}),
            };
            if (!(target.rcpState === 'known' && target.rcpLevels.length > 0))
              delete (set as { rcp?: unknown }).rcp;
            const tags: Record<string, string> = {};
            for (const [k, v] of r.tags) tags[`aws:ResourceTag/${k}`] = tags[`iam:ResourceTag/${k}`] = v;
            const v = decide(compilePolicySet(set, options(snapshot)), set, {
              principal: caller.arn,
              action: 'sts:AssumeRole',
              resource: r.arn,
              context: { ...subject.context, 'aws:RequestedRegion': 'us-east-1', ...tags },
            });
            const e = graph.out.get(caller.arn)?.find((x) => x.to === r.arn && x.technique === 'sts-001');
            compared++;
            if (v.allowed) allowed++;
            expect(e !== undefined, `${caller.arn} -> ${r.arn}`).toBe(v.allowed);
            if (e) expect(e.conditions, `${caller.arn} -> ${r.arn}`).toEqual(v.conditions);
          }
        }
      }
    }
    // The fixture exercises both outcomes.
    expect(compared).toBeGreaterThan(100);
    expect(allowed).toBeGreaterThan(10);
  });
});
