import {
  externalAccess,
  grantEvidence,
  grantMessage,
  zoneOptionsFromConfig,
} from '../analysis/exposure/index.js';
import type { CheckMetadata } from '../model/finding.js';
import { resourceTypeOf } from './resource-public.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'resource-cross-account',
  title: 'Resource policy grants access to an account outside the zone of trust',
  severity: 'high',
  description:
    "A resource policy (S3, SQS, SNS, KMS, Lambda, ECR, Secrets Manager) that lets a named AWS account, or a principal in it, act on the resource when that account is neither the resource owner, in the snapshot's organization, nor in `trustedAccounts`/`trustedOrganizations`. Also reports AWS services acting for a named outside account (a wildcard principal narrowed to a foreign `aws:SourceAccount`/`aws:SourceArn`). Decided by evaluating the policy for that account with full permissions on its own side, as IAM Access Analyzer does.",
  risk: 'Another company (a former vendor, a partner, an unknown account) can read or change the data or use the key, outside your monitoring and offboarding; if that account is compromised, so is this resource.',
  remediation:
    "Confirm the sharing is intended and still needed. If not, remove the account from the statement's `Principal` and re-apply the policy. If it is, record the account in `trustedAccounts` in `.leastpriv.yaml` (or suppress the finding with a reason), narrow the actions to what the partner needs, and add conditions such as `aws:PrincipalArn` or `aws:SourceVpce`.",
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.6'],
    iso27001: ['A.5.15'],
    'pci-dss': ['7.2.1'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::Resource',
  tags: ['exposure', 'cross-account'],
};

export const resourceCrossAccount: Check = {
  meta,
  run({ snapshot, config }) {
    const out: CheckOutcome[] = [];
    for (const target of externalAccess(snapshot, zoneOptionsFromConfig(config)).targets) {
      if (target.kind !== 'resource') continue;
      const foreign = target.effective.filter(
        (g) =>
          !g.inZone &&
          g.account !== undefined &&
          (g.principalClass === 'account' || (g.principalClass === 'service' && !g.withoutSourceCondition)),
      );
      for (const account of [...new Set(foreign.map((g) => g.account ?? ''))].sort()) {
        const grants = foreign.filter((g) => g.account === account);
        const sure = grants.filter((g) => !g.uncertain);
        out.push({
          account: target.accountId,
          resourceArn: target.arn,
          resourceType: resourceTypeOf(target.service),
          status: sure.length > 0 ? 'fail' : 'unknown',
          message:
            sure.length > 0
              ? `Outside the zone of trust: ${grantMessage(target, sure)}`
              : `The policy of ${target.arn} may grant account ${account} access (not fully evaluable)`,
          evidence: grantEvidence(target, sure.length > 0 ? sure : grants),
          discriminator: account,
        });
      }
    }
    return out;
  },
};
