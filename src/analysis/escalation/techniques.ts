/**
 * The privilege-escalation techniques of pathfinding.cloud (DataDog/pathfinding.cloud, Apache-2.0),
 * as data: what each needs (actions, and the resource each must be allowed on) and what it yields.
 * Ids are pathfinding.cloud's. The graph builder turns each into engine requests, so explicit
 * denies, resource constraints and conditions decide every edge; nothing here reads policy text.
 */

/** What a request's resource is, for one required action. */
export type ResourceRef =
  /** The starting principal's own user or role ARN. */
  | 'self'
  /** The user, role or group the technique acts on. */
  | 'target'
  /** A customer-managed policy attached to the target (or to self): `iam:CreatePolicyVersion`. */
  | 'target-policy'
  /** The role being passed to a service. */
  | 'passed-role'
  /**
   * A resource the attacker creates or names itself, as an ARN template (`${Partition}`,
   * `${Region}`, `${Account}`, `${Name}`), or `*` for actions without resource types.
   */
  | { readonly template: string };

export interface RequiredAction {
  readonly action: string;
  readonly resource: ResourceRef;
}

/**
 * - `self`: the principal rewrites its own permissions (it can grant itself anything its
 *   boundary and guardrails allow).
 * - `user` / `role`: it becomes (acts as) another user or role.
 * - `group`: it joins a group and gains that group's policies.
 * - `passrole`: it hands a role to a service and runs code as that role.
 */
export type TechniqueKind = 'self' | 'user' | 'role' | 'group' | 'passrole';

export interface Technique {
  readonly id: string;
  readonly name: string;
  readonly kind: TechniqueKind;
  readonly required: readonly RequiredAction[];
  /**
   * For self techniques: where the principal writes (its own user/role, a group it is in, a
   * policy attached to it). For user/role techniques with `grantsAdmin`: the target is first given
   * an administrator policy.
   */
  readonly via?: 'identity' | 'group' | 'attached-policy';
  /** The technique gives the target an administrator policy before becoming it. */
  readonly grantsAdmin?: boolean;
  /** How the principal then becomes a role it modified: assuming it, or rewriting its trust. */
  readonly become?: 'assume' | 'rewrite-trust';
  /** Passrole: the service principals the passed role must trust (any one). */
  readonly services?: readonly string[];
  /** Passrole to EC2: the role needs an instance profile (or the principal must be able to make one). */
  readonly needsInstanceProfile?: boolean;
  /** A prerequisite the snapshot cannot show: the edge is reported as conditional on it. */
  readonly assumes?: string;
  /** One sentence, with `{from}`, `{to}` and `{service}` filled in. */
  readonly explain: string;
}

export const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const named = (service: string, rest: string): ResourceRef => ({
  template: `arn:\${Partition}:${service}:\${Region}:\${Account}:${rest}`,
});
const ANY: ResourceRef = { template: '*' };

const PASSROLE: RequiredAction = { action: 'iam:PassRole', resource: 'passed-role' };

