/**
 * Action sets the access checks look for, built once over the catalog: the risk categories of the
 * sensitive-IAM-actions list, infrastructure modification, sensitive services and the IAM writes
 * that let a principal make itself an administrator.
 */
import { ActionSetBuilder } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionInfo, ActionSet } from '../../catalog/types.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions-data.js';

export type RiskCategory =
  | 'credentials-exposure'
  | 'data-exfiltration'
  | 'resource-exposure'
  | 'infrastructure-modification';

/** Services whose service-wide wildcard (`s3:*`) is a finding on its own. */
export const SENSITIVE_SERVICES: readonly string[] = [
  'cloudtrail',
  'dynamodb',
  'ec2',
  'ecr',
  'iam',
  'kms',
  'lambda',
  'organizations',
  'rds',
  's3',
  'secretsmanager',
  'ssm',
  'sts',
];

/**
 * Services whose write actions change running infrastructure (compute, network, storage, data
 * stores, deployment). The sensitive-actions list has no such category, so it is ours: Cloudsplaining
 * counts every write as infrastructure modification, which flags every Lambda role for
 * `logs:PutLogEvents`; telemetry and tagging are left out on purpose.
 */
export const INFRASTRUCTURE_SERVICES: readonly string[] = [
  'apigateway',
  'autoscaling',
  'cloudformation',
  'cloudfront',
  'dynamodb',
  'ec2',
  'ecs',
  'eks',
  'elasticache',
  'elasticfilesystem',
  'elasticloadbalancing',
  'lambda',
  'rds',
  'redshift',
  'route53',
  's3',
];

/**
 * Whether `Resource` can name something narrower than `*` for the action: actions without resource
 * types (ecr:GetAuthorizationToken, s3:ListAllMyBuckets) only work with `*`, so granting them on
 * `*` is not a missing constraint.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export function supportsResourceConstraint(info: ActionInfo): boolean {
  return getCatalog().resourceArnTemplatesForAction(info).length > 0;
}

/**
 * Left out of the categories on purpose, with the reason:
 * - `logs` reads (GetLogEvents, …) are in the DataAccess list, but reading an account's own
 *   application logs is what every developer policy grants; secrets in logs are a finding of the
 *   logging, not of the reader.
 * - ecs:RegisterTaskDefinition only adds a revision; nothing runs it until UpdateService or
 *   RunTask, which are judged on their own, and revisions get new ARNs, so `*` is the usual grant.
 */
const EXCLUDED_SERVICES: ReadonlyMap<RiskCategory, readonly string[]> = new Map([
  ['data-exfiltration', ['logs']],
]);
const EXCLUDED_ACTIONS: ReadonlyMap<RiskCategory, readonly string[]> = new Map([
  ['infrastructure-modification', ['ecs:registertaskdefinition']],
]);

function keep(category: RiskCategory, info: ActionInfo): boolean {
  if (!supportsResourceConstraint(info)) return false;
  if (EXCLUDED_SERVICES.get(category)?.includes(info.service)) return false;
  return !EXCLUDED_ACTIONS.get(category)?.includes(info.fullName.toLowerCase());
}

/**
 * Actions Cloudsplaining counts as data exfiltration that the sensitive-actions list does not have
 * (it has no secretsmanager:GetSecretValue at all).
 * https://github.com/salesforce/cloudsplaining (README: Data Exfiltration)
 */
const DATA_EXFILTRATION_ADDITIONS: readonly string[] = [
  's3:GetObject',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'secretsmanager:GetSecretValue',
];

let built: Map<RiskCategory, ActionSet> | undefined;

function setOf(category: RiskCategory, names: readonly string[]): ActionSet {
  const catalog = getCatalog();
  const indices: number[] = [];
  for (const n of names) {
    const info = catalog.lookupAction(n);
    if (info && keep(category, info)) indices.push(info.index);
  }
  return fromIndices(indices);
}

function fromIndices(indices: readonly number[]): ActionSet {
  const builder = new ActionSetBuilder(getCatalog().actionCount);
  for (const i of indices) builder.add(i);
  return builder.build();
}

/** The constrainable actions of each category. */
export function categoryActions(category: RiskCategory): ActionSet {
  if (!built) {
    const catalog = getCatalog();
    built = new Map();
    built.set('credentials-exposure', setOf('credentials-exposure', SENSITIVE_ACTIONS.CredentialExposure));
    built.set(
      'data-exfiltration',
      setOf('data-exfiltration', [...SENSITIVE_ACTIONS.DataAccess, ...DATA_EXFILTRATION_ADDITIONS]),
    );
    built.set('resource-exposure', setOf('resource-exposure', SENSITIVE_ACTIONS.ResourceExposure));
    const infra: number[] = [];
    for (const service of INFRASTRUCTURE_SERVICES)
      for (const info of catalog.serviceActions(service))
        if (
          (info.accessLevel === 'Write' || info.accessLevel === 'Permissions management') &&
          keep('infrastructure-modification', info)
        )
          infra.push(info.index);
    built.set('infrastructure-modification', fromIndices(infra));
  }
  return built.get(category) ?? getCatalog().emptySet();
}

/** Every action of a service (`s3` → the set `s3:*` expands to). */
export function serviceActionSet(service: string): ActionSet {
  return getCatalog().expandActionPattern(`${service}:*`).set;
}

/**
 * IAM writes on `*` with which a principal grants itself anything: a new or changed policy on
 * itself, its group, or a managed policy it has, or joining a group.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html
 */
export const SELF_ESCALATION_ACTIONS: Readonly<Record<'user' | 'role' | 'group', readonly string[]>> = {
  user: [
    'iam:AttachUserPolicy',
    'iam:PutUserPolicy',
    'iam:AddUserToGroup',
    'iam:AttachGroupPolicy',
    'iam:PutGroupPolicy',
    'iam:CreatePolicyVersion',
  ],
  role: ['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:CreatePolicyVersion'],
  group: ['iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:CreatePolicyVersion'],
};

let iamPm: ActionSet | undefined;

/** IAM's permissions-management actions: an administrator keeps them all. */
export function iamPermissionsManagement(): ActionSet {
  iamPm ??= fromIndices(
    getCatalog()
      .serviceActions('iam')
      .filter((a) => a.accessLevel === 'Permissions management')
      .map((a) => a.index),
  );
  return iamPm;
}
