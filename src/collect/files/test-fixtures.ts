import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Writes `{relative path: text or JSON value}` under a fresh temporary folder and returns its path. */
export async function makeTree(files: Readonly<Record<string, unknown>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'leastpriv-snapshot-'));
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

const here = dirname(fileURLToPath(import.meta.url));
/** `../shared/corpus` next to the repository, as the project's conventions place it. */
export const CORPUS = resolve(here, '..', '..', '..', '..', 'shared', 'corpus');

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';

/** A small authorization-details export for `ACCOUNT`. */
export function authzExport(account = ACCOUNT): Record<string, unknown> {
  const adminDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  return {
    UserDetailList: [
      {
        UserName: 'alice',
        UserId: 'AIDAALICE',
        Arn: `arn:aws:iam::${account}:user/alice`,
        Path: '/',
        CreateDate: '2020-01-02T03:04:05Z',
        GroupList: ['admins'],
        AttachedManagedPolicies: [],
        UserPolicyList: [
          {
            PolicyName: 'deny-iam',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
            },
          },
        ],
        Tags: [{ Key: 'owner', Value: 'security-team' }],
      },
      {
        UserName: 'ci-bot',
        UserId: 'AIDACIBOT',
        Arn: `arn:aws:iam::${account}:user/ci-bot`,
        Path: '/',
        CreateDate: '2021-01-02T03:04:05Z',
        GroupList: [],
        AttachedManagedPolicies: [
          { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        ],
        UserPolicyList: [],
        PermissionsBoundary: {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: `arn:aws:iam::${account}:policy/boundary`,
        },
      },
    ],
    GroupDetailList: [
      {
        GroupName: 'admins',
        GroupId: 'AGPAADMINS',
        Arn: `arn:aws:iam::${account}:group/admins`,
        Path: '/',
        CreateDate: '2020-01-01T00:00:00Z',
        GroupPolicyList: [],
        AttachedManagedPolicies: [
          { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        ],
      },
    ],
    RoleDetailList: [
      {
        RoleName: 'lambda-exec',
        RoleId: 'AROALAMBDA',
        Arn: `arn:aws:iam::${account}:role/lambda-exec`,
        Path: '/',
        CreateDate: '2020-05-05T00:00:00Z',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        InstanceProfileList: [],
        RolePolicyList: [],
        AttachedManagedPolicies: [],
        RoleLastUsed: { LastUsedDate: '2024-01-01T00:00:00Z', Region: 'eu-west-1' },
      },
      {
        RoleName: 'AWSReservedSSO_Admin_0123456789abcdef',
        RoleId: 'AROASSO',
        Arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
        Path: '/aws-reserved/sso.amazonaws.com/',
        CreateDate: '2020-05-05T00:00:00Z',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${account}:saml-provider/AWSSSO_abc_DO_NOT_DELETE` },
              Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
            },
          ],
        },
        InstanceProfileList: [],
        RolePolicyList: [],
        AttachedManagedPolicies: [
          { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        ],
      },
      {
        RoleName: 'audit-from-security',
        RoleId: 'AROAAUDIT',
        Arn: `arn:aws:iam::${account}:role/audit-from-security`,
        Path: '/',
        CreateDate: '2020-05-05T00:00:00Z',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole' },
          ],
        },
        InstanceProfileList: [],
        RolePolicyList: [],
        AttachedManagedPolicies: [],
      },
    ],
    Policies: [
      {
        PolicyName: 'AdministratorAccess',
        PolicyId: 'ANPAADMIN',
        Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        Path: '/',
        DefaultVersionId: 'v1',
        AttachmentCount: 3,
        IsAttachable: true,
        PolicyVersionList: [{ Document: adminDoc, VersionId: 'v1', IsDefaultVersion: true }],
      },
      {
        PolicyName: 'boundary',
        PolicyId: 'ANPABOUNDARY',
        Arn: `arn:aws:iam::${account}:policy/boundary`,
        Path: '/',
        DefaultVersionId: 'v2',
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 1,
        IsAttachable: true,
        PolicyVersionList: [
          {
            Document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
            },
            VersionId: 'v2',
            IsDefaultVersion: true,
          },
          { Document: adminDoc, VersionId: 'v1', IsDefaultVersion: false },
        ],
      },
    ],
  };
}

export const CREDENTIAL_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

export function credentialReport(account = ACCOUNT, bom = false): string {
  const rows = [
    CREDENTIAL_HEADER,
    `<root_account>,arn:aws:iam::${account}:root,2019-01-01T00:00:00+00:00,not_supported,2024-02-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    `alice,arn:aws:iam::${account}:user/alice,2020-01-02T03:04:05+00:00,true,no_information,2020-01-02T03:04:05+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    `ci-bot,arn:aws:iam::${account}:user/ci-bot,2021-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,TRUE,2021-01-02T03:04:05+00:00,2024-03-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,true,2021-06-01T00:00:00+00:00,false,N/A`,
  ];
  return `${bom ? '\uFEFF' : ''}${rows.join('\n')}\n`;
}
