import { type Dialect, duckdbDialect, render } from './dialect.js';
import type { ActivityDb, QueryResult } from './store.js';

/**
 * Saved investigations (`leastpriv trail show NAME`): SQL written once against `Dialect`, so the
 * same question runs on the local DuckDB `events` view or on Athena over the trail's bucket.
 * Every value a user gives (--since, --principal) is a bound parameter.
 */

export interface InvestigationFilters {
  /** Only events at or after this time (the `since` parameter). */
  readonly since: boolean;
  /** Only this principal (the `principal` parameter); required by some investigations. */
  readonly principal: boolean;
}

export interface Investigation {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly requiresPrincipal: boolean;
  readonly build: (d: Dialect, f: InvestigationFilters) => string;
}

/** IAM calls that change who can do what. Constants of ours, inlined as literals. */
export const IAM_CHANGE_EVENTS: readonly string[] = [
  'AddRoleToInstanceProfile',
  'AddUserToGroup',
  'AttachGroupPolicy',
  'AttachRolePolicy',
  'AttachUserPolicy',
  'ChangePassword',
  'CreateAccessKey',
  'CreateGroup',
  'CreateInstanceProfile',
  'CreateLoginProfile',
  'CreateOpenIDConnectProvider',
  'CreatePolicy',
  'CreatePolicyVersion',
  'CreateRole',
  'CreateSAMLProvider',
  'CreateServiceSpecificCredential',
  'CreateUser',
  'CreateVirtualMFADevice',
  'DeactivateMFADevice',
  'DeleteAccessKey',
  'DeleteGroup',
  'DeleteGroupPolicy',
  'DeleteLoginProfile',
  'DeletePolicy',
  'DeletePolicyVersion',
  'DeleteRole',
  'DeleteRolePermissionsBoundary',
  'DeleteRolePolicy',
  'DeleteUser',
  'DeleteUserPermissionsBoundary',
  'DeleteUserPolicy',
  'DeleteVirtualMFADevice',
  'DetachGroupPolicy',
  'DetachRolePolicy',
  'DetachUserPolicy',
  'EnableMFADevice',
  'PutGroupPolicy',
  'PutRolePermissionsBoundary',
  'PutRolePolicy',
  'PutUserPermissionsBoundary',
  'PutUserPolicy',
  'RemoveUserFromGroup',
  'SetDefaultPolicyVersion',
  'UpdateAccessKey',
  'UpdateAssumeRolePolicy',
  'UpdateLoginProfile',
  'UpdateRole',
  'UpdateUser',
  'UploadSSHPublicKey',
];

const ACCESS_DENIED_CODES = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'Client.UnauthorizedOperation',
  'UnauthorizedAccess',
];

const list = (values: readonly string[]): string =>
  values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

function since(d: Dialect, f: InvestigationFilters, alias?: string): string {
  return f.since ? `\n  AND ${d.col('event_time', alias)} >= ${d.timeParam('since')}` : '';
}

/** The acting principal: the role for a role session, else the caller's own ARN. */
function actor(d: Dialect, alias?: string): string {
  return `coalesce(${d.col('session_issuer_arn', alias)}, ${d.col('identity_arn', alias)})`;
}

function principalFilter(d: Dialect, f: InvestigationFilters, alias?: string): string {
  if (!f.principal) return '';
  const p = d.param('principal');
  return `\n  AND (${d.col('identity_arn', alias)} = ${p} OR ${d.col('session_issuer_arn', alias)} = ${d.param('principal')})`;
}

/** Who the call was about: the user, role, group or policy named in the request. */
function target(d: Dialect): string {
  const rp = (path: string) => d.jsonText('request_parameters', path);
  return `coalesce(${rp('$.userName')}, ${rp('$.roleName')}, ${rp('$.groupName')}, ${rp('$.policyArn')}, ${rp('$.policyName')}, ${rp('$.instanceProfileName')})`;
}

const iamChanges: Investigation = {
  name: 'iam-changes',
  title: 'IAM changes',
  description:
    'Calls that change identities, credentials or policies (CreateUser, CreateAccessKey, Attach/Put/Delete*Policy, CreatePolicyVersion, UpdateAssumeRolePolicy, AddUserToGroup, …): who, when, from where, and whether it failed.',
  requiresPrincipal: false,
  build: (d, f) => `
SELECT ${d.col('event_time')} AS event_time, ${d.col('event_name')} AS event_name,
  ${d.col('identity_arn')} AS actor, ${target(d)} AS target,
  ${d.jsonText('request_parameters', '$.policyArn')} AS policy_arn,
  ${d.col('source_ip')} AS source_ip, ${d.col('user_agent')} AS user_agent,
  ${d.col('error_code')} AS error_code, ${d.col('event_id')} AS event_id
FROM ${d.table}
WHERE ${d.col('event_source')} = 'iam.amazonaws.com'
  AND ${d.col('event_name')} IN (${list(IAM_CHANGE_EVENTS)})${since(d, f)}${principalFilter(d, f)}
ORDER BY event_time, event_id`,
};

