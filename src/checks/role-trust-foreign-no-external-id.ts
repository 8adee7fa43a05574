import {
  externalAccess,
  grantEvidence,
  grantMessage,
  zoneOptionsFromConfig,
} from '../analysis/exposure/index.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'role-trust-foreign-no-external-id',
  title: 'Role trusted by an outside account without sts:ExternalId',
  severity: 'high',
  description:
    "An IAM role that a named account outside the zone of trust (not the role's account, not in the organization, not in `trustedAccounts`) can assume without presenting an `sts:ExternalId`. Accounts inside the organization or trusted by configuration are not reported.",
  risk: "A third party that assumes roles in many customers' accounts can be tricked by another of its customers into using this role (the confused-deputy problem); without an ExternalId nothing ties the request to you. It is also often a forgotten vendor integration.",
  remediation:
    'If the vendor relationship is over, delete the role (`aws iam delete-role`). Otherwise ask the vendor for the ExternalId it generated for you and add `"Condition": {"StringEquals": {"sts:ExternalId": "…"}}` to the trust statement (`aws iam update-assume-role-policy`), and trust the vendor\'s specific role ARN rather than its whole account.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.6'],
    iso27001: ['A.5.15'],
    'pci-dss': ['7.2.1'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Role',
  tags: ['exposure', 'trust', 'third-party'],
};

export const roleTrustForeignNoExternalId: Check = {
  meta,
  run({ snapshot, config }) {
    const out: CheckOutcome[] = [];
    for (const target of externalAccess(snapshot, zoneOptionsFromConfig(config)).targets) {
      if (target.kind !== 'trust') continue;
      const foreign = target.effective.filter(
        (g) => g.principalClass === 'account' && !g.inZone && !g.externalId,
      );
      for (const account of [...new Set(foreign.map((g) => g.account ?? g.principal))].sort()) {
        const grants = foreign.filter((g) => (g.account ?? g.principal) === account);
        const sure = grants.filter((g) => !g.uncertain);
        out.push({
          account: target.accountId,
          resourceArn: target.arn,
          principal: target.arn,
          status: sure.length > 0 ? 'fail' : 'unknown',
          message:
            sure.length > 0
              ? `No sts:ExternalId required: ${grantMessage(target, sure)}`
              : `The trust policy of ${target.arn} may let account ${account} assume it (not fully evaluable)`,
          evidence: grantEvidence(target, sure.length > 0 ? sure : grants),
          discriminator: account,
        });
      }
    }
    return out;
  },
};