export const TECHNIQUES: readonly Technique[] = [
  // ---- self-escalation ----
  {
    id: 'iam-001',
    name: 'iam:CreatePolicyVersion',
    kind: 'self',
    via: 'attached-policy',
    required: [{ action: 'iam:CreatePolicyVersion', resource: 'target-policy' }],
    explain:
      '{from} can create a new default version of a customer-managed policy attached to it ({policy}) with any permissions.',
  },
  {
    id: 'iam-005',
    name: 'iam:PutRolePolicy',
    kind: 'self',
    via: 'identity',
    required: [{ action: 'iam:PutRolePolicy', resource: 'self' }],
    explain: '{from} can put an inline policy with any permissions on its own role.',
  },
  {
    id: 'iam-007',
    name: 'iam:PutUserPolicy',
    kind: 'self',
    via: 'identity',
    required: [{ action: 'iam:PutUserPolicy', resource: 'self' }],
    explain: '{from} can put an inline policy with any permissions on its own user.',
  },
  {
    id: 'iam-008',
    name: 'iam:AttachUserPolicy',
    kind: 'self',
    via: 'identity',
    required: [{ action: 'iam:AttachUserPolicy', resource: 'self' }],
    explain: '{from} can attach AdministratorAccess to its own user.',
  },
  {
    id: 'iam-009',
    name: 'iam:AttachRolePolicy',
    kind: 'self',
    via: 'identity',
    required: [{ action: 'iam:AttachRolePolicy', resource: 'self' }],
    explain: '{from} can attach AdministratorAccess to its own role.',
  },
  {
    id: 'iam-010',
    name: 'iam:AttachGroupPolicy',
    kind: 'self',
    via: 'group',
    required: [{ action: 'iam:AttachGroupPolicy', resource: 'target' }],
    explain: '{from} can attach AdministratorAccess to a group it belongs to ({group}).',
  },
  {
    id: 'iam-011',
    name: 'iam:PutGroupPolicy',
    kind: 'self',
    via: 'group',
    required: [{ action: 'iam:PutGroupPolicy', resource: 'target' }],
    explain: '{from} can put an inline policy with any permissions on a group it belongs to ({group}).',
  },
  // ---- joining a group ----
  {
    id: 'iam-013',
    name: 'iam:AddUserToGroup',
    kind: 'group',
    required: [{ action: 'iam:AddUserToGroup', resource: 'target' }],
    explain: "{from} can add itself to {to} and gain the group's policies.",
  },
  // ---- other users ----
  {
    id: 'iam-002',
    name: 'iam:CreateAccessKey',
    kind: 'user',
    required: [{ action: 'iam:CreateAccessKey', resource: 'target' }],
    explain: '{from} can create an access key for {to} and sign requests as it.',
  },
  {
    id: 'iam-003',
    name: 'iam:CreateAccessKey + iam:DeleteAccessKey',
    kind: 'user',
    required: [
      { action: 'iam:DeleteAccessKey', resource: 'target' },
      { action: 'iam:CreateAccessKey', resource: 'target' },
    ],
    explain:
      '{to} already has two access keys; {from} can delete one, create a new one and sign requests as {to}.',
  },
  {
    id: 'iam-004',
    name: 'iam:CreateLoginProfile',
    kind: 'user',
    required: [{ action: 'iam:CreateLoginProfile', resource: 'target' }],
    explain: '{from} can create a console password for {to} (which has none) and sign in as it.',
  },
  {
    id: 'iam-006',
    name: 'iam:UpdateLoginProfile',
    kind: 'user',
    required: [{ action: 'iam:UpdateLoginProfile', resource: 'target' }],
    explain: "{from} can reset {to}'s console password and sign in as it.",
  },
  {
    id: 'iam-015',
    name: 'iam:AttachUserPolicy + iam:CreateAccessKey',
    kind: 'user',
    grantsAdmin: true,
    required: [
      { action: 'iam:AttachUserPolicy', resource: 'target' },
      { action: 'iam:CreateAccessKey', resource: 'target' },
    ],
    explain: '{from} can attach AdministratorAccess to {to}, then create an access key for it.',
  },
  {
    id: 'iam-018',
    name: 'iam:PutUserPolicy + iam:CreateAccessKey',
    kind: 'user',
    grantsAdmin: true,
    required: [
      { action: 'iam:PutUserPolicy', resource: 'target' },
      { action: 'iam:CreateAccessKey', resource: 'target' },
    ],
    explain: '{from} can put an administrator inline policy on {to}, then create an access key for it.',
  },
  // ---- roles ----
  {
    id: 'sts-001',
    name: 'sts:AssumeRole',
    kind: 'role',
    become: 'assume',
    required: [{ action: 'sts:AssumeRole', resource: 'target' }],
    explain: "{from} can assume {to}: its policies and {to}'s trust policy allow sts:AssumeRole.",
  },
  {
    id: 'iam-012',
    name: 'iam:UpdateAssumeRolePolicy',
    kind: 'role',
    become: 'rewrite-trust',
    required: [{ action: 'iam:UpdateAssumeRolePolicy', resource: 'target' }],
    explain: "{from} can rewrite {to}'s trust policy to trust itself, then assume it.",
  },
  {
    id: 'iam-014',
    name: 'iam:AttachRolePolicy + sts:AssumeRole',
    kind: 'role',
    become: 'assume',
    grantsAdmin: true,
    required: [
      { action: 'iam:AttachRolePolicy', resource: 'target' },
      { action: 'sts:AssumeRole', resource: 'target' },
    ],
    explain: '{from} can attach AdministratorAccess to {to} and assume it.',
  },
  {
    id: 'iam-016',
    name: 'iam:CreatePolicyVersion + sts:AssumeRole',
    kind: 'role',
    become: 'assume',
    grantsAdmin: true,
    required: [
      { action: 'iam:CreatePolicyVersion', resource: 'target-policy' },
      { action: 'sts:AssumeRole', resource: 'target' },
    ],
    explain: '{from} can rewrite {policy} (attached to {to}) into an administrator policy and assume {to}.',
  },
  {
    id: 'iam-017',
    name: 'iam:PutRolePolicy + sts:AssumeRole',
    kind: 'role',
    become: 'assume',
    grantsAdmin: true,
    required: [
      { action: 'iam:PutRolePolicy', resource: 'target' },
      { action: 'sts:AssumeRole', resource: 'target' },
    ],
    explain: '{from} can put an administrator inline policy on {to} and assume it.',
  },
  {
    id: 'iam-019',
    name: 'iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy',
    kind: 'role',
    become: 'rewrite-trust',
    grantsAdmin: true,
    required: [
      { action: 'iam:AttachRolePolicy', resource: 'target' },
      { action: 'iam:UpdateAssumeRolePolicy', resource: 'target' },
    ],
    explain:
      "{from} can attach AdministratorAccess to {to}, rewrite {to}'s trust to trust itself and assume it.",
  },
  {
    id: 'iam-020',
    name: 'iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy',
    kind: 'role',
    become: 'rewrite-trust',
    grantsAdmin: true,
    required: [
      { action: 'iam:CreatePolicyVersion', resource: 'target-policy' },
      { action: 'iam:UpdateAssumeRolePolicy', resource: 'target' },
    ],
    explain:
      "{from} can rewrite {policy} (attached to {to}) into an administrator policy, rewrite {to}'s trust and assume it.",
  },
  {
    id: 'iam-021',
    name: 'iam:PutRolePolicy + iam:UpdateAssumeRolePolicy',
    kind: 'role',
    become: 'rewrite-trust',
    grantsAdmin: true,
    required: [
      { action: 'iam:PutRolePolicy', resource: 'target' },
      { action: 'iam:UpdateAssumeRolePolicy', resource: 'target' },
    ],
    explain: "{from} can put an administrator inline policy on {to}, rewrite {to}'s trust and assume it.",
  },
  // ---- iam:PassRole to a new compute resource ----
  passrole(
    'apprunner-001',
    'apprunner',
    ['tasks.apprunner.amazonaws.com'],
    [{ action: 'apprunner:CreateService', resource: named('apprunner', 'service/${Name}/${Name}') }],
  ),
  passrole(
    'bedrock-001',
    'Bedrock AgentCore',
    ['bedrock-agentcore.amazonaws.com'],
    [
      { action: 'bedrock-agentcore:CreateCodeInterpreter', resource: ANY },
      {
        action: 'bedrock-agentcore:StartCodeInterpreterSession',
        resource: named('bedrock-agentcore', 'code-interpreter-custom/${Name}'),
      },
      {
        action: 'bedrock-agentcore:InvokeCodeInterpreter',
        resource: named('bedrock-agentcore', 'code-interpreter-custom/${Name}'),
      },
    ],
  ),
  passrole(
    'cloudformation-001',
    'CloudFormation',
    ['cloudformation.amazonaws.com'],
    [{ action: 'cloudformation:CreateStack', resource: named('cloudformation', 'stack/${Name}/${Name}') }],
  ),
  passrole(
    'cloudformation-003',
    'CloudFormation StackSets',
    ['cloudformation.amazonaws.com'],
    [
      { action: 'cloudformation:CreateStackSet', resource: ANY },
      {
        action: 'cloudformation:CreateStackInstances',
        resource: named('cloudformation', 'stackset/${Name}:${Name}'),
      },
    ],
  ),
  passrole(
    'cloudformation-004',
    'CloudFormation StackSets',
    ['cloudformation.amazonaws.com'],
    [
      {
        action: 'cloudformation:UpdateStackSet',
        resource: named('cloudformation', 'stackset/${Name}:${Name}'),
      },
    ],
    'an existing stack set to update',
  ),
  passrole(
    'codebuild-001',
    'CodeBuild',
    ['codebuild.amazonaws.com'],
    [
      { action: 'codebuild:CreateProject', resource: named('codebuild', 'project/${Name}') },
      { action: 'codebuild:StartBuild', resource: named('codebuild', 'project/${Name}') },
    ],
  ),
  passrole(
    'codebuild-004',
    'CodeBuild',
    ['codebuild.amazonaws.com'],
    [
      { action: 'codebuild:CreateProject', resource: named('codebuild', 'project/${Name}') },
      { action: 'codebuild:StartBuildBatch', resource: named('codebuild', 'project/${Name}') },
    ],
  ),
  passrole(
    'datapipeline-001',
    'Data Pipeline',
    ['datapipeline.amazonaws.com', 'elasticmapreduce.amazonaws.com'],
    [
      { action: 'datapipeline:CreatePipeline', resource: ANY },
      { action: 'datapipeline:PutPipelineDefinition', resource: named('datapipeline', 'pipeline/${Name}') },
      { action: 'datapipeline:ActivatePipeline', resource: named('datapipeline', 'pipeline/${Name}') },
    ],
  ),
  {
    ...passrole(
      'ec2-001',
      'EC2',
      ['ec2.amazonaws.com'],
      [{ action: 'ec2:RunInstances', resource: named('ec2', 'instance/${Name}') }],
    ),
    needsInstanceProfile: true,
  },
  {
    ...passrole(
      'ec2-003',
      'EC2',
      ['ec2.amazonaws.com'],
      [{ action: 'ec2:RequestSpotInstances', resource: named('ec2', 'spot-instances-request/${Name}') }],
    ),
    needsInstanceProfile: true,
  },
  passrole(
    'ecs-001',
    'ECS',
    ['ecs-tasks.amazonaws.com'],
    [
      { action: 'ecs:CreateCluster', resource: named('ecs', 'cluster/${Name}') },
      { action: 'ecs:RegisterTaskDefinition', resource: ANY },
      { action: 'ecs:CreateService', resource: named('ecs', 'service/${Name}/${Name}') },
    ],
  ),
  passrole(
    'ecs-002',
    'ECS',
    ['ecs-tasks.amazonaws.com'],
    [
      { action: 'ecs:CreateCluster', resource: named('ecs', 'cluster/${Name}') },
      { action: 'ecs:RegisterTaskDefinition', resource: ANY },
      { action: 'ecs:RunTask', resource: named('ecs', 'task-definition/${Name}:1') },
    ],
  ),
  passrole(
    'ecs-003',
    'ECS',
    ['ecs-tasks.amazonaws.com'],
    [
      { action: 'ecs:RegisterTaskDefinition', resource: ANY },
      { action: 'ecs:CreateService', resource: named('ecs', 'service/${Name}/${Name}') },
    ],
    'an existing ECS cluster',
  ),
  passrole(
    'ecs-004',
    'ECS',
    ['ecs-tasks.amazonaws.com'],
    [
      { action: 'ecs:RegisterTaskDefinition', resource: ANY },
      { action: 'ecs:RunTask', resource: named('ecs', 'task-definition/${Name}:1') },
    ],
    'an existing ECS cluster',
  ),
  passrole(
    'ecs-005',
    'ECS',
    ['ecs-tasks.amazonaws.com'],
    [
      { action: 'ecs:RegisterTaskDefinition', resource: ANY },
      { action: 'ecs:StartTask', resource: named('ecs', 'task-definition/${Name}:1') },
    ],
    'an existing ECS cluster with a registered container instance',
  ),
  passrole(
    'glue-001',
    'Glue',
    ['glue.amazonaws.com'],
    [{ action: 'glue:CreateDevEndpoint', resource: named('glue', 'devEndpoint/${Name}') }],
  ),
  passrole(
    'glue-003',
    'Glue',
    ['glue.amazonaws.com'],
    [
      { action: 'glue:CreateJob', resource: named('glue', 'job/${Name}') },
      { action: 'glue:StartJobRun', resource: named('glue', 'job/${Name}') },
    ],
  ),
  passrole(
    'glue-004',
    'Glue',
    ['glue.amazonaws.com'],
    [
      { action: 'glue:CreateJob', resource: named('glue', 'job/${Name}') },
      { action: 'glue:CreateTrigger', resource: named('glue', 'trigger/${Name}') },
    ],
  ),
  passrole(
    'glue-005',
    'Glue',
    ['glue.amazonaws.com'],
    [
      { action: 'glue:UpdateJob', resource: named('glue', 'job/${Name}') },
      { action: 'glue:StartJobRun', resource: named('glue', 'job/${Name}') },
    ],
    'an existing Glue job',
  ),
  passrole(
    'glue-006',
    'Glue',
    ['glue.amazonaws.com'],
    [
      { action: 'glue:UpdateJob', resource: named('glue', 'job/${Name}') },
      { action: 'glue:CreateTrigger', resource: named('glue', 'trigger/${Name}') },
    ],
    'an existing Glue job',
  ),
  passrole(
    'lambda-001',
    'Lambda',
    ['lambda.amazonaws.com'],
    [
      { action: 'lambda:CreateFunction', resource: named('lambda', 'function:${Name}') },
      { action: 'lambda:InvokeFunction', resource: named('lambda', 'function:${Name}') },
    ],
  ),
  passrole(
    'lambda-002',
    'Lambda',
    ['lambda.amazonaws.com'],
    [
      { action: 'lambda:CreateFunction', resource: named('lambda', 'function:${Name}') },
      { action: 'lambda:CreateEventSourceMapping', resource: ANY },
    ],
    'an event source (stream or queue) that triggers the function',
  ),
  passrole(
    'lambda-006',
    'Lambda',
    ['lambda.amazonaws.com'],
    [
      { action: 'lambda:CreateFunction', resource: named('lambda', 'function:${Name}') },
      { action: 'lambda:AddPermission', resource: named('lambda', 'function:${Name}') },
    ],
  ),
  passrole(
    'sagemaker-001',
    'SageMaker',
    ['sagemaker.amazonaws.com'],
    [
      {
        action: 'sagemaker:CreateNotebookInstance',
        resource: named('sagemaker', 'notebook-instance/${Name}'),
      },
    ],
  ),
  passrole(
    'sagemaker-002',
    'SageMaker',
    ['sagemaker.amazonaws.com'],
    [{ action: 'sagemaker:CreateTrainingJob', resource: named('sagemaker', 'training-job/${Name}') }],
  ),
  passrole(
    'sagemaker-003',
    'SageMaker',
    ['sagemaker.amazonaws.com'],
    [{ action: 'sagemaker:CreateProcessingJob', resource: named('sagemaker', 'processing-job/${Name}') }],
  ),
];