/** A policy document that allows every action: `"Action": "*"` (or `"*:*"`), alone or in a list. */
const ADMIN_DOCUMENT = '"Action"\\s*:\\s*(\\[[^\\]]*)?"\\*(:\\*)?"';

const adminGrants: Investigation = {
  name: 'admin-grants',
  title: 'Administrator access granted',
  description:
    'AdministratorAccess attached to a user, role or group, or an inline policy or policy version allowing every action: who granted it to whom, and whether they granted it to themselves.',
  requiresPrincipal: false,
  build: (d, f) => {
    const rp = (path: string) => d.jsonText('request_parameters', path);
    const document = `coalesce(${rp('$.policyDocument')}, '')`;
    return `
SELECT ${d.col('event_time')} AS event_time, ${d.col('identity_arn')} AS granted_by,
  ${target(d)} AS grantee,
  CASE WHEN ${rp('$.userName')} IS NOT NULL THEN 'user' WHEN ${rp('$.roleName')} IS NOT NULL THEN 'role'
       WHEN ${rp('$.groupName')} IS NOT NULL THEN 'group' ELSE 'policy' END AS grantee_type,
  ${d.col('event_name')} AS how, coalesce(${rp('$.policyArn')}, ${rp('$.policyName')}) AS policy,
  coalesce(${rp('$.userName')} = ${d.col('user_name')}, false) AS self_grant,
  ${d.col('source_ip')} AS source_ip, ${d.col('event_id')} AS event_id
FROM ${d.table}
WHERE ${d.col('event_source')} = 'iam.amazonaws.com' AND ${d.col('error_code')} IS NULL
  AND ((${d.col('event_name')} IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy')
        AND ${rp('$.policyArn')} LIKE 'arn:%:iam::aws:policy/AdministratorAccess')
    OR (${d.col('event_name')} IN ('PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'CreatePolicyVersion', 'CreatePolicy')
        AND ${d.matches(document, ADMIN_DOCUMENT)}))${since(d, f)}${principalFilter(d, f)}
ORDER BY event_time, event_id`;
  },
};

const rootActivity: Investigation = {
  name: 'root-activity',
  title: 'Root user activity',
  description:
    'Every call made with root credentials (not by an AWS service on its behalf): the account, what, from where, and whether the sign-in used MFA.',
  requiresPrincipal: false,
  build: (d, f) => `
SELECT ${d.col('event_time')} AS event_time, ${d.col('identity_account')} AS account,
  ${d.col('event_name')} AS event_name, ${d.col('event_source')} AS event_source,
  ${d.col('source_ip')} AS source_ip, ${d.col('user_agent')} AS user_agent,
  ${d.jsonText('additional_event_data', '$.MFAUsed')} AS mfa_used,
  ${d.col('error_code')} AS error_code, ${d.col('event_id')} AS event_id
FROM ${d.table}
WHERE ${d.col('identity_type')} = 'Root' AND ${d.col('invoked_by')} IS NULL
  AND ${d.col('event_type')} <> 'AwsServiceEvent'${since(d, f)}${principalFilter(d, f)}
ORDER BY event_time, event_id`,
};

const consoleLoginsWithoutMfa: Investigation = {
  name: 'console-logins-without-mfa',
  title: 'Console sign-ins without MFA',
  description:
    'Successful ConsoleLogin events of IAM users and root where additionalEventData.MFAUsed is not Yes (federated sign-ins are left out: their MFA happens at the identity provider).',
  requiresPrincipal: false,
  build: (d, f) => `
SELECT ${d.col('event_time')} AS event_time, ${d.col('identity_arn')} AS principal,
  ${d.col('identity_type')} AS identity_type, ${d.col('identity_account')} AS account,
  ${d.col('source_ip')} AS source_ip, ${d.col('user_agent')} AS user_agent,
  ${d.jsonText('additional_event_data', '$.MFAUsed')} AS mfa_used, ${d.col('event_id')} AS event_id
FROM ${d.table}
WHERE ${d.col('event_name')} = 'ConsoleLogin' AND ${d.col('identity_type')} IN ('IAMUser', 'Root')
  AND ${d.jsonText('response_elements', '$.ConsoleLogin')} = 'Success'
  AND coalesce(${d.jsonText('additional_event_data', '$.MFAUsed')}, 'No') <> 'Yes'${since(d, f)}${principalFilter(d, f)}
ORDER BY event_time, event_id`,
};

