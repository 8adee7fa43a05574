/**
 * fast-check arbitraries for whole authorisation requests (request + every policy layer), biased
 * toward the rules that are easy to get wrong. Vocabularies are deliberately small so that
 * actions, resources, principals and condition values actually collide.
 *
 * `differentialRequest` produces only what the oracle models (see oracle.ts and
 * docs/divergences.md); `anyRequest` adds what only our engine handles (unknown actions...).
 */
import fc from 'fast-check';
import type { ContextValueInput } from '../../src/model/request.js';
import type { PolicyDocument, SimulateRequest } from './case.js';

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';
export const ORG_ID = 'o-a1b2c3d4e5';

export interface PrincipalFixture {
  readonly arn: string;
  readonly account: string;
  /** aws:PrincipalArn: for a role session it is the role's ARN. */
  readonly principalArn: string;
  readonly username?: string;
  readonly team?: string;
  /** The IAM role a session belongs to. */
  readonly roleArn?: string;
  readonly kind: 'user' | 'session' | 'federated';
}

export const PRINCIPALS: readonly PrincipalFixture[] = [
  {
    arn: `arn:aws:iam::${ACCOUNT_A}:user/alice`,
    account: ACCOUNT_A,
    principalArn: `arn:aws:iam::${ACCOUNT_A}:user/alice`,
    username: 'alice',
    team: 'blue',
    kind: 'user',
  },
  {
    arn: `arn:aws:iam::${ACCOUNT_B}:user/bob`,
    account: ACCOUNT_B,
    principalArn: `arn:aws:iam::${ACCOUNT_B}:user/bob`,
    username: 'bob',
    kind: 'user',
  },
  {
    arn: `arn:aws:sts::${ACCOUNT_A}:assumed-role/dev/alice-session`,
    account: ACCOUNT_A,
    principalArn: `arn:aws:iam::${ACCOUNT_A}:role/dev`,
    roleArn: `arn:aws:iam::${ACCOUNT_A}:role/dev`,
    team: 'red',
    kind: 'session',
  },
  {
    arn: `arn:aws:sts::${ACCOUNT_B}:assumed-role/ops/bob`,
    account: ACCOUNT_B,
    principalArn: `arn:aws:iam::${ACCOUNT_B}:role/ops`,
    roleArn: `arn:aws:iam::${ACCOUNT_B}:role/ops`,
    kind: 'session',
  },
  {
    arn: `arn:aws:sts::${ACCOUNT_A}:federated-user/carol`,
    account: ACCOUNT_A,
    principalArn: `arn:aws:sts::${ACCOUNT_A}:federated-user/carol`,
    kind: 'federated',
  },
];

/** An action with the resources it can be requested on (the oracle checks resource types). */
export interface ActionFixture {
  readonly action: string;
  /** `[resource ARN, owning account]`; `*` for actions without resource types. */
  readonly resources: readonly (readonly [string, string | undefined])[];
}

const OBJECTS = [
  ['arn:aws:s3:::bucket-a/key1', ACCOUNT_A],
  ['arn:aws:s3:::bucket-a/home/alice/notes.txt', ACCOUNT_A],
  ['arn:aws:s3:::bucket-a/blue/report.csv', ACCOUNT_A],
  ['arn:aws:s3:::bucket-b/key2', ACCOUNT_B],
] as const;
const ROLES = [
  [`arn:aws:iam::${ACCOUNT_A}:role/dev`, ACCOUNT_A],
  [`arn:aws:iam::${ACCOUNT_B}:role/ops`, ACCOUNT_B],
] as const;
const USERS = [
  [`arn:aws:iam::${ACCOUNT_A}:user/alice`, ACCOUNT_A],
  [`arn:aws:iam::${ACCOUNT_A}:user/team/dave`, ACCOUNT_A],
  [`arn:aws:iam::${ACCOUNT_B}:user/bob`, ACCOUNT_B],
] as const;

