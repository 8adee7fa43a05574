import type { CheckMetadata } from '../model/finding.js';
import { categoryCheck, SENSITIVE_ACTIONS_REFERENCE } from './data-exfiltration-unconstrained.js';
import type { Check } from './types.js';

const meta: CheckMetadata = {
  id: 'credentials-exposure-unconstrained',
  title: 'Credential-minting actions without resource constraints',
  severity: 'high',
  description:
    'Users and roles whose customer-managed or inline policies allow creating or revealing credentials on `Resource: "*"` (iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile, ec2:GetPasswordData, redshift:GetClusterCredentials, …: the CredentialExposure category of the sensitive-IAM-actions list), after boundary and SCPs. Actions that only work on `*` (ecr:GetAuthorizationToken) are not counted.',
  risk: 'Minting keys or passwords for any user is acting as that user: the principal is as powerful as the most privileged identity it can create credentials for.',
  remediation:
    'Limit credential actions to the caller itself (Resource `arn:aws:iam::ACCOUNT:user/` plus the `aws:username` policy variable) or to a path of service users, and alert on CreateAccessKey/CreateLoginProfile for other users in CloudTrail.',
  references: [
    SENSITIVE_ACTIONS_REFERENCE,
    'https://github.com/salesforce/cloudsplaining (risk categories)',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.2', 'CC6.3'],
    iso27001: ['A.5.15', 'A.5.17', 'A.8.2'],
    'pci-dss': ['7.2.1', '8.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(d)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['cloudsplaining', 'credentials'],
};

export const credentialsExposureUnconstrained: Check = categoryCheck(
  meta,
  'credentials-exposure',
  'create or reveal credentials',
);
