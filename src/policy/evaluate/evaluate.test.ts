import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest, Decision } from '../../model/request.js';
import type { EvaluablePolicy } from './compile.js';
import { compilePolicySet, type EvaluationOptions, evaluate, explain, type PolicySet } from './index.js';
import {
  ACCT,
  ALLOW_ALL,
  allow,
  BUCKET,
  deny,
  FED,
  KEY,
  MGMT,
  OBJECT,
  OTHER,
  OTHER_USER,
  policy,
  ROLE,
  SESSION,
  USER,
} from './test-helpers.js';

// AWS documentation each rule comes from.
const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';
const DENY_ALLOW = `${IAM}/reference_policies_evaluation-logic_policy-eval-denyallow.html`;
const SINGLE_ACCOUNT = `${IAM}/reference_policies_evaluation-logic_policy-eval-basics.html`;
const CROSS_ACCOUNT = `${IAM}/reference_policies_evaluation-logic-cross-account.html`;
const BOUNDARIES = `${IAM}/access_policies_boundaries.html`;
const SESSION_POLICIES = `${IAM}/access_policies.html#policies_session`;
const FEDERATION_TOKEN = `${IAM}/id_credentials_temp_control-access_getfederationtoken.html`;
const PRINCIPAL = `${IAM}/reference_policies_elements_principal.html`;
const NOT_PRINCIPAL = `${IAM}/reference_policies_elements_notprincipal.html`;
const NOT_ACTION = `${IAM}/reference_policies_elements_notaction.html`;
const NOT_RESOURCE = `${IAM}/reference_policies_elements_notresource.html`;
const ACTION = `${IAM}/reference_policies_elements_action.html`;
const RESOURCE = `${IAM}/reference_policies_elements_resource.html`;
const VARIABLES = `${IAM}/reference_policies_variables.html`;
const CONDITION = `${IAM}/reference_policies_elements_condition.html`;
const CONDITION_KEYS = `${IAM}/reference_policies_condition-keys.html`;
const TRUST_UPDATE = `${IAM}/id_roles_update-role-trust-policy.html`;
const ORGS = 'https://docs.aws.amazon.com/organizations/latest/userguide';
const SCP_EVAL = `${ORGS}/orgs_manage_policies_scps_evaluation.html`;
const SCPS = `${ORGS}/orgs_manage_policies_scps.html`;
const RCP_EVAL = `${ORGS}/orgs_manage_policies_rcps_evaluation.html`;
const RCPS = `${ORGS}/orgs_manage_policies_rcps.html`;
const KMS_RCP = 'https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html';
const ENDPOINTS = 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html';
const KMS_DEFAULT = 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html';

interface Case {
  readonly name: string;
  readonly doc: string;
  readonly policies: () => PolicySet<EvaluablePolicy>;
  readonly request: AuthorizationRequest;
  readonly options?: EvaluationOptions;
  readonly decision: Decision;
  readonly code?: string;
}

const getObject = (principal: string, extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  principal,
  action: 's3:GetObject',
  resource: OBJECT,
  resourceAccount: ACCT,
  ...extra,
});

const id = (...statements: Record<string, unknown>[]) => policy('identity', 'identity', statements);
const res = (...statements: Record<string, unknown>[]) => policy('bucket-policy', 'resource', statements);
const scp = (name: string, ...statements: Record<string, unknown>[]) => policy(name, 'scp', statements);
const rcp = (name: string, ...statements: Record<string, unknown>[]) => policy(name, 'rcp', statements);
const FULL_SCP = () => scp('FullAWSAccess', ALLOW_ALL);
const FULL_RCP = () => rcp('RCPFullAWSAccess', allow('*', '*', { Principal: '*' }));
const grantTo = (principal: unknown, action = 's3:GetObject', resource = OBJECT) =>
  allow(action, resource, { Principal: principal });

