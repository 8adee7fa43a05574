import { externalAccess, grantEvidence, zoneOptionsFromConfig } from '../analysis/exposure/index.js';
import { isServiceLinked } from '../analysis/unused.js';
import type { CheckMetadata } from '../model/finding.js';
import { resourceTypeOf } from './resource-public.js';
import type { Check, CheckOutcome } from './types.js';

/**
 * Services that assume customer roles on behalf of resources that may belong to other accounts, and
 * whose documentation asks for aws:SourceAccount / aws:SourceArn in the role's trust policy. Compute
 * services (EC2, Lambda, ECS tasks, Glue jobs, …) are not here: they only use a role a principal of
 * the role's own account passed to them (iam:PassRole does not cross accounts), so there is no deputy
 * to confuse. Service-linked roles are AWS's own and not reported.
 */
export const TRUST_SOURCE_CONDITION_SERVICES: Readonly<Record<string, string>> = {
  'cloudtrail.amazonaws.com':
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html',
  'config.amazonaws.com': 'https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html',
  'vpc-flow-logs.amazonaws.com': 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html',
};

export const meta: CheckMetadata = {
  id: 'service-trust-confused-deputy',
  title: 'AWS service granted access without aws:SourceAccount or aws:SourceArn',
  severity: 'medium',
  description:
    "A resource policy that lets an AWS service principal act on the resource with no `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` condition tying the request to your own resources, or a role trusted by a service that acts for other accounts' resources (CloudTrail, AWS Config, VPC Flow Logs) without such a condition. Decided by evaluating the policy for the service acting with no source, or for another account's resource. Service-linked roles and roles for compute services, which only the role's own account can pass, are not reported.",
  risk: 'The confused-deputy problem: another AWS customer can point the service at your resource (their S3 bucket notifying your function, their trail writing through your role) and the service, which you trusted, does it.',
  remediation:
    'Add `"Condition": {"StringEquals": {"aws:SourceAccount": "ACCOUNT_ID"}, "ArnLike": {"aws:SourceArn": "arn:aws:SERVICE:REGION:ACCOUNT_ID:RESOURCE"}}` to the statement that names the service, then re-apply the policy (`aws lambda add-permission --source-account … --source-arn …` for Lambda; `aws iam update-assume-role-policy` for roles).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
    ...Object.values(TRUST_SOURCE_CONDITION_SERVICES),
  ],
  compliance: {
    soc2: ['CC6.1'],
    iso27001: ['A.5.15'],
    'pci-dss': ['7.2.1'],
  },
  resourceType: 'AWS::Resource',
  tags: ['exposure', 'confused-deputy'],
};

export const serviceTrustConfusedDeputy: Check = {
  meta,
  run({ snapshot, config }) {
    const out: CheckOutcome[] = [];
    for (const target of externalAccess(snapshot, zoneOptionsFromConfig(config)).targets) {
      if (target.kind === 'trust' && target.role && isServiceLinked(target.role)) continue;
      const open = target.effective.filter(
        (g) =>
          g.principalClass === 'service' &&
          g.withoutSourceCondition &&
          (target.kind === 'resource' ||
            TRUST_SOURCE_CONDITION_SERVICES[g.principal.toLowerCase()] !== undefined),
      );
      for (const service of [...new Set(open.map((g) => g.principal))].sort()) {
        const grants = open.filter((g) => g.principal === service);
        const sure = grants.filter((g) => !g.uncertain);
        const what =
          target.kind === 'trust'
            ? `assume ${target.arn}`
            : `${grants.flatMap((g) => g.actions).join(', ')} on ${target.arn}`;
        out.push({
          account: target.accountId,
          resourceArn: target.arn,
          resourceType: target.kind === 'trust' ? 'AWS::IAM::Role' : resourceTypeOf(target.service),
          ...(target.kind === 'trust' ? { principal: target.arn } : {}),
          status: sure.length > 0 ? 'fail' : 'unknown',
          message: `${service} can ${what} for any account's resources: no aws:SourceAccount / aws:SourceArn condition`,
          evidence: grantEvidence(target, sure.length > 0 ? sure : grants),
          discriminator: service,
        });
      }
    }
    return out;
  },
};