export const ACTIONS: readonly ActionFixture[] = [
  { action: 's3:GetObject', resources: OBJECTS },
  { action: 's3:PutObject', resources: OBJECTS },
  {
    action: 's3:ListBucket',
    resources: [
      ['arn:aws:s3:::bucket-a', ACCOUNT_A],
      ['arn:aws:s3:::bucket-b', ACCOUNT_B],
    ],
  },
  { action: 's3:ListAllMyBuckets', resources: [['*', undefined]] },
  { action: 'iam:GetUser', resources: USERS },
  { action: 'iam:CreateUser', resources: USERS },
  { action: 'iam:PassRole', resources: ROLES },
  { action: 'iam:ListUsers', resources: [['*', undefined]] },
  {
    action: 'kms:Decrypt',
    resources: [
      [`arn:aws:kms:us-east-1:${ACCOUNT_A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, ACCOUNT_A],
      [`arn:aws:kms:eu-west-1:${ACCOUNT_B}:key/0987dcba-09fe-87dc-65ba-ab0987654321`, ACCOUNT_B],
    ],
  },
  {
    action: 'ec2:TerminateInstances',
    resources: [
      [`arn:aws:ec2:us-east-1:${ACCOUNT_A}:instance/i-0123456789abcdef0`, ACCOUNT_A],
      [`arn:aws:ec2:eu-west-1:${ACCOUNT_B}:instance/i-0fedcba9876543210`, ACCOUNT_B],
    ],
  },
  { action: 'ec2:DescribeInstances', resources: [['*', undefined]] },
  { action: 'sts:AssumeRole', resources: ROLES },
];

/** Not in any catalogue: only our engine is asked about it. */
export const UNKNOWN_ACTION: ActionFixture = {
  action: 'madeup:DoThing',
  resources: [[`arn:aws:madeup:us-east-1:${ACCOUNT_A}:thing/x`, ACCOUNT_A]],
};

const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Get*',
  's3:*Object',
  's3:List*',
  'iam:*',
  'iam:Get*',
  'iam:Pass?ole',
  'kms:*',
  'kms:Decrypt',
  'ec2:*',
  'ec2:Describe*',
  'ec2:TerminateInstances',
  'sts:AssumeRole',
  'sts:*',
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'iam:PassRole',
  'iam:CreateUser',
];

const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::bucket-a/*',
  'arn:aws:s3:::bucket-a',
  'arn:aws:s3:::bucket-*',
  'arn:aws:s3:::bucket-?/key*',
  'arn:aws:s3:::bucket-a/home/${aws:username}/*',
  "arn:aws:s3:::bucket-a/${aws:PrincipalTag/team, 'nobody'}/*",
  'arn:aws:s3:::bucket-a/${aws:PrincipalTag/team}/*',
  'arn:aws:s3:::bucket-b/*',
  'arn:aws:s3:::*/key1',
  `arn:aws:iam::${ACCOUNT_A}:user/*`,
  `arn:aws:iam::${ACCOUNT_A}:user/\${aws:username}`,
  'arn:aws:iam::*:role/dev',
  `arn:aws:iam::${ACCOUNT_A}:role/d?v`,
  `arn:aws:iam::${ACCOUNT_B}:role/*`,
  `arn:aws:kms:*:${ACCOUNT_A}:key/*`,
  'arn:aws:kms:eu-west-1:*:key/*',
  `arn:aws:ec2:us-east-1:${ACCOUNT_A}:instance/*`,
  'arn:aws:ec2:*:*:instance/i-0fedcba9876543210',
];

const PRINCIPAL_VALUES: readonly unknown[] = [
  '*',
  { AWS: '*' },
  { AWS: ACCOUNT_A },
  { AWS: `arn:aws:iam::${ACCOUNT_A}:root` },
  { AWS: ACCOUNT_B },
  { AWS: `arn:aws:iam::${ACCOUNT_B}:root` },
  { AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` },
  { AWS: `arn:aws:iam::${ACCOUNT_B}:user/bob` },
  { AWS: `arn:aws:iam::${ACCOUNT_A}:role/dev` },
  { AWS: `arn:aws:sts::${ACCOUNT_A}:assumed-role/dev/alice-session` },
  { AWS: `arn:aws:iam::${ACCOUNT_B}:role/ops` },
  { AWS: [`arn:aws:iam::${ACCOUNT_A}:user/alice`, `arn:aws:iam::${ACCOUNT_B}:root`] },
  { Service: 'ec2.amazonaws.com' },
];

/** One condition clause: operator, key, values. */
interface ClauseTemplate {
  readonly ops: readonly string[];
  readonly key: string;
  readonly values: readonly (readonly string[])[];
  /** Operators that take no IfExists / set prefix (Null). */
  readonly plain?: boolean;
  /** Multi-valued key: gets a ForAnyValue/ForAllValues prefix. */
  readonly set?: boolean;
}

const STRING_OPS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
];
const NUMERIC_OPS = [
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
];
const DATE_OPS = [
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
];
const ARN_OPS = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'];

const CLAUSES: readonly ClauseTemplate[] = [
  {
    ops: STRING_OPS,
    key: 'aws:username',
    values: [['alice'], ['bob'], ['al*'], ['ALICE'], ['alice', 'bob']],
  },
  { ops: STRING_OPS, key: 'aws:PrincipalTag/team', values: [['blue'], ['red'], ['b*'], ['BLUE']] },
  {
    ops: STRING_OPS,
    key: 'aws:RequestedRegion',
    values: [['us-east-1'], ['eu-*'], ['us-east-1', 'eu-west-1']],
  },
  { ops: STRING_OPS, key: 's3:prefix', values: [['home/'], ['home/${aws:username}/*'], ['public/*']] },
  { ops: STRING_OPS, key: 'aws:PrincipalAccount', values: [[ACCOUNT_A], [ACCOUNT_B]] },
  { ops: STRING_OPS, key: 'aws:PrincipalOrgID', values: [[ORG_ID], ['o-other']] },
  { ops: STRING_OPS, key: 'aws:RequestTag/env', values: [['prod'], ['dev'], ['${aws:PrincipalTag/team}']] },
  { ops: NUMERIC_OPS, key: 'aws:MultiFactorAuthAge', values: [['3600'], ['30'], ['0']] },
  {
    ops: DATE_OPS,
    key: 'aws:CurrentTime',
    values: [['2024-01-01T00:00:00Z'], ['2023-06-01T00:00:00Z'], ['1700000000'], ['2025-01-01']],
  },
  { ops: DATE_OPS, key: 'aws:TokenIssueTime', values: [['2024-01-01T00:00:00Z']] },
  { ops: ['Bool'], key: 'aws:SecureTransport', values: [['true'], ['false']] },
  { ops: ['Bool'], key: 'aws:MultiFactorAuthPresent', values: [['true'], ['false']] },
  {
    ops: ['IpAddress', 'NotIpAddress'],
    key: 'aws:SourceIp',
    values: [['203.0.113.0/24'], ['198.51.100.7'], ['10.0.0.0/8', '2001:db8::/32'], ['203.0.113.5/32']],
  },
  {
    ops: ARN_OPS,
    key: 'aws:PrincipalArn',
    values: [
      [`arn:aws:iam::${ACCOUNT_A}:user/alice`],
      [`arn:aws:iam::${ACCOUNT_A}:role/*`],
      ['arn:aws:iam::*:user/*'],
      [`arn:aws:iam::${ACCOUNT_B}:*`],
    ],
  },
  {
    ops: ARN_OPS,
    key: 'aws:SourceArn',
    values: [['arn:aws:s3:::bucket-a'], [`arn:aws:sns:*:${ACCOUNT_A}:*`]],
  },
  {
    ops: ['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike'],
    key: 'aws:TagKeys',
    values: [['env'], ['env', 'team'], ['own*']],
    set: true,
  },
  {
    ops: ['StringEquals', 'StringLike'],
    key: 'aws:CalledVia',
    values: [['cloudformation.amazonaws.com'], ['athena.amazonaws.com']],
    set: true,
  },
  {
    ops: ['Null'],
    key: 'aws:MultiFactorAuthAge',
    values: [['true'], ['false']],
    plain: true,
  },
  { ops: ['Null'], key: 'aws:PrincipalTag/team', values: [['true'], ['false']], plain: true },
  { ops: ['Null'], key: 'aws:TagKeys', values: [['true'], ['false']], plain: true },
  { ops: ['Null'], key: 'aws:SourceIp', values: [['true'], ['false']], plain: true },
];

/** Randomly re-cases a string (for case-insensitive names: actions, condition keys, operators). */
export function recase(text: string, seed: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    out += ((seed >> (i % 30)) & 1) === 1 ? ch.toUpperCase() : ch.toLowerCase();
  }
  return out;
}

const clauseArb: fc.Arbitrary<{ op: string; key: string; values: readonly string[] }> = fc
  .constantFrom(...CLAUSES)
  .chain((t) =>
    fc
      .record({
        base: fc.constantFrom(...t.ops),
        values: fc.constantFrom(...t.values),
        ifExists: t.plain ? fc.constant(false) : fc.boolean(),
        set: t.set ? fc.constantFrom('ForAnyValue:', 'ForAllValues:', '') : fc.constant(''),
        keyCase: fc.nat(),
      })
      .map((c) => ({
        op: `${c.set}${c.base}${c.ifExists ? 'IfExists' : ''}`,
        // condition keys are case-insensitive: re-case one in five
        key: c.keyCase % 5 === 0 ? recase(t.key, c.keyCase) : t.key,
        values: c.values,
      })),
  );

/** A `Condition` block: operator → key → values (values as a string when there is one). */
function conditionBlock(clauses: readonly { op: string; key: string; values: readonly string[] }[]) {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const c of clauses) {
    const byKey = block[c.op] ?? {};
    byKey[c.key] = c.values.length === 1 ? (c.values[0] as string) : [...c.values];
    block[c.op] = byKey;
  }
  return block;
}

export type PolicyKind = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'rcp' | 'endpoint';

/** `arb` with the given probability (percent), otherwise undefined. */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.integer({ min: 0, max: 99 }).chain((n) => (n < percent ? arb : fc.constant(undefined)));

const oneOrMany = <T>(arb: fc.Arbitrary<T>, max: number): fc.Arbitrary<T | T[]> =>
  fc.oneof(
    { weight: 3, arbitrary: arb },
    { weight: 2, arbitrary: fc.array(arb, { minLength: 1, maxLength: max }) },
  );

export interface StatementOptions {
  readonly kind: PolicyKind;
  readonly effect?: 'Allow' | 'Deny';
  /** The request being generated for: its action and resource are drawn more often, so statements match. */
  readonly focus?: { readonly action: string; readonly resource: string };
}

function actionPatternArb(kind: PolicyKind, focus: StatementOptions['focus']): fc.Arbitrary<string> {
  // RCPs may not use `"Action": "*"`.
  const patterns = kind === 'rcp' ? ACTION_PATTERNS.filter((a) => a !== '*') : ACTION_PATTERNS;
  if (!focus) return fc.constantFrom(...patterns);
  const service = focus.action.split(':')[0] ?? '*';
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(focus.action) },
    { weight: 1, arbitrary: fc.constant(`${service}:*`) },
    { weight: 4, arbitrary: fc.constantFrom(...patterns) },
  );
}