function passrole(
  id: string,
  service: string,
  services: readonly string[],
  actions: readonly RequiredAction[],
  assumes?: string,
): Technique {
  return {
    id,
    name: ['iam:PassRole', ...actions.map((a) => a.action)].join(' + '),
    kind: 'passrole',
    services,
    required: [PASSROLE, ...actions],
    ...(assumes ? { assumes } : {}),
    explain: `{from} can pass {to} to ${service} (${actions.map((a) => a.action).join(', ')}) and run code as {to}.`,
  };
}

/** pathfinding.cloud paths the snapshot cannot decide, with the reason. */
export const NOT_COVERED: Readonly<Record<string, string>> = {
  'apprunner-002':
    'apprunner:UpdateService reuses the instance role of an existing App Runner service; the snapshot does not list services or their roles.',
  'bedrock-002':
    'Uses an existing code interpreter and its execution role; the snapshot does not list Bedrock AgentCore resources.',
  'cloudformation-002':
    'cloudformation:UpdateStack reuses the service role of an existing stack; the snapshot does not list stacks.',
  'cloudformation-005':
    'Change sets on an existing stack run with its service role; the snapshot does not list stacks.',
  'codebuild-002':
    "codebuild:StartBuild with a buildspec override runs as an existing project's service role; the snapshot does not list projects.",
  'codebuild-003':
    "codebuild:StartBuildBatch runs as an existing project's service role; the snapshot does not list projects.",
  'ec2-002':
    'Modifying user data of an existing instance needs the instance and its instance profile; the snapshot has no EC2 instance state.',
  'ec2-004':
    'A new launch template version reaches the instances launched from it; the snapshot has no launch templates or Auto Scaling groups.',
  'ec2instanceconnect-003':
    'SSH into a running instance to use its instance profile role; the snapshot has no EC2 instance state.',
  'glue-002':
    'glue:UpdateDevEndpoint needs an existing development endpoint and its role; the snapshot does not list Glue endpoints.',
  'lambda-003':
    "lambda:UpdateFunctionCode runs as an existing function's execution role; the snapshot has function policies but not their execution roles.",
  'lambda-004':
    "lambda:UpdateFunctionCode + InvokeFunction runs as an existing function's execution role; the snapshot does not record execution roles.",
  'lambda-005':
    "lambda:UpdateFunctionCode + AddPermission runs as an existing function's execution role; the snapshot does not record execution roles.",
  'sagemaker-004':
    'A presigned URL to an existing notebook instance runs as its role; the snapshot does not list notebook instances.',
  'sagemaker-005':
    'A lifecycle configuration on an existing notebook instance runs as its role; the snapshot does not list notebook instances.',
  'ssm-001':
    'ssm:StartSession on a running instance uses its instance profile role; the snapshot has no EC2 instance state or SSM inventory.',
  'ssm-002':
    'ssm:SendCommand on a running instance uses its instance profile role; the snapshot has no EC2 instance state or SSM inventory.',
};

export function techniqueById(id: string): Technique | undefined {
  return TECHNIQUES.find((t) => t.id === id);
}
