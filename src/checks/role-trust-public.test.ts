import { describe, expect, it } from 'vitest';
import { roleTrustPublic } from './role-trust-public.js';
import { runCheck, verdicts } from './testing/run-check.js';
import { SnapshotBuilder, trustAws, trustFederated, trustService } from './testing/snapshot-builder.js';

const ARN = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const GITHUB = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

describe('role-trust-public', () => {
  // Principal "*" in a trust policy: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  // GitHub OIDC trust must check the subject claim: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
  it('fails a role anyone can assume, with or without an ExternalId, and an OIDC trust checking only the audience', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('open', { trust: trustAws('*') })
      .role('open-with-external-id', { trust: trustAws('*', { StringEquals: { 'sts:ExternalId': 'x' } }) })
      .role('any-github-repo', {
        trust: trustFederated(GITHUB, 'sts:AssumeRoleWithWebIdentity', {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        }),
      })
      .build();
    expect(verdicts(runCheck(roleTrustPublic, snapshot))).toEqual({
      [ARN('open')]: 'fail',
      [ARN('open-with-external-id')]: 'fail',
      [ARN('any-github-repo')]: 'fail',
    });
  });

  it('passes trust narrowed to the organization, a service, a named account and a pinned repository', async () => {
    const snapshot = await new SnapshotBuilder()
      .role('org-only', { trust: trustAws('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-fixture1' } }) })
      .role('lambda', { trust: trustService('lambda.amazonaws.com') })
      .role('partner', { trust: trustAws('999988887777') })
      .role('pinned-repo', {
        trust: trustFederated(GITHUB, 'sts:AssumeRoleWithWebIdentity', {
          StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
        }),
      })
      .build();
    expect(runCheck(roleTrustPublic, snapshot)).toEqual([]);
  });
});