const cases: Case[] = [
  // --- 1. Explicit deny in any applicable policy wins ---
  {
    name: 'an identity policy allow is enough within the account',
    doc: SINGLE_ACCOUNT,
    policies: () => ({ identity: [id(allow('s3:GetObject', `${BUCKET}/*`))] }),
    request: getObject(USER),
    decision: 'Allowed',
    code: 'allowed',
  },
  {
    name: 'nothing allows: implicit deny',
    doc: DENY_ALLOW,
    policies: () => ({ identity: [id(allow('s3:PutObject', `${BUCKET}/*`))] }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'no-allow',
  },
  {
    name: 'explicit deny in an identity policy overrides its allow',
    doc: DENY_ALLOW,
    policies: () => ({ identity: [id(ALLOW_ALL, deny('s3:*', `${BUCKET}/*`))] }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
    code: 'explicit-deny',
  },
  {
    name: 'explicit deny in a resource policy overrides an identity allow',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      resource: [res(deny('s3:GetObject', OBJECT, { Principal: '*' }))],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
    code: 'explicit-deny',
  },
  {
    name: 'explicit deny in an SCP overrides everything below it',
    doc: SCP_EVAL,
    policies: () => ({ identity: [id(ALLOW_ALL)], scp: [[FULL_SCP(), scp('DenyS3', deny('s3:*'))]] }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'explicit deny in an RCP overrides a resource policy grant',
    doc: RCP_EVAL,
    policies: () => ({
      resource: [res(grantTo({ AWS: USER }))],
      rcp: [[FULL_RCP(), rcp('DenyGet', deny('s3:GetObject', '*', { Principal: '*' }))]],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'explicit deny in a permissions boundary denies even what a resource policy grants the user',
    doc: BOUNDARIES,
    policies: () => ({
      resource: [res(grantTo({ AWS: USER }))],
      boundary: [policy('boundary', 'boundary', [ALLOW_ALL, deny('s3:GetObject')])],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'explicit deny in a session policy denies',
    doc: SESSION_POLICIES,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      session: [policy('session', 'session', [ALLOW_ALL, deny('s3:*')])],
    }),
    request: getObject(SESSION),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'explicit deny in a VPC endpoint policy denies',
    doc: ENDPOINTS,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      endpoint: [
        policy('vpce', 'endpoint', [
          allow('*', '*', { Principal: '*' }),
          deny('s3:GetObject', '*', { Principal: '*' }),
        ]),
      ],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },

  // --- 2. SCPs and RCPs: every level of the organization path must allow ---
  {
    name: 'SCP: an OU level without an allow denies even though the root and account allow',
    doc: SCP_EVAL,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      scp: [[FULL_SCP()], [scp('OnlyEc2', allow('ec2:*'))], [FULL_SCP()]],
    }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'scp-no-allow',
  },
  {
    name: 'SCP: every level allows the action',
    doc: SCP_EVAL,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      scp: [[FULL_SCP()], [scp('S3Only', allow('s3:*'))], [scp('GetOnly', allow('s3:Get*'))]],
    }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'SCP: the management account is not restricted',
    doc: SCPS,
    policies: () => ({ identity: [id(ALLOW_ALL)], scp: [[scp('DenyAll', deny('*'))]] }),
    request: getObject(`arn:aws:iam::${MGMT}:user/admin`, { resourceAccount: MGMT }),
    options: { managementAccount: MGMT },
    decision: 'Allowed',
  },
  {
    name: 'SCP: service-linked roles are not restricted',
    doc: SCPS,
    policies: () => ({ identity: [id(ALLOW_ALL)], scp: [[scp('DenyAll', deny('*'))]] }),
    request: getObject(
      `arn:aws:iam::${ACCT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
    ),
    decision: 'Allowed',
  },
  {
    name: 'SCP: no levels given means no SCPs apply',
    doc: SCP_EVAL,
    policies: () => ({ identity: [id(ALLOW_ALL)], scp: [] }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'SCP: restricts a resource-policy grant too',
    doc: DENY_ALLOW,
    policies: () => ({ resource: [res(grantTo({ AWS: USER }))], scp: [[scp('OnlyEc2', allow('ec2:*'))]] }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'scp-no-allow',
  },
  {
    name: 'RCP: an account level without an allow denies',
    doc: RCP_EVAL,
    policies: () => ({ identity: [id(ALLOW_ALL)], rcp: [[FULL_RCP()], []] }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'rcp-no-allow',
  },
  {
    name: 'RCP: resources in the management account are not restricted',
    doc: RCPS,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      rcp: [[rcp('DenyAll', deny('s3:*', '*', { Principal: '*' }))]],
    }),
    request: getObject(`arn:aws:iam::${MGMT}:user/admin`, { resourceAccount: MGMT }),
    options: { managementAccount: MGMT },
    decision: 'Allowed',
  },
  {
    name: 'RCP: services outside the RCP-supported list are not restricted',
    doc: RCPS,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      rcp: [[rcp('DenyAll', deny('*', '*', { Principal: '*' }))]],
    }),
    request: {
      principal: USER,
      action: 'ec2:RunInstances',
      resource: `arn:aws:ec2:us-east-1:${ACCT}:instance/*`,
    },
    decision: 'Allowed',
  },
  {
    // The KMS RCP examples exclude service principals with aws:PrincipalIsAWSService, so RCPs do apply to them.
    name: 'RCP: applies to service principals too',
    doc: KMS_RCP,
    policies: () => ({
      resource: [res(grantTo({ Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject'))],
      rcp: [[FULL_RCP(), rcp('DenyPut', deny('s3:PutObject', '*', { Principal: '*' }))]],
    }),
    request: {
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: OBJECT,
      resourceAccount: ACCT,
    },
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'RCP: the derived aws:PrincipalIsAWSService lets a condition exempt service principals',
    doc: KMS_RCP,
    policies: () => ({
      resource: [res(grantTo({ Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject'))],
      rcp: [
        [
          FULL_RCP(),
          rcp(
            'DenyHumans',
            deny('s3:PutObject', '*', {
              Principal: '*',
              Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
            }),
          ),
        ],
      ],
    }),
    request: {
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: OBJECT,
      resourceAccount: ACCT,
    },
    decision: 'Allowed',
  },

  // --- 3. Same account: identity OR resource policy ---
  {
    name: 'same account: a resource policy naming the user grants without any identity policy',
    doc: SINGLE_ACCOUNT,
    policies: () => ({ resource: [res(grantTo({ AWS: USER }))] }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'same account: a resource policy naming the account delegates to identity policies',
    doc: PRINCIPAL,
    policies: () => ({ resource: [res(grantTo({ AWS: `arn:aws:iam::${ACCT}:root` }))] }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'no-allow',
  },
  {
    name: 'same account: account principal plus identity allow',
    doc: PRINCIPAL,
    policies: () => ({ identity: [id(allow('s3:GetObject'))], resource: [res(grantTo({ AWS: ACCT }))] }),
    request: getObject(USER),
    decision: 'Allowed',
  },

  // --- 4. Cross-account: both sides must allow ---
  {
    name: 'cross-account: an identity allow without a resource policy allow is denied',
    doc: CROSS_ACCOUNT,
    policies: () => ({ identity: [id(ALLOW_ALL)] }),
    request: getObject(OTHER_USER),
    decision: 'ImplicitlyDenied',
    code: 'cross-account-resource-no-allow',
  },
  {
    name: 'cross-account: a resource policy naming the user without an identity allow is denied',
    doc: CROSS_ACCOUNT,
    policies: () => ({ resource: [res(grantTo({ AWS: OTHER_USER }))] }),
    request: getObject(OTHER_USER),
    decision: 'ImplicitlyDenied',
    code: 'cross-account-identity-no-allow',
  },
  {
    name: 'cross-account: identity and resource policy (naming the account) both allow',
    doc: CROSS_ACCOUNT,
    policies: () => ({ identity: [id(allow('s3:GetObject'))], resource: [res(grantTo({ AWS: OTHER }))] }),
    request: getObject(OTHER_USER),
    decision: 'Allowed',
  },
  {
    name: 'cross-account: the caller’s own SCPs still apply',
    doc: CROSS_ACCOUNT,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      resource: [res(grantTo({ AWS: OTHER }))],
      scp: [[scp('OnlyEc2', allow('ec2:*'))]],
    }),
    request: getObject(OTHER_USER),
    decision: 'ImplicitlyDenied',
    code: 'scp-no-allow',
  },

  // --- 5. Permissions boundaries and session policies ---
  {
    name: 'boundary: an identity allow outside the boundary is denied',
    doc: BOUNDARIES,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      boundary: [policy('boundary', 'boundary', [allow('ec2:*')])],
    }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'boundary-no-allow',
  },
  {
    name: 'boundary: a resource policy naming the IAM user is not limited by the boundary',
    doc: BOUNDARIES,
    policies: () => ({
      resource: [res(grantTo({ AWS: USER }))],
      boundary: [policy('boundary', 'boundary', [allow('ec2:*')])],
    }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'boundary: a resource policy naming the role ARN is limited by the boundary',
    doc: DENY_ALLOW,
    policies: () => ({
      resource: [res(grantTo({ AWS: ROLE }))],
      boundary: [policy('boundary', 'boundary', [allow('ec2:*')])],
    }),
    request: getObject(SESSION),
    decision: 'ImplicitlyDenied',
    code: 'boundary-no-allow',
  },
  {
    name: 'boundary: a resource policy naming the role session ARN is not limited by the boundary',
    doc: DENY_ALLOW,
    policies: () => ({
      resource: [res(grantTo({ AWS: SESSION }))],
      boundary: [policy('boundary', 'boundary', [allow('ec2:*')])],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'session policy: an identity allow outside the session policy is denied',
    doc: SESSION_POLICIES,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      session: [policy('session', 'session', [allow('ec2:*')])],
    }),
    request: getObject(SESSION),
    decision: 'ImplicitlyDenied',
    code: 'session-no-allow',
  },
  {
    name: 'session policy: a resource policy naming the session ARN adds to the session’s permissions',
    doc: SESSION_POLICIES,
    policies: () => ({
      resource: [res(grantTo({ AWS: SESSION }))],
      session: [policy('session', 'session', [allow('ec2:*')])],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'session policy: a resource policy naming the role ARN is limited by the session policy',
    doc: SESSION_POLICIES,
    policies: () => ({
      resource: [res(grantTo({ AWS: ROLE }))],
      session: [policy('session', 'session', [allow('ec2:*')])],
    }),
    request: getObject(SESSION),
    decision: 'ImplicitlyDenied',
    code: 'session-no-allow',
  },
  {
    name: 'federated user session: a resource policy naming the session grants despite the session policy',
    doc: FEDERATION_TOKEN,
    policies: () => ({
      resource: [res(grantTo({ AWS: FED }))],
      session: [policy('session', 'session', [allow('ec2:*')])],
    }),
    request: getObject(FED),
    decision: 'Allowed',
  },

  // --- 6. VPC endpoint policies ---
  {
    name: 'endpoint: an endpoint policy that does not allow the request denies it',
    doc: ENDPOINTS,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      endpoint: [policy('vpce', 'endpoint', [allow('s3:PutObject', '*', { Principal: '*' })])],
    }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
    code: 'endpoint-no-allow',
  },

  // --- 7. Statement matching ---
  {
    name: 'NotAction with Allow allows every action not listed',
    doc: NOT_ACTION,
    policies: () => ({ identity: [id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'NotAction with Allow does not allow the listed actions',
    doc: NOT_ACTION,
    policies: () => ({ identity: [id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }),
    request: { principal: USER, action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCT}:user/x` },
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'NotResource with Deny denies everything except the listed resources',
    doc: NOT_RESOURCE,
    policies: () => ({
      identity: [id(ALLOW_ALL, { Effect: 'Deny', Action: 's3:*', NotResource: [`${BUCKET}/public/*`] })],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'actions match case-insensitively',
    doc: ACTION,
    policies: () => ({ identity: [id(allow('S3:getobject', `${BUCKET}/*`))] }),
    request: getObject(USER, { action: 's3:GETOBJECT' }),
    decision: 'Allowed',
  },
  {
    name: 'actions unknown to the catalog still match their patterns',
    doc: ACTION,
    policies: () => ({ identity: [id(allow('s3:Frobnicate*', `${BUCKET}/*`))] }),
    request: getObject(USER, { action: 's3:FrobnicateObject' }),
    decision: 'Allowed',
  },
  {
    name: 'resources match case-sensitively',
    doc: RESOURCE,
    policies: () => ({ identity: [id(allow('s3:GetObject', `${BUCKET}/Reports/*`))] }),
    request: getObject(USER),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'policy variables are substituted under Version 2012-10-17',
    doc: VARIABLES,
    policies: () => ({ identity: [id(allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`))] }),
    request: getObject(USER, { resource: `${BUCKET}/home/alice/notes.txt` }),
    decision: 'Allowed',
  },
  {
    name: 'policy variables are literal text under Version 2008-10-17',
    doc: VARIABLES,
    policies: () => ({
      identity: [
        policy('old', 'identity', [allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`)], {
          version: '2008-10-17',
        }),
      ],
    }),
    request: getObject(USER, { resource: `${BUCKET}/home/alice/notes.txt` }),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'a variable whose key the request lacks makes that Resource value not match',
    doc: VARIABLES,
    policies: () => ({ identity: [id(allow('s3:GetObject', `${BUCKET}/team/\${aws:PrincipalTag/team}/*`))] }),
    request: getObject(USER, { resource: `${BUCKET}/team//x` }),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'a Deny whose NotResource value needs a key the request lacks does not apply',
    doc: VARIABLES,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject'),
          deny('s3:GetObject', undefined, {
            Resource: undefined,
            NotResource: `${BUCKET}/\${aws:username}/*`,
          }),
        ),
      ],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'an Allow whose NotResource value needs a key the request lacks grants nothing',
    doc: VARIABLES,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', undefined, {
            Resource: undefined,
            NotResource: `${BUCKET}/\${aws:username}/*`,
          }),
        ),
      ],
    }),
    request: getObject(SESSION),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'a NotResource value that cannot name the resource (another service) excludes nothing, filled or not',
    doc: VARIABLES,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', undefined, {
            Resource: undefined,
            NotResource: `arn:aws:iam::${ACCT}:user/\${aws:username}`,
          }),
        ),
      ],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'a NotResource value with a variable the request fills excludes only its resource',
    doc: VARIABLES,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', undefined, {
            Resource: undefined,
            NotResource: `${BUCKET}/\${aws:username}/*`,
          }),
        ),
      ],
    }),
    request: getObject(USER, { resource: `${BUCKET}/bob/x` }),
    decision: 'Allowed',
  },
  {
    name: 'a variable default applies when the key is missing',
    doc: VARIABLES,
    policies: () => ({
      identity: [id(allow('s3:GetObject', `${BUCKET}/team/\${aws:PrincipalTag/team, 'shared'}/*`))],
    }),
    request: getObject(USER, { resource: `${BUCKET}/team/shared/x` }),
    decision: 'Allowed',
  },
  {
    name: 'a role ARN in Principal matches its sessions (the session ARN has no role path)',
    doc: PRINCIPAL,
    policies: () => ({ identity: [id(allow('s3:GetObject'))], resource: [res(grantTo({ AWS: ROLE }))] }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'a role ARN in Principal does not match another role’s sessions',
    doc: PRINCIPAL,
    policies: () => ({ resource: [res(grantTo({ AWS: ROLE }))] }),
    request: getObject(`arn:aws:sts::${ACCT}:assumed-role/OtherRole/job-1`),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'Principal "*" matches anonymous callers',
    doc: PRINCIPAL,
    policies: () => ({ resource: [res(grantTo('*'))] }),
    request: getObject('anonymous'),
    decision: 'Allowed',
  },
  {
    name: 'Principal {"AWS": "*"} matches anonymous callers too',
    doc: PRINCIPAL,
    policies: () => ({ resource: [res(grantTo({ AWS: '*' }))] }),
    request: getObject('anonymous'),
    decision: 'Allowed',
  },
  {
    name: 'an account principal does not match anonymous callers',
    doc: PRINCIPAL,
    policies: () => ({ resource: [res(grantTo({ AWS: ACCT }))] }),
    request: getObject('anonymous'),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'a service principal matches the service',
    doc: PRINCIPAL,
    policies: () => ({ resource: [res(grantTo({ Service: 'logging.s3.amazonaws.com' }, 's3:PutObject'))] }),
    request: {
      principal: 'logging.s3.amazonaws.com',
      action: 's3:PutObject',
      resource: OBJECT,
      resourceAccount: ACCT,
    },
    decision: 'Allowed',
  },
  {
    name: 'NotPrincipal with Deny exempts a user listed with its account',
    doc: NOT_PRINCIPAL,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      resource: [
        res({
          Effect: 'Deny',
          NotPrincipal: { AWS: [USER, `arn:aws:iam::${ACCT}:root`] },
          Action: 's3:*',
          Resource: '*',
        }),
      ],
    }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'NotPrincipal with Deny still denies a user listed without its account',
    doc: NOT_PRINCIPAL,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      resource: [res({ Effect: 'Deny', NotPrincipal: { AWS: [USER] }, Action: 's3:*', Resource: '*' })],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'NotPrincipal with Deny exempts a role session when the role and account are listed',
    doc: NOT_PRINCIPAL,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      resource: [res({ Effect: 'Deny', NotPrincipal: { AWS: [ROLE, ACCT] }, Action: 's3:*', Resource: '*' })],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'NotPrincipal with Deny always denies a principal that has a permissions boundary',
    doc: NOT_PRINCIPAL,
    policies: () => ({
      identity: [id(ALLOW_ALL)],
      boundary: [policy('boundary', 'boundary', [ALLOW_ALL])],
      resource: [res({ Effect: 'Deny', NotPrincipal: { AWS: [USER, ACCT] }, Action: 's3:*', Resource: '*' })],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'conditions: every clause must match (AND)',
    doc: CONDITION,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', '*', {
            Condition: {
              Bool: { 'aws:SecureTransport': 'true' },
              StringEquals: { 'aws:RequestedRegion': 'us-east-1' },
            },
          }),
        ),
      ],
    }),
    request: getObject(USER, {
      context: { 'aws:SecureTransport': true, 'aws:RequestedRegion': 'eu-west-1' },
    }),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'conditions: all clauses match',
    doc: CONDITION,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', '*', {
            Condition: {
              Bool: { 'aws:SecureTransport': 'true' },
              StringEquals: { 'aws:RequestedRegion': 'us-east-1' },
            },
          }),
        ),
      ],
    }),
    request: getObject(USER, {
      context: { 'aws:SecureTransport': true, 'aws:RequestedRegion': 'us-east-1' },
    }),
    decision: 'Allowed',
  },

  // --- 8. Unknowns: only when they could change the outcome ---
  {
    name: 'an undecidable condition on the only Allow makes the decision Unknown',
    doc: CONDITION,
    policies: () => ({
      identity: [id(allow('s3:GetObject', '*', { Condition: { StringFancy: { 'aws:username': 'alice' } } }))],
    }),
    request: getObject(USER),
    decision: 'Unknown',
    code: 'unknown',
  },
  {
    name: 'an undecidable Allow does not matter when an explicit Deny matched',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', '*', { Condition: { StringFancy: { 'aws:username': 'alice' } } }),
          deny('s3:*'),
        ),
      ],
    }),
    request: getObject(USER),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'an undecidable Allow does not matter when another Allow matched',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', '*', { Condition: { StringFancy: { 'aws:username': 'alice' } } }),
          allow('s3:*'),
        ),
      ],
    }),
    request: getObject(USER),
    decision: 'Allowed',
  },
  {
    name: 'an undecidable Deny makes an otherwise allowed request Unknown',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [
        id(ALLOW_ALL, deny('s3:*', '*', { Condition: { StringFancy: { 'aws:username': 'alice' } } })),
      ],
    }),
    request: getObject(USER),
    decision: 'Unknown',
  },
  {
    name: 'a policy with parse errors makes the decision Unknown',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [
        id(allow('s3:GetObject')),
        policy('broken', 'identity', [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }], {
          allowErrors: true,
        }),
      ],
    }),
    request: getObject(USER),
    decision: 'Unknown',
  },

  // --- Trust policies and KMS key policies: the resource side must allow ---
  {
    name: 'trust policy: same account, naming the user lets it assume the role without an identity policy',
    doc: TRUST_UPDATE,
    policies: () => ({
      trust: [
        policy('trust', 'trust', [{ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }]),
      ],
    }),
    request: { principal: USER, action: 'sts:AssumeRole', resource: ROLE },
    decision: 'Allowed',
  },
  {
    name: 'trust policy: a user named in the trust policy still needs its boundary to allow sts:AssumeRole',
    doc: TRUST_UPDATE,
    policies: () => ({
      trust: [
        policy('trust', 'trust', [{ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }]),
      ],
      boundary: [policy('boundary', 'boundary', [allow('s3:*')])],
    }),
    request: { principal: USER, action: 'sts:AssumeRole', resource: ROLE },
    decision: 'ImplicitlyDenied',
    code: 'boundary-no-allow',
  },
  {
    name: 'trust policy: an identity allow is not enough when the trust policy does not allow',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [id(allow('sts:AssumeRole'))],
      trust: [
        policy('trust', 'trust', [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]),
      ],
    }),
    request: { principal: USER, action: 'sts:AssumeRole', resource: ROLE },
    decision: 'ImplicitlyDenied',
    code: 'trust-policy-no-allow',
  },
  {
    name: 'trust policy: given as the role’s resource policy it is still a trust policy',
    doc: DENY_ALLOW,
    policies: () => ({
      identity: [id(allow('sts:AssumeRole'))],
      resource: [
        policy('trust', 'trust', [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]),
      ],
    }),
    request: { principal: USER, action: 'sts:AssumeRole', resource: ROLE },
    decision: 'ImplicitlyDenied',
    code: 'trust-policy-no-allow',
  },
  {
    name: 'trust policy: cross-account, trust names the account and the identity policy allows',
    doc: CROSS_ACCOUNT,
    policies: () => ({
      identity: [id(allow('sts:AssumeRole', ROLE))],
      trust: [
        policy('trust', 'trust', [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'sts:AssumeRole' }]),
      ],
    }),
    request: { principal: OTHER_USER, action: 'sts:AssumeRole', resource: ROLE },
    decision: 'Allowed',
  },
  {
    name: 'trust policy: cross-account without an identity allow is denied',
    doc: CROSS_ACCOUNT,
    policies: () => ({
      trust: [
        policy('trust', 'trust', [
          { Effect: 'Allow', Principal: { AWS: OTHER_USER }, Action: 'sts:AssumeRole' },
        ]),
      ],
    }),
    request: { principal: OTHER_USER, action: 'sts:AssumeRole', resource: ROLE },
    decision: 'ImplicitlyDenied',
    code: 'cross-account-identity-no-allow',
  },
  {
    name: 'KMS: an identity allow is not enough when the key policy neither allows nor delegates',
    doc: KMS_DEFAULT,
    policies: () => ({
      identity: [id(allow('kms:Decrypt'))],
      resource: [
        policy('key-policy', 'resource', [
          grantTo({ AWS: `arn:aws:iam::${ACCT}:user/keyadmin` }, 'kms:*', '*'),
        ]),
      ],
    }),
    request: { principal: USER, action: 'kms:Decrypt', resource: KEY },
    decision: 'ImplicitlyDenied',
    code: 'kms-key-policy-no-allow',
  },
  {
    name: 'KMS: a key policy delegating to the account enables the identity policy',
    doc: KMS_DEFAULT,
    policies: () => ({
      identity: [id(allow('kms:Decrypt'))],
      resource: [
        policy('key-policy', 'resource', [grantTo({ AWS: `arn:aws:iam::${ACCT}:root` }, 'kms:*', '*')]),
      ],
    }),
    request: { principal: USER, action: 'kms:Decrypt', resource: KEY },
    decision: 'Allowed',
  },
  {
    name: 'KMS: a delegating key policy without an identity allow is denied',
    doc: KMS_DEFAULT,
    policies: () => ({
      resource: [
        policy('key-policy', 'resource', [grantTo({ AWS: `arn:aws:iam::${ACCT}:root` }, 'kms:*', '*')]),
      ],
    }),
    request: { principal: USER, action: 'kms:Decrypt', resource: KEY },
    decision: 'ImplicitlyDenied',
    code: 'no-allow',
  },
  {
    name: 'KMS: a key policy naming the user grants on its own',
    doc: KMS_DEFAULT,
    policies: () => ({
      resource: [policy('key-policy', 'resource', [grantTo({ AWS: USER }, 'kms:Decrypt', '*')])],
    }),
    request: { principal: USER, action: 'kms:Decrypt', resource: KEY },
    decision: 'Allowed',
  },

  // --- The root user and service principals ---
  {
    name: 'the account root user is allowed without policies',
    doc: DENY_ALLOW,
    policies: () => ({}),
    request: getObject(`arn:aws:iam::${ACCT}:root`),
    decision: 'Allowed',
  },
  {
    name: 'the account root user of a member account is restricted by SCPs',
    doc: SCPS,
    policies: () => ({ scp: [[scp('DenyS3', ALLOW_ALL, deny('s3:*'))]] }),
    request: getObject(`arn:aws:iam::${ACCT}:root`),
    decision: 'ExplicitlyDenied',
  },
  {
    name: 'a service principal is not subject to SCPs',
    doc: SCPS,
    policies: () => ({
      resource: [res(grantTo({ Service: 'logging.s3.amazonaws.com' }, 's3:PutObject'))],
      scp: [[scp('DenyAll', deny('*'))]],
    }),
    request: {
      principal: 'logging.s3.amazonaws.com',
      action: 's3:PutObject',
      resource: OBJECT,
      resourceAccount: ACCT,
    },
    decision: 'Allowed',
  },

  // --- 9. Derived request context ---
  {
    name: 'aws:PrincipalArn of a role session is the role ARN',
    doc: CONDITION_KEYS,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', '*', {
            Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/AppRole` } },
          }),
        ),
      ],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'aws:PrincipalArn given by the caller wins over the derived value',
    doc: CONDITION_KEYS,
    policies: () => ({
      identity: [id(allow('s3:GetObject', '*', { Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } }))],
    }),
    request: getObject(SESSION, { context: { 'aws:PrincipalArn': ROLE } }),
    decision: 'Allowed',
  },
  {
    name: 'aws:PrincipalType and aws:PrincipalAccount are derived',
    doc: CONDITION_KEYS,
    policies: () => ({
      identity: [
        id(
          allow('s3:GetObject', '*', {
            Condition: { StringEquals: { 'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalAccount': ACCT } },
          }),
        ),
      ],
    }),
    request: getObject(SESSION),
    decision: 'Allowed',
  },
  {
    name: 'aws:username is derived only for IAM users',
    doc: CONDITION_KEYS,
    policies: () => ({
      identity: [
        id(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:username': 'alice' } } })),
      ],
    }),
    request: getObject(`arn:aws:sts::${ACCT}:assumed-role/alice/alice`),
    decision: 'ImplicitlyDenied',
  },
  {
    name: 'aws:ResourceAccount is derived from the resource',
    doc: CONDITION_KEYS,
    policies: () => ({
      identity: [
        id(allow('kms:Decrypt', '*', { Condition: { StringEquals: { 'aws:ResourceAccount': ACCT } } })),
      ],
      resource: [policy('key-policy', 'resource', [grantTo({ AWS: ACCT }, 'kms:*', '*')])],
    }),
    request: { principal: USER, action: 'kms:Decrypt', resource: KEY },
    decision: 'Allowed',
  },
];

describe('evaluate: AWS policy evaluation logic', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    const compiled = compilePolicySet(c.policies(), c.options);
    const decision = evaluate(compiled, c.request);
    const result = explain(compiled, c.request);
    expect(decision).toBe(c.decision);
    // explain() runs the same logic as evaluate().
    expect(result.decision).toBe(decision);
    expect(result.explanation.decision).toBe(decision);
    if (c.code) expect(result.explanation.reasonCode).toBe(c.code);
  });

  it('has at least one case per rule and 40 in all', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });
});
