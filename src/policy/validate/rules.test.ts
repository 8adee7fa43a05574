import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_SEVERITIES } from '../../model/issue.js';
import type { PolicyType } from '../../model/policy.js';
import { lintRules, RULES, validatePolicy } from './index.js';

/**
 * One table for every rule: each rule has at least one case that must report it (fail) and one
 * that must not (pass). meta.test.ts checks the coverage. The AWS page behind each rule is in the
 * rule's `docs` field; the pages for the semantic points are cited beside the cases.
 */
interface RuleCase {
  readonly code: string;
  readonly name: string;
  readonly expect: 'fail' | 'pass';
  readonly type?: PolicyType;
  readonly policy: object;
}

const V = '2012-10-17';
const stmt = (s: object) => ({ Version: V, Statement: [s] });
const allow = (extra: object) => stmt({ Effect: 'Allow', ...extra });

const CASES: readonly RuleCase[] = [
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html (variables need 2012-10-17)
  {
    code: 'variables-without-version',
    name: 'variable with no Version',
    expect: 'fail',
    policy: {
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }],
    },
  },
  {
    code: 'variables-without-version',
    name: 'variable in a 2008 condition',
    expect: 'fail',
    policy: {
      Version: '2008-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::b',
          Condition: { StringLike: { 's3:prefix': '${aws:username}/*' } },
        },
      ],
    },
  },
  {
    code: 'variables-without-version',
    name: 'variable under 2012-10-17',
    expect: 'pass',
    policy: allow({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }),
  },

  {
    code: 'unknown-service',
    name: 'misspelt service',
    expect: 'fail',
    policy: allow({ Action: 's4:GetObject', Resource: '*' }),
  },
  {
    code: 'unknown-service',
    name: 'known service',
    expect: 'pass',
    policy: allow({ Action: 's3:GetObject', Resource: '*' }),
  },

  // Access Analyzer "Invalid action: ... Did you mean": https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
  {
    code: 'unknown-action',
    name: 'typo in action',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObjct', Resource: '*' }),
  },
  {
    code: 'unknown-action',
    name: 'NotAction typo',
    expect: 'fail',
    policy: stmt({ Effect: 'Deny', NotAction: 'iam:ListUserz', Resource: '*' }),
  },
  {
    code: 'unknown-action',
    name: 'case-insensitive real action',
    expect: 'pass',
    policy: allow({ Action: 's3:getobject', Resource: '*' }),
  },

  {
    code: 'action-pattern-matches-nothing',
    name: 'pattern with no match',
    expect: 'fail',
    policy: allow({ Action: 's3:Lst*', Resource: '*' }),
  },
  {
    code: 'action-pattern-matches-nothing',
    name: 'pattern with matches',
    expect: 'pass',
    policy: allow({ Action: 's3:List*', Resource: '*' }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
  {
    code: 'unknown-condition-key',
    name: 'unknown global key',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceIpp': 'x' } },
    }),
  },
  {
    code: 'unknown-condition-key',
    name: 'unknown service key',
    expect: 'fail',
    policy: allow({ Action: 's3:ListBucket', Resource: '*', Condition: { StringEquals: { 's3:x': 'y' } } }),
  },
  {
    code: 'unknown-condition-key',
    name: 'key without prefix',
    expect: 'fail',
    policy: allow({ Action: 's3:ListBucket', Resource: '*', Condition: { StringEquals: { bad: 'y' } } }),
  },
  {
    code: 'unknown-condition-key',
    name: 'known keys and an OIDC provider key',
    expect: 'pass',
    type: 'trust',
    policy: stmt({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'aws:PrincipalTag/team': 'a',
        },
      },
    }),
  },

  // Keys per action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
  {
    code: 'condition-key-not-supported-by-actions',
    name: 's3 object key on ListBucket',
    expect: 'fail',
    policy: allow({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::b',
      Condition: { StringEquals: { 's3:x-amz-storage-class': 'STANDARD' } },
    }),
  },
  {
    code: 'condition-key-not-supported-by-actions',
    name: 'iam key on ec2/s3 actions',
    expect: 'fail',
    policy: allow({
      Action: ['ec2:*', 's3:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:ResourceTag/status': 'prod' } },
    }),
  },
  {
    code: 'condition-key-not-supported-by-actions',
    name: 's3:prefix on ListBucket',
    expect: 'pass',
    policy: allow({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::b',
      Condition: { StringLike: { 's3:prefix': 'home/*' } },
    }),
  },
  {
    code: 'condition-key-not-supported-by-actions',
    name: 'resource-type key (ec2:InstanceProfile on TerminateInstances)',
    expect: 'pass',
    policy: allow({
      Action: 'ec2:TerminateInstances',
      Resource: '*',
      Condition: { ArnEquals: { 'ec2:InstanceProfile': 'arn:aws:iam::123456789012:instance-profile/p' } },
    }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  {
    code: 'unknown-condition-operator',
    name: 'misspelt operator',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEqual: { 'aws:SourceVpc': 'vpc-1' } },
    }),
  },
  {
    code: 'unknown-condition-operator',
    name: 'qualified, IfExists operator',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'a*' } },
    }),
  },

  {
    code: 'condition-operator-type-mismatch',
    name: 'NumericEquals on a String key',
    expect: 'fail',
    policy: allow({
      Action: 's3:ListBucket',
      Resource: '*',
      Condition: { NumericEquals: { 's3:prefix': '5' } },
    }),
  },
  {
    code: 'condition-operator-type-mismatch',
    name: 'StringEquals on a Date key',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:CurrentTime': '2020-01-01' } },
    }),
  },
  {
    code: 'condition-operator-type-mismatch',
    name: 'IpAddress on a String key',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceVpc': '10.0.0.0/8' } },
    }),
  },
  {
    code: 'condition-operator-type-mismatch',
    name: 'Bool on a String key',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:SourceVpc': 'true' } },
    }),
  },
  {
    code: 'condition-operator-type-mismatch',
    name: 'matching families and Null',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: {
        DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
        Bool: { 'aws:SecureTransport': 'true' },
        Null: { 'aws:SourceVpc': 'false' },
        IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
      },
    }),
  },

  {
    code: 'string-operator-on-arn-key',
    name: 'StringEquals on an ARN key',
    expect: 'fail',
    policy: allow({
      Action: 'ec2:TerminateInstances',
      Resource: '*',
      Condition: { StringEquals: { 'ec2:InstanceProfile': 'arn:aws:iam::123456789012:instance-profile/p' } },
    }),
  },
  {
    code: 'string-operator-on-arn-key',
    name: 'ArnEquals on an ARN key',
    expect: 'pass',
    policy: allow({
      Action: 'ec2:TerminateInstances',
      Resource: '*',
      Condition: { ArnEquals: { 'ec2:InstanceProfile': 'arn:aws:iam::123456789012:instance-profile/p' } },
    }),
  },

  {
    code: 'condition-value-invalid-for-operator',
    name: 'non-numeric value',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 'soon' } },
    }),
  },
  {
    code: 'condition-value-invalid-for-operator',
    name: 'bad date',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': 'bad' } },
    }),
  },
  {
    code: 'condition-value-invalid-for-operator',
    name: 'bad CIDR',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } },
    }),
  },
  {
    code: 'condition-value-invalid-for-operator',
    name: 'Bool that is not a boolean',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'yes' } },
    }),
  },
  {
    code: 'condition-value-invalid-for-operator',
    name: 'well-formed values (JSON true, epoch, IPv6)',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: {
        Bool: { 'aws:SecureTransport': true },
        DateLessThan: { 'aws:EpochTime': '1700000000' },
        IpAddress: { 'aws:SourceIp': ['2001:db8::/32', '203.0.113.7'] },
        NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
      },
    }),
  },

  {
    code: 'null-with-if-exists',
    name: 'NullIfExists',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { NullIfExists: { 'aws:SourceVpc': 'true' } },
    }),
  },
  {
    code: 'null-with-if-exists',
    name: 'Null',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Null: { 'aws:SourceVpc': 'true' } },
    }),
  },

  {
    code: 'null-with-set-operator',
    name: 'ForAllValues:Null',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { 'ForAllValues:Null': { 'aws:TagKeys': 'true' } },
    }),
  },
  {
    code: 'null-with-set-operator',
    name: 'plain Null',
    expect: 'pass',
    policy: allow({ Action: 's3:GetObject', Resource: '*', Condition: { Null: { 'aws:TagKeys': 'true' } } }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  {
    code: 'for-all-values-single-valued-key',
    name: 'ForAllValues on aws:SourceVpc',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpc': 'vpc-1' } },
    }),
  },
  {
    code: 'for-all-values-single-valued-key',
    name: 'ForAllValues on aws:TagKeys',
    expect: 'pass',
    policy: allow({
      Action: 's3:PutObjectTagging',
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
    }),
  },
  {
    code: 'for-any-value-single-valued-key',
    name: 'ForAnyValue on aws:SourceVpc',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:SourceVpc': 'vpc-1' } },
    }),
  },
  {
    code: 'for-any-value-single-valued-key',
    name: 'ForAnyValue on aws:TagKeys',
    expect: 'pass',
    policy: allow({
      Action: 's3:PutObjectTagging',
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } },
    }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
  {
    code: 'mfa-condition-bypassable',
    name: 'Deny with Bool false (access keys not denied)',
    expect: 'fail',
    policy: stmt({
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    }),
  },
  {
    code: 'mfa-condition-bypassable',
    name: 'Allow with Bool false',
    expect: 'fail',
    policy: allow({
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    }),
  },
  {
    code: 'mfa-condition-bypassable',
    name: 'Allow with BoolIfExists true',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } },
    }),
  },
  {
    code: 'mfa-condition-bypassable',
    name: 'Deny with BoolIfExists false',
    expect: 'pass',
    policy: stmt({
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    }),
  },
  {
    code: 'mfa-condition-bypassable',
    name: 'Allow with Bool true',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    }),
  },

  {
    code: 'overly-broad-ip-range',
    name: '0.0.0.0/0 in an Allow',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
    }),
  },
  {
    code: 'overly-broad-ip-range',
    name: 'a /8',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '11.0.0.0/8'] } },
    }),
  },
  {
    code: 'overly-broad-ip-range',
    name: 'a /24, and /0 in a Deny',
    expect: 'pass',
    policy: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
        },
      ],
    },
  },

  {
    code: 'equality-operator-with-wildcard',
    name: 'StringEquals with *',
    expect: 'fail',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/job': 'admin-*' } },
    }),
  },
  {
    code: 'equality-operator-with-wildcard',
    name: 'StringLike with *, StringEquals with ${*}',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: {
        StringLike: { 'aws:PrincipalTag/job': 'admin-*' },
        StringEquals: { 'aws:PrincipalTag/x': 'a${*}' },
      },
    }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  {
    code: 'allow-with-not-principal',
    name: 'Allow + NotPrincipal',
    expect: 'fail',
    type: 'resource',
    policy: stmt({
      Effect: 'Allow',
      NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    }),
  },
  {
    code: 'allow-with-not-principal',
    name: 'Deny + NotPrincipal',
    expect: 'pass',
    type: 'resource',
    policy: stmt({
      Effect: 'Deny',
      NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    }),
  },
  {
    code: 'allow-with-not-action',
    name: 'Allow + NotAction',
    expect: 'fail',
    policy: allow({ NotAction: 'iam:*', Resource: '*' }),
  },
  {
    code: 'allow-with-not-action',
    name: 'Deny + NotAction',
    expect: 'pass',
    policy: stmt({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }),
  },
  {
    code: 'allow-with-not-resource',
    name: 'Allow + NotResource',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }),
  },
  {
    code: 'allow-with-not-resource',
    name: 'Deny + NotResource',
    expect: 'pass',
    policy: stmt({ Effect: 'Deny', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::ok/*' }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
  {
    code: 'pass-role-wildcard-resource',
    name: 'iam:PassRole on *',
    expect: 'fail',
    policy: allow({ Action: 'iam:PassRole', Resource: '*' }),
  },
  {
    code: 'pass-role-wildcard-resource',
    name: 'iam:Pass* on every role ARN',
    expect: 'fail',
    policy: allow({ Action: 'iam:Pass*', Resource: 'arn:aws:iam::123456789012:role/*' }),
  },
  {
    code: 'pass-role-wildcard-resource',
    name: '* on *',
    expect: 'fail',
    policy: allow({ Action: '*', Resource: '*' }),
  },
  {
    code: 'pass-role-wildcard-resource',
    name: 'NotAction not excluding PassRole',
    expect: 'fail',
    policy: allow({ NotAction: 's3:*', Resource: '*' }),
  },
  {
    code: 'pass-role-wildcard-resource',
    name: 'named role',
    expect: 'pass',
    policy: allow({ Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/app' }),
  },
  {
    code: 'pass-role-wildcard-resource',
    name: 'with iam:PassedToService',
    expect: 'pass',
    policy: allow({
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    }),
  },
  {
    code: 'pass-role-wildcard-resource',
    name: 'iam:Get* on *',
    expect: 'pass',
    policy: allow({ Action: 'iam:Get*', Resource: '*' }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
  {
    code: 'public-principal-without-condition',
    name: 'Principal * with no condition',
    expect: 'fail',
    type: 'resource',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
  },
  {
    code: 'public-principal-without-condition',
    name: 'AWS * with no condition',
    expect: 'fail',
    type: 'resource',
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    }),
  },
  {
    code: 'public-principal-without-condition',
    name: 'Principal * with aws:PrincipalOrgID',
    expect: 'pass',
    type: 'resource',
    policy: stmt({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
    }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy
  {
    code: 'trust-policy-unsupported-action',
    name: 's3 action in a trust policy',
    expect: 'fail',
    type: 'trust',
    policy: stmt({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: ['sts:AssumeRole', 's3:GetObject'],
    }),
  },
  {
    code: 'trust-policy-unsupported-action',
    name: 'AssumeRole and TagSession',
    expect: 'pass',
    type: 'trust',
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    }),
  },

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
  {
    code: 'invalid-arn',
    name: 'not an ARN',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', Resource: 'my-bucket/*' }),
  },
  {
    code: 'invalid-arn',
    name: 'too few fields',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', Resource: 'arn:aws:s3:bucket' }),
  },
  {
    code: 'invalid-arn',
    name: 'bad partition',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', Resource: 'arn:amazon:s3:::b/*' }),
  },
  {
    code: 'invalid-arn',
    name: 'upper-case service',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', Resource: 'arn:aws:S3:::b/*' }),
  },
  {
    code: 'invalid-arn',
    name: 'valid ARNs and wildcards',
    expect: 'pass',
    policy: allow({
      Action: 's3:GetObject',
      Resource: ['*', 'arn:aws:s3:::b/*', 'arn:*:s3:::c/*', 'arn:aws:iam::*', 'arn:aws-cn:s3:::d'],
    }),
  },

  {
    code: 'resource-matches-no-action',
    name: 'IAM role ARN with s3:ListBucket',
    expect: 'fail',
    policy: allow({ Action: 's3:ListBucket', Resource: 'arn:aws:iam::123456789012:role/r' }),
  },
  {
    code: 'resource-matches-no-action',
    name: 'dynamodb ARN with s3 actions',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/t' }),
  },
  {
    code: 'resource-matches-no-action',
    name: 'bucket and objects with their actions',
    expect: 'pass',
    policy: allow({
      Action: ['s3:ListBucket', 's3:GetObject'],
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
    }),
  },
  {
    code: 'resource-matches-no-action',
    name: 'wildcards and variables in the ARN',
    expect: 'pass',
    policy: allow({
      Action: ['lambda:AddLayerVersionPermission', 'iam:CreateVirtualMFADevice'],
      Resource: ['arn:aws:lambda:*:123456789012:layer:sol-*:*', 'arn:aws:iam::*:mfa/${aws:username}'],
    }),
  },

  {
    code: 'wildcard-only-action-with-resource',
    name: 's3:ListAllMyBuckets with a bucket ARN',
    expect: 'fail',
    policy: allow({ Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::b' }),
  },
  {
    code: 'wildcard-only-action-with-resource',
    name: 's3:ListAllMyBuckets with *',
    expect: 'pass',
    policy: allow({ Action: 's3:ListAllMyBuckets', Resource: '*' }),
  },

  // Access Analyzer "Redundant action": https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
  {
    code: 'redundant-action',
    name: 'covered by a wildcard',
    expect: 'fail',
    policy: allow({ Action: ['iam:Get*', 'iam:List*', 'iam:GetCredentialReport'], Resource: '*' }),
  },
  {
    code: 'redundant-action',
    name: 'duplicate',
    expect: 'fail',
    policy: allow({ Action: ['s3:GetObject', 's3:getobject'], Resource: '*' }),
  },
  {
    code: 'redundant-action',
    name: 'partly overlapping patterns',
    expect: 'pass',
    policy: allow({ Action: ['iam:Get*', 'iam:*CredentialReport'], Resource: '*' }),
  },
  {
    code: 'redundant-resource',
    name: 'ARN covered by a wildcard',
    expect: 'fail',
    policy: allow({
      Action: 'iam:GetRole',
      Resource: ['arn:aws:iam::111122223333:role/jane-admin', 'arn:aws:iam::111122223333:role/jane*'],
    }),
  },
  {
    code: 'redundant-resource',
    name: 'duplicate',
    expect: 'fail',
    policy: allow({ Action: 's3:GetObject', Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/*'] }),
  },
  {
    code: 'redundant-resource',
    name: 'distinct resources',
    expect: 'pass',
    policy: allow({ Action: 's3:GetObject', Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/*'] }),
  },
  {
    code: 'redundant-statement',
    name: 'same statement twice with other Sids',
    expect: 'fail',
    policy: {
      Version: V,
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
        { Sid: 'B', Effect: 'Allow', Action: ['s3:putobject', 's3:GetObject'], Resource: '*' },
      ],
    },
  },
  {
    code: 'redundant-statement',
    name: 'different resources',
    expect: 'pass',
    policy: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      ],
    },
  },
];

function codesFor(c: RuleCase): string[] {
  const result = validatePolicy(
    JSON.stringify(c.policy, null, 2),
    c.type === undefined ? {} : { type: c.type },
  );
  return result.issues.map((i) => i.code);
}

describe('lint rules', () => {
  it.each(CASES.map((c) => [`${c.code}: ${c.expect} — ${c.name}`, c] as const))('%s', (_label, c) => {
    const codes = codesFor(c);
    if (c.expect === 'fail') expect(codes).toContain(c.code);
    else expect(codes).not.toContain(c.code);
  });

  it('points issues at the offending value', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": ["s3:GetObject", "s3:GetObjct"],\n    "Resource": "*"\n  }]\n}';
    const issue = validatePolicy(text, { type: 'identity' }).issues.find((i) => i.code === 'unknown-action');
    expect(issue).toMatchObject({ path: 'Statement[0].Action[1]', line: 5, column: 32 });
    expect(issue?.message).toContain('s3:GetObject');
  });

  it('runs type-specific rules only for their types', () => {
    const trust = stmt({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 's3:GetObject',
    });
    expect(codesFor({ code: '', name: '', expect: 'fail', type: 'trust', policy: trust })).toContain(
      'trust-policy-unsupported-action',
    );
    expect(codesFor({ code: '', name: '', expect: 'fail', policy: trust })).not.toContain(
      'trust-policy-unsupported-action',
    );
  });

  it('returns parser issues and no policy for text that is not JSON', () => {
    const result = validatePolicy('not json');
    expect(result.policy).toBeUndefined();
    expect(result.issues.map((i) => i.code)).toEqual(['invalid-json']);
  });
});

const rulesDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'rules');
const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3))
  .sort();

describe('rule registry', () => {
  it('lists every rule file exactly once, and each code equals its file name', () => {
    expect(RULES.map((r) => r.code).sort()).toEqual(ruleFiles);
  });

  it.each(RULES.map((r) => [r.code, r] as const))('%s has complete metadata', (_code, rule) => {
    expect(rule.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(ISSUE_SEVERITIES).toContain(rule.severity);
    expect(rule.title.length).toBeGreaterThan(5);
    expect(rule.description.length).toBeGreaterThan(40);
    expect(rule.fix.length).toBeGreaterThan(5);
    expect(rule.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    if (rule.accessAnalyzerCode !== undefined) expect(rule.accessAnalyzerCode).toMatch(/^[A-Z_]+$/);
  });

  it.each(RULES.map((r) => [r.code] as const))('%s has pass and fail cases in the table', (code) => {
    const cases = CASES.filter((c) => c.code === code);
    expect(cases.some((c) => c.expect === 'fail')).toBe(true);
    expect(cases.some((c) => c.expect === 'pass')).toBe(true);
  });

  it('exports metadata without the check function for SARIF', () => {
    expect(lintRules).toHaveLength(RULES.length);
    for (const info of lintRules) expect(info).not.toHaveProperty('check');
  });
});