function resourcePatternArb(focus: StatementOptions['focus']): fc.Arbitrary<string> {
  if (!focus) return fc.constantFrom(...RESOURCE_PATTERNS);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(focus.resource) },
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 4, arbitrary: fc.constantFrom(...RESOURCE_PATTERNS) },
  );
}

/** One statement, shaped by where it will be attached. */
export function statementArb(options: StatementOptions): fc.Arbitrary<Record<string, unknown>> {
  const { kind } = options;
  const hasPrincipal = kind === 'resource' || kind === 'rcp' || kind === 'endpoint';
  return fc
    .record({
      // Custom RCPs may only deny (RCPFullAWSAccess is the one allow, attached by AWS).
      effect: options.effect
        ? fc.constant(options.effect)
        : kind === 'rcp'
          ? fc.constant('Deny' as const)
          : fc.oneof({ weight: 5, arbitrary: fc.constant('Allow' as const) }, fc.constant('Deny' as const)),
      notAction: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      actions: oneOrMany(actionPatternArb(kind, options.focus), 3),
      actionCase: fc.nat(),
      notResource: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      resources: oneOrMany(resourcePatternArb(options.focus), 3),
      principal: fc.constantFrom(...PRINCIPAL_VALUES),
      notPrincipal: fc.integer({ min: 0, max: 11 }).map((n) => n === 0),
      conditions: fc.oneof(fc.constant([]), fc.array(clauseArb, { minLength: 1, maxLength: 2 })),
      sid: fc.option(fc.constantFrom('S1', 'AllowThings', 'DenyOthers'), { nil: undefined }),
    })
    .map((s) => {
      const st: Record<string, unknown> = {};
      if (s.sid !== undefined) st.Sid = s.sid;
      st.Effect = s.effect;
      if (hasPrincipal) {
        if (kind === 'rcp') st.Principal = '*';
        else if (kind === 'endpoint') st.Principal = '*';
        // NotPrincipal only with Deny: "Using it with Allow is not supported" (docs/divergences.md#notprincipal-allow).
        else if (
          s.notPrincipal &&
          s.effect === 'Deny' &&
          s.principal !== '*' &&
          !(s.principal as { Service?: string }).Service
        )
          st.NotPrincipal = s.principal;
        else st.Principal = s.principal;
      }
      // Action names are case-insensitive: re-case some of them.
      const actions = Array.isArray(s.actions)
        ? s.actions.map((a, i) => (s.actionCase % 4 === 0 ? recase(a, s.actionCase + i) : a))
        : s.actionCase % 4 === 0
          ? recase(s.actions, s.actionCase)
          : s.actions;
      if (s.notAction && kind !== 'rcp') st.NotAction = actions;
      else st.Action = actions;
      if (s.notResource) st.NotResource = s.resources;
      else st.Resource = s.resources;
      if (s.conditions.length > 0) st.Condition = conditionBlock(s.conditions);
      return st;
    });
}