const accessDenied: Investigation = {
  name: 'access-denied',
  title: 'Access denied, by principal',
  description:
    'Calls refused for lack of permission, grouped by the acting principal (the role for role sessions): how many, which actions, first and last time.',
  requiresPrincipal: false,
  build: (d, f) => `
SELECT ${actor(d)} AS principal, count(*) AS denied,
  count(DISTINCT ${d.col('event_name')}) AS distinct_actions,
  ${d.listAgg(`${d.col('event_source')} || ':' || ${d.col('event_name')}`)} AS actions,
  min(${d.col('event_time')}) AS first_seen, max(${d.col('event_time')}) AS last_seen,
  ${d.listAgg(d.col('source_ip'))} AS source_ips
FROM ${d.table}
WHERE (${d.col('error_code')} IN (${list(ACCESS_DENIED_CODES)}) OR ${d.col('error_code')} LIKE '%AccessDenied%')${since(d, f)}${principalFilter(d, f)}
GROUP BY ${actor(d)}
ORDER BY denied DESC, principal`,
};

/**
 * A principal's timeline, following role sessions: the sessions it assumed (and sessions assumed
 * from those, up to 5 hops) through AssumeRole's responseElements.credentials.accessKeyId and
 * assumedRoleUser; and for each event made by a role session, the identity that assumed it.
 */
const principalTimeline: Investigation = {
  name: 'principal-timeline',
  title: 'Principal timeline (following assumed roles)',
  description:
    'Everything a principal did, directly and through the role sessions it assumed, with the identity that assumed each session. Requires --principal ARN (a user, a role, or a role session ARN).',
  requiresPrincipal: true,
  build: (d, f) => {
    const re = (path: string, alias?: string) => d.jsonText('response_elements', path, alias);
    return `
WITH RECURSIVE assumptions AS (
  SELECT ${d.col('identity_arn')} AS assumed_by, ${d.col('access_key_id')} AS by_key,
    ${re('$.credentials.accessKeyId')} AS session_key, ${re('$.assumedRoleUser.arn')} AS session_arn,
    ${d.jsonText('request_parameters', '$.roleArn')} AS role_arn, ${d.col('event_id')} AS assume_event_id
  FROM ${d.table}
  WHERE ${d.col('event_source')} = 'sts.amazonaws.com' AND ${d.col('event_name')} = 'AssumeRole'
    AND ${d.col('error_code')} IS NULL AND ${re('$.credentials.accessKeyId')} IS NOT NULL
),
chain (session_key, depth) AS (
  SELECT session_key, 1 FROM assumptions
  WHERE assumed_by = ${d.param('principal')} OR role_arn = ${d.param('principal')} OR session_arn = ${d.param('principal')}
  UNION ALL
  SELECT a.session_key, c.depth + 1 FROM assumptions a JOIN chain c ON a.by_key = c.session_key
  WHERE c.depth < 5
)
SELECT ${d.col('event_time', 'e')} AS event_time, ${d.col('event_name', 'e')} AS event_name,
  ${d.col('event_source', 'e')} AS event_source, ${d.col('identity_arn', 'e')} AS acting_as,
  a.assumed_by AS assumed_by, a.assume_event_id AS assumed_in_event,
  ${d.col('source_ip', 'e')} AS source_ip, ${d.col('error_code', 'e')} AS error_code, ${d.col('event_id', 'e')} AS event_id
FROM ${d.table} e
LEFT JOIN assumptions a ON ${d.col('access_key_id', 'e')} = a.session_key
WHERE (${d.col('identity_arn', 'e')} = ${d.param('principal')}
    OR ${d.col('session_issuer_arn', 'e')} = ${d.param('principal')}
    OR ${d.col('access_key_id', 'e')} IN (SELECT session_key FROM chain))${since(d, f, 'e')}
ORDER BY event_time, event_id`;
  },
};

