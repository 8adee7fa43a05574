import {
  externalAccess,
  grantEvidence,
  grantMessage,
  isPublicGrant,
  zoneOptionsFromConfig,
} from '../analysis/exposure/index.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'resource-public',
  title: 'Resource policy grants access to anyone',
  severity: 'critical',
  description:
    'An S3 bucket, SQS queue, SNS topic, KMS key, Lambda function, ECR repository or Secrets Manager secret whose resource policy lets anyone (any AWS account, or unauthenticated callers) act on it, as decided by evaluating the policy for an outside caller with no organization, VPC endpoint or source conditions in its favour. Grants that only hold from an IP range are reported too, with the range. For S3 buckets, Block Public Access `RestrictPublicBuckets` removes public and cross-account access granted by a public policy, so such buckets pass.',
  risk: 'Anyone on the internet can read, change or delete the data, publish or consume messages, invoke the function or use the key; public exposure is the most common cause of cloud data breaches.',
  remediation:
    'Remove the statement with `"Principal": "*"` (or `{"AWS": "*"}`) or restrict it with `aws:PrincipalOrgID`, `aws:SourceVpce` or named principals, then re-apply the policy (`aws s3api put-bucket-policy`, `aws sqs set-queue-attributes --attributes Policy=…`, `aws sns set-topic-attributes --attribute-name Policy`, `aws kms put-key-policy`, `aws lambda remove-permission`, `aws ecr set-repository-policy`, `aws secretsmanager put-resource-policy`). For S3, also turn on Block Public Access: `aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.6'],
    iso27001: ['A.5.15'],
    'pci-dss': ['7.2.1', '1.4.1'],
    hipaa: ['164.312(a)(1)'],
  },
  resourceType: 'AWS::Resource',
  tags: ['exposure', 'public'],
};

const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  s3: 'AWS::S3::Bucket',
  sqs: 'AWS::SQS::Queue',
  sns: 'AWS::SNS::Topic',
  kms: 'AWS::KMS::Key',
  lambda: 'AWS::Lambda::Function',
  ecr: 'AWS::ECR::Repository',
  secretsmanager: 'AWS::SecretsManager::Secret',
};

export function resourceTypeOf(service: string): string {
  return RESOURCE_TYPES[service] ?? 'AWS::Resource';
}

export const resourcePublic: Check = {
  meta,
  run({ snapshot, config }) {
    const out: CheckOutcome[] = [];
    for (const target of externalAccess(snapshot, zoneOptionsFromConfig(config)).targets) {
      if (target.kind !== 'resource') continue;
      const anyone = target.effective.filter(
        (g) =>
          (g.principalClass === 'anyone' || g.principalClass === 'any-account') &&
          g.narrowedBy.every((n) => n.key === 'aws:SourceIp'),
      );
      const sure = anyone.filter((g) => !g.uncertain);
      const base = {
        account: target.accountId,
        resourceArn: target.arn,
        resourceType: resourceTypeOf(target.service),
      };
      if (sure.length > 0) {
        const open = sure.some(isPublicGrant);
        out.push({
          ...base,
          status: 'fail',
          message: `${open ? 'Public' : 'Public from an IP range'}: ${grantMessage(target, sure)}`,
          evidence: grantEvidence(target, sure),
        });
      } else if (anyone.length > 0 || (target.resource?.policy && !target.resource.policy.readable)) {
        out.push({
          ...base,
          status: 'unknown',
          message: `The resource policy of ${target.arn} could not be fully evaluated; it may grant access to anyone`,
          evidence: grantEvidence(target, anyone),
        });
      }
    }
    return out;
  },
};