/** A policy document. Mostly 2012-10-17; sometimes 2008-10-17, where variables are literal text. */
export function policyArb(
  kind: PolicyKind,
  maxStatements = 3,
  focus?: StatementOptions['focus'],
): fc.Arbitrary<PolicyDocument> {
  return fc
    .record({
      // SCPs and RCPs must be 2012-10-17 (our parser refuses anything else for them).
      version:
        kind === 'rcp' || kind === 'scp'
          ? fc.constant('2012-10-17')
          : fc.constantFrom('2012-10-17', '2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17'),
      statements: fc.array(statementArb(focus ? { kind, focus } : { kind }), {
        minLength: 1,
        maxLength: maxStatements,
      }),
      single: fc.boolean(),
    })
    .map(({ version, statements, single }) => {
      // Sids must be unique within a policy.
      const seen = new Set<unknown>();
      const unique = statements.map((st, i) => {
        if (st.Sid === undefined) return st;
        const sid = seen.has(st.Sid) ? `${String(st.Sid)}${i}` : st.Sid;
        seen.add(sid);
        return { ...st, Sid: sid };
      });
      return { Version: version, Statement: single && unique.length === 1 ? unique[0] : unique };
    });
}

/** Allow-everything policy (the FullAWSAccess SCP / RCPFullAWSAccess). */
export function fullAccess(kind: 'scp' | 'rcp'): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      kind === 'rcp'
        ? { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }
        : { Effect: 'Allow', Action: '*', Resource: '*' },
    ],
  };
}

