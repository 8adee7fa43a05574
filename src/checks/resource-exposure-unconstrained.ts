import type { CheckMetadata } from '../model/finding.js';
import { categoryCheck, SENSITIVE_ACTIONS_REFERENCE } from './data-exfiltration-unconstrained.js';
import type { Check } from './types.js';

const meta: CheckMetadata = {
  id: 'resource-exposure-unconstrained',
  title: 'Resource-policy changes without resource constraints',
  severity: 'high',
  description:
    'Users and roles whose customer-managed or inline policies allow changing who can access resources on `Resource: "*"` (s3:PutBucketPolicy, kms:PutKeyPolicy, kms:CreateGrant, lambda:AddPermission, sqs:SetQueueAttributes, iam:UpdateAssumeRolePolicy, …: the ResourceExposure category of the sensitive-IAM-actions list), after boundary and SCPs.',
  risk: 'The principal can make any bucket, key, queue, function or role reachable from outside the account (or by anyone), one API call away from a data leak.',
  remediation:
    'Restrict these actions to the resources the principal manages, and guard them with SCPs (deny s3:PutBucketPolicy unless by the platform role). Review resource policies with `leastpriv audit` exposure checks.',
  references: [
    SENSITIVE_ACTIONS_REFERENCE,
    'https://github.com/salesforce/cloudsplaining (risk categories)',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3', 'CC6.6'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['cloudsplaining', 'exposure'],
};

export const resourceExposureUnconstrained: Check = categoryCheck(
  meta,
  'resource-exposure',
  'change resource access policies',
);
