import {
  type ExternalGrant,
  externalAccess,
  grantEvidence,
  grantMessage,
  zoneOptionsFromConfig,
} from '../analysis/exposure/index.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'role-trust-public',
  title: 'Role can be assumed by anyone',
  severity: 'critical',
  description:
    'An IAM role whose trust policy lets any AWS principal assume it (`"Principal": {"AWS": "*"}` or `"*"` without an `aws:PrincipalOrgID`/`aws:PrincipalAccount` condition that keeps outsiders out), or lets any identity of an OpenID Connect provider assume it because no claim other than the audience is checked (for GitHub Actions: no `token.actions.githubusercontent.com:sub` condition, so any repository on GitHub can). An `sts:ExternalId` condition does not help: the ExternalId is not a secret.',
  risk: 'Anyone who learns the role ARN gets its permissions: the role is a public door into the account.',
  remediation:
    'Replace the wildcard principal with the accounts or roles that need the role, or add `"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-…"}}`; for OIDC trust add a `sub` condition pinning the repository and branch or environment. Apply with `aws iam update-assume-role-policy --role-name ROLE --policy-document file://trust.json`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.6'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1'],
    hipaa: ['164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Role',
  tags: ['exposure', 'trust', 'public'],
};

/** An OIDC provider's token checked for its audience only: any identity of the provider qualifies. */
function openFederated(g: ExternalGrant): boolean {
  if (g.principalClass !== 'federated' || g.inZone || g.principal.includes(':saml-provider/')) return false;
  return g.narrowedBy.every((n) => n.key.endsWith(':aud'));
}

export const roleTrustPublic: Check = {
  meta,
  run({ snapshot, config }) {
    const out: CheckOutcome[] = [];
    for (const target of externalAccess(snapshot, zoneOptionsFromConfig(config)).targets) {
      if (target.kind !== 'trust') continue;
      const open = target.effective.filter(
        (g) => g.principalClass === 'anyone' || g.principalClass === 'any-account' || openFederated(g),
      );
      if (open.length === 0) continue;
      const sure = open.filter((g) => !g.uncertain);
      out.push({
        account: target.accountId,
        resourceArn: target.arn,
        principal: target.arn,
        status: sure.length > 0 ? 'fail' : 'unknown',
        message:
          sure.length > 0
            ? `Assumable by anyone: ${grantMessage(target, sure)}`
            : `The trust policy of ${target.arn} may let anyone assume it (not fully evaluable)`,
        evidence: grantEvidence(target, sure.length > 0 ? sure : open),
      });
    }
    return out;
  },
};