/**
 * An SCP/RCP hierarchy: 1-3 levels. Each level usually has the full-access policy (AWS attaches it
 * by default; RCPFullAWSAccess cannot be detached) plus guardrails; SCP levels sometimes replace
 * it with an allow list.
 */
function orgLevelsArb(
  kind: 'scp' | 'rcp',
  focus: StatementOptions['focus'],
): fc.Arbitrary<PolicyDocument[][]> {
  const level = fc
    .record({
      keepFullAccess: kind === 'rcp' ? fc.constant(true) : fc.integer({ min: 0, max: 5 }).map((n) => n !== 0),
      extra: sometimes(policyArb(kind, 2, focus), kind === 'rcp' ? 60 : 35).map((p) => (p ? [p] : [])),
    })
    .map(({ keepFullAccess, extra }) => (keepFullAccess ? [fullAccess(kind), ...extra] : extra));
  return fc.array(level, { minLength: 1, maxLength: 3 });
}

const CONTEXT_CHOICES: readonly (readonly [string, readonly ContextValueInput[]])[] = [
  ['aws:SourceIp', ['203.0.113.5', '198.51.100.7', '10.1.2.3', '2001:db8::1']],
  ['aws:CurrentTime', ['2023-06-01T00:00:00Z', '2025-01-01T12:00:00Z', '2024-01-01T00:00:00Z']],
  ['aws:SecureTransport', ['true', 'false']],
  ['aws:MultiFactorAuthPresent', ['true', 'false']],
  ['aws:MultiFactorAuthAge', ['30', '7200', '3600']],
  ['aws:TokenIssueTime', ['2023-12-31T23:00:00Z', '2024-06-01T00:00:00Z']],
  ['aws:RequestedRegion', ['us-east-1', 'eu-west-1']],
  ['aws:TagKeys', [['env'], ['env', 'team'], ['owner'], ['Env']]],
  ['aws:RequestTag/env', ['prod', 'dev', 'blue']],
  [
    'aws:CalledVia',
    [['cloudformation.amazonaws.com'], ['athena.amazonaws.com', 'cloudformation.amazonaws.com']],
  ],
  ['aws:SourceArn', ['arn:aws:s3:::bucket-a', `arn:aws:sns:us-east-1:${ACCOUNT_A}:topic`]],
  ['s3:prefix', ['home/alice/', 'public/x', 'home/']],
];