const newAccessKeys: Investigation = {
  name: 'new-access-keys',
  title: 'New access keys and their first use',
  description:
    'CreateAccessKey calls: who created a key for whom, and when, from where and with which call the key was first used.',
  requiresPrincipal: false,
  build: (d, f) => {
    const re = (path: string) => d.jsonText('response_elements', path);
    return `
WITH created AS (
  SELECT ${d.col('event_time')} AS created_at, ${d.col('identity_arn')} AS created_by,
    ${re('$.accessKey.userName')} AS for_user, ${re('$.accessKey.accessKeyId')} AS access_key_id,
    ${d.col('source_ip')} AS created_from, ${d.col('event_id')} AS event_id
  FROM ${d.table}
  WHERE ${d.col('event_source')} = 'iam.amazonaws.com' AND ${d.col('event_name')} = 'CreateAccessKey'
    AND ${d.col('error_code')} IS NULL${since(d, f)}${principalFilter(d, f)}
),
uses AS (
  SELECT ${d.col('access_key_id')} AS access_key_id, ${d.col('event_time')} AS used_at,
    ${d.col('source_ip')} AS used_from, ${d.col('event_name')} AS used_for,
    row_number() OVER (PARTITION BY ${d.col('access_key_id')} ORDER BY ${d.col('event_time')}, ${d.col('event_id')}) AS n,
    count(*) OVER (PARTITION BY ${d.col('access_key_id')}) AS uses
  FROM ${d.table}
  WHERE ${d.col('access_key_id')} IN (SELECT access_key_id FROM created)
)
SELECT c.created_at, c.created_by, c.for_user, c.access_key_id, c.created_from,
  u.used_at AS first_used, u.used_from AS first_used_from, u.used_for AS first_call,
  coalesce(u.uses, 0) AS uses, c.event_id
FROM created c LEFT JOIN uses u ON u.access_key_id = c.access_key_id AND u.n = 1
ORDER BY c.created_at, c.event_id`;
  },
};

/**
 * First appearance of each (principal, source IP) and (principal, user agent) pair, leaving out the
 * principal's own first event (everything is new then). With --since, only pairs first seen in the
 * window, against everything before it as the baseline.
 */
const newSource: Investigation = {
  name: 'new-source',
  title: 'New source IP addresses and user agents per principal',
  description:
    'Activity from an IP address or user agent never seen before for that principal (the role for role sessions), with the first event and how many followed.',
  requiresPrincipal: false,
  build: (d, f) => {
    const pairs = (kind: string, field: 'source_ip' | 'user_agent') => `
  SELECT ${actor(d)} AS principal, '${kind}' AS kind, ${d.col(field)} AS value,
    min(${d.col('event_time')}) AS first_seen, min_by(${d.col('event_id')}, ${d.col('event_time')}) AS first_event_id,
    min_by(${d.col('event_name')}, ${d.col('event_time')}) AS first_call, count(*) AS events
  FROM ${d.table}
  WHERE ${d.col(field)} IS NOT NULL AND ${d.col('identity_type')} <> 'AWSService' AND ${actor(d)} IS NOT NULL
  GROUP BY ${actor(d)}, ${d.col(field)}`;
    const sincePairs = f.since ? `\n  AND p.first_seen >= ${d.timeParam('since')}` : '';
    const principalPairs = f.principal ? `\n  AND p.principal = ${d.param('principal')}` : '';
    return `
WITH pairs AS (${pairs('ip', 'source_ip')}
  UNION ALL${pairs('user_agent', 'user_agent')}
),
starts AS (
  SELECT ${actor(d)} AS principal, min(${d.col('event_time')}) AS started
  FROM ${d.table} GROUP BY ${actor(d)}
)
SELECT p.principal, p.kind, p.value, p.first_seen, p.first_call, p.events, p.first_event_id AS event_id
FROM pairs p JOIN starts s ON s.principal = p.principal
WHERE p.first_seen > s.started${sincePairs}${principalPairs}
ORDER BY p.first_seen, p.principal, p.kind, p.value`;
  },
};

export const INVESTIGATIONS: readonly Investigation[] = [
  iamChanges,
  adminGrants,
  rootActivity,
  consoleLoginsWithoutMfa,
  accessDenied,
  principalTimeline,
  newAccessKeys,
  newSource,
];

export function findInvestigation(name: string): Investigation | undefined {
  return INVESTIGATIONS.find((i) => i.name === name);
}

export interface InvestigationParams {
  readonly since?: Date;
  readonly principal?: string;
}

/** Runs a saved investigation on the local database, binding --since and --principal. */
export async function runInvestigation(
  db: ActivityDb,
  investigation: Investigation,
  params: InvestigationParams,
): Promise<QueryResult> {
  if (investigation.requiresPrincipal && !params.principal)
    throw new Error(`${investigation.name} needs a principal`);
  const filters = { since: params.since !== undefined, principal: params.principal !== undefined };
  const { sql } = render((d) => investigation.build(d, filters), duckdbDialect);
  const bound: Record<string, string> = {};
  if (params.since) bound.since = params.since.toISOString();
  if (params.principal) bound.principal = params.principal;
  return db.query(sql, bound);
}