/** Context keys AWS derives from the principal: always present and consistent with it. */
export function principalContext(p: PrincipalFixture, orgMember: boolean): Record<string, ContextValueInput> {
  const ctx: Record<string, ContextValueInput> = {
    'aws:PrincipalArn': p.principalArn,
    'aws:PrincipalAccount': p.account,
  };
  if (p.username !== undefined) ctx['aws:username'] = p.username;
  if (p.team !== undefined) ctx['aws:PrincipalTag/team'] = p.team;
  if (orgMember) ctx['aws:PrincipalOrgID'] = ORG_ID;
  return ctx;
}

const contextArb: fc.Arbitrary<Record<string, ContextValueInput>> = fc
  .array(
    fc
      .constantFrom(...CONTEXT_CHOICES)
      .chain(([key, values]) => fc.constantFrom(...values).map((v) => [key, v] as const)),
    { maxLength: 5 },
  )
  .map((entries) => {
    const ctx: Record<string, ContextValueInput> = {};
    for (const [k, v] of entries) ctx[k] = v;
    return ctx;
  });

export interface RequestShape {
  /** Include the anonymous principal. */
  readonly anonymous?: boolean;
  /** Include actions no catalogue knows. */
  readonly unknownActions?: boolean;
  /** Include session and endpoint policies. */
  readonly sessionAndEndpoint?: boolean;
}

/** A whole request file entry. */
export function requestArb(shape: RequestShape = {}): fc.Arbitrary<SimulateRequest> {
  const actions = shape.unknownActions ? [...ACTIONS, UNKNOWN_ACTION] : ACTIONS;
  const target = fc.record({
    principalIndex: fc.integer({ min: 0, max: shape.anonymous ? PRINCIPALS.length : PRINCIPALS.length - 1 }),
    action: fc.constantFrom(...actions),
    resourceIndex: fc.nat(),
  });
  return target.chain(({ principalIndex, action: fixture, resourceIndex }) => {
    const [resource, resourceAccount] = fixture.resources[
      resourceIndex % fixture.resources.length
    ] as readonly [string, string | undefined];
    const focus = { action: fixture.action, resource };
    return fc
      .record({
        actionCase: fc.nat(),
        orgMember: fc.boolean(),
        context: contextArb,
        identity: fc.array(policyArb('identity', 3, focus), { maxLength: 3 }),
        resource: sometimes(policyArb('resource', 3, focus), 50),
        boundary: sometimes(fc.array(policyArb('boundary', 2, focus), { minLength: 1, maxLength: 2 }), 30),
        session: sometimes(policyArb('session', 2, focus), 35),
        scp: sometimes(orgLevelsArb('scp', focus), 45),
        rcp: sometimes(orgLevelsArb('rcp', focus), 35),
        endpoint: sometimes(fc.array(policyArb('endpoint', 2, focus), { minLength: 1, maxLength: 1 }), 20),
      })
      .map((g): SimulateRequest => {
        const principal = PRINCIPALS[principalIndex];
        const action = g.actionCase % 5 === 0 ? recase(fixture.action, g.actionCase) : fixture.action;
        const policies: {
          -readonly [K in keyof SimulateRequest['policies']]: SimulateRequest['policies'][K];
        } = {};
        if (principal) {
          if (g.identity.length > 0) policies.identity = g.identity;
          if (g.boundary) policies.boundary = g.boundary;
          if (g.scp) policies.scp = g.scp;
          if (shape.sessionAndEndpoint && g.session && principal.kind !== 'user')
            policies.session = g.session;
        }
        if (g.resource) policies.resource = g.resource;
        if (g.rcp) policies.rcp = g.rcp;
        if (shape.sessionAndEndpoint && g.endpoint) policies.endpoint = g.endpoint;
        const context = principal ? { ...g.context, ...principalContext(principal, g.orgMember) } : g.context;
        return {
          principal: principal ? principal.arn : 'anonymous',
          action,
          resource,
          // Resources without an account in their ARN (S3, `*`) belong to the principal's account.
          resourceAccount: resourceAccount ?? principal?.account ?? ACCOUNT_A,
          context,
          policies,
        };
      });
  });
}
