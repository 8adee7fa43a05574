import type { InputError } from './errors.js';
import type { PolicyIssue } from './issue.js';
import type { NamedPolicy, PolicyType } from './policy.js';

/**
 * The organization graph a snapshot loads into: plain readonly data, keyed by ARN. Everything named
 * by the account owner (names, tags, paths) is attacker-controlled and lives in Maps. Account IDs
 * are strings (they have leading zeros).
 */

/** How a stored policy is attached; decides how it is evaluated and what reports call it. */
export type PolicyKind = 'aws-managed' | 'customer-managed' | 'inline' | 'trust' | 'resource' | 'scp' | 'rcp';

/**
 * A policy as loaded from a snapshot. Always has a `policy` so it can be handed to the engine
 * (`EvaluablePolicy`); when the document could not be read at all, `readable` is false, `policy`
 * has no statements and `issues` holds the ERROR: the engine then answers `Unknown`, never Allow.
 */
export interface StoredPolicy extends NamedPolicy {
  readonly kind: PolicyKind;
  readonly type: PolicyType;
  /** `file#JSON.path`, e.g. `…/iam-get-account-authorization-details.json#RoleDetailList[3].RolePolicyList[0]`. */
  readonly source: string;
  /** Managed policies, SCPs/RCPs: the policy ARN. */
  readonly arn?: string;
  readonly issues: readonly PolicyIssue[];
  /** No ERROR issue. */
  readonly ok: boolean;
  readonly readable: boolean;
}

/** A customer- or AWS-managed policy: one parsed document (the default version), shared by all attachments. */
export interface ManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly id?: string;
  readonly path?: string;
  readonly awsManaged: boolean;
  readonly defaultVersionId?: string;
  readonly attachmentCount?: number;
  readonly permissionsBoundaryUsageCount?: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly description?: string;
  /** Absent when the export lists the policy without its default version's document. */
  readonly document?: StoredPolicy;
}

/** An attachment by reference: look the document up in `Account.managedPolicies` by `arn`. */
export interface PolicyAttachment {
  readonly arn: string;
  readonly name: string;
}

export type PrincipalKind = 'root' | 'user' | 'group' | 'role';

export type RoleCategory =
  | 'service-linked'
  | 'sso'
  | 'service'
  | 'cross-account'
  | 'federated'
  | 'same-account'
  | 'mixed'
  | 'unknown';

/** Who a trust policy lets assume the role (Allow statements only; conditions are not judged here). */
export interface TrustSummary {
  readonly sameAccount: boolean;
  /** Account IDs other than the role's own, sorted. */
  readonly otherAccounts: readonly string[];
  /** Service principals, sorted. */
  readonly services: readonly string[];
  /** SAML/OIDC provider ARNs or names (`cognito-identity.amazonaws.com`), sorted. */
  readonly federated: readonly string[];
  /** `Principal: "*"` or `{"AWS": "*"}`: anyone, subject to conditions. */
  readonly anyone: boolean;
  /** An Allow statement is conditioned (the summary over-approximates). */
  readonly conditional: boolean;
}

interface PrincipalBase {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly id?: string;
  readonly path?: string;
  readonly createdAt?: string;
  readonly tags: ReadonlyMap<string, string>;
  /** Where the principal was read from (`file#JSON.path`). */
  readonly source: string;
}

export interface HumanClassification {
  readonly human: boolean;
  /** One phrase: why, e.g. `console password`, `AWSReservedSSO_ role`, `service trust`. */
  readonly humanReason: string;
}

export interface RootPrincipal extends PrincipalBase, HumanClassification {
  readonly kind: 'root';
  /** The credential report's `<root_account>` row, when the report was loaded. */
  readonly credentials?: CredentialReportRow;
}

export interface UserPrincipal extends PrincipalBase, HumanClassification {
  readonly kind: 'user';
  /** Group names as the export lists them. */
  readonly groups: readonly string[];
  readonly attachedPolicies: readonly PolicyAttachment[];
  readonly inlinePolicies: readonly StoredPolicy[];
  readonly permissionsBoundary?: PolicyAttachment;
  readonly credentials?: CredentialReportRow;
  /** From `iam-list-access-keys/<user>` when collected: key IDs (never secrets). */
  readonly accessKeys?: readonly AccessKeyMetadata[];
  readonly mfaDevices?: readonly MfaDevice[];
}

export interface GroupPrincipal extends PrincipalBase {
  readonly kind: 'group';
  /** ARNs of the users in this group, sorted. */
  readonly members: readonly string[];
  readonly attachedPolicies: readonly PolicyAttachment[];
  readonly inlinePolicies: readonly StoredPolicy[];
}

export interface RolePrincipal extends PrincipalBase, HumanClassification {
  readonly kind: 'role';
  readonly roleCategory: RoleCategory;
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly attachedPolicies: readonly PolicyAttachment[];
  readonly inlinePolicies: readonly StoredPolicy[];
  readonly permissionsBoundary?: PolicyAttachment;
  /** Absent when the export has no AssumeRolePolicyDocument for the role. */
  readonly trustPolicy?: StoredPolicy;
  readonly trust: TrustSummary;
  readonly lastUsed?: { readonly date?: string; readonly region?: string };
  readonly instanceProfiles: readonly string[];
}

export type Principal = RootPrincipal | UserPrincipal | GroupPrincipal | RolePrincipal;
export type Identity = RootPrincipal | UserPrincipal | RolePrincipal;

export interface AccessKeyMetadata {
  readonly accessKeyId: string;
  readonly status: string;
  readonly createdAt?: string;
}

export interface MfaDevice {
  readonly serialNumber: string;
  readonly enabledAt?: string;
}

/** Special values the credential report writes instead of a date or boolean. */
export type CredentialSpecialValue = 'N/A' | 'no_information' | 'not_supported';

export interface CredentialReportKey {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated: string | null;
  readonly lastUsedDate: string | null;
  readonly lastUsedRegion: string | null;
  readonly lastUsedService: string | null;
}

export interface CredentialReportCert {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated: string | null;
}

/**
 * One credential report row. Dates are ISO strings or null; `raw` keeps every column exactly as
 * written so `N/A` (not applicable), `no_information` (never used) and `not_supported` (root)
 * stay distinguishable.
 */
export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  readonly isRoot: boolean;
  readonly userCreationTime: string | null;
  /** `not_supported` for the root user, whose password the report does not describe. */
  readonly passwordEnabled: boolean | 'not_supported';
  readonly passwordLastUsed: string | null;
  readonly passwordLastChanged: string | null;
  readonly passwordNextRotation: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly [CredentialReportKey, CredentialReportKey];
  readonly certificates: readonly [CredentialReportCert, CredentialReportCert];
  readonly raw: ReadonlyMap<string, string>;
  /** 1-based line in the CSV. */
  readonly line: number;
}

export interface CredentialReport {
  readonly generatedTime?: string;
  readonly source: string;
  /** Keyed by ARN; the root row is also in `root`. */
  readonly rows: ReadonlyMap<string, CredentialReportRow>;
  readonly root?: CredentialReportRow;
}

/** `GetAccountPasswordPolicy`'s PasswordPolicy, member names lower-camel-cased. */
export interface PasswordPolicyValue {
  readonly minimumPasswordLength?: number;
  readonly requireSymbols?: boolean;
  readonly requireNumbers?: boolean;
  readonly requireUppercaseCharacters?: boolean;
  readonly requireLowercaseCharacters?: boolean;
  readonly allowUsersToChangePassword?: boolean;
  readonly expirePasswords?: boolean;
  readonly maxPasswordAge?: number;
  readonly passwordReusePrevention?: number;
  readonly hardExpiry?: boolean;
}

export type PasswordPolicyState =
  | { readonly state: 'set'; readonly value: PasswordPolicyValue; readonly source: string }
  /** The account has no password policy (AWS defaults apply). */
  | { readonly state: 'none'; readonly source?: string }
  /** Not collected: a gap is recorded. */
  | { readonly state: 'unknown' };

export interface ServiceLastAccessed {
  readonly namespace: string;
  readonly name?: string;
  /** Null when never accessed within the tracking period. */
  readonly lastAuthenticated: string | null;
  readonly lastAuthenticatedEntity?: string;
  readonly lastAuthenticatedRegion?: string;
  readonly totalAuthenticatedEntities?: number;
}

export interface LastAccessed {
  readonly principalArn: string;
  readonly jobCompletionDate?: string;
  readonly services: readonly ServiceLastAccessed[];
  readonly source: string;
}

export type ResourceService = 's3' | 'kms' | 'sqs' | 'sns' | 'lambda' | 'ecr' | 'secretsmanager';

export interface Resource {
  readonly arn: string;
  readonly service: ResourceService;
  readonly name: string;
  readonly accountId: string;
  readonly region?: string;
  /** Absent: the resource has no resource policy. */
  readonly policy?: StoredPolicy;
  /** S3 only: the bucket's public access block, when collected. */
  readonly publicAccessBlock?: Readonly<Record<string, boolean>>;
  readonly source: string;
}

export type GapReason =
  | 'access-denied'
  | 'throttled'
  | 'error'
  | 'not-collected'
  | 'missing'
  | 'unreadable'
  | 'truncated';

/**
 * Something the snapshot does not tell us. A check that needs the artifact reports `unknown`.
 * `artifact` is the CLI-command name (`iam-get-credential-report`, `organizations`, …).
 */
export interface Gap {
  readonly account?: string;
  readonly region?: string;
  readonly artifact: string;
  readonly target?: string;
  readonly call?: string;
  readonly reason: GapReason;
  readonly message: string;
}

export interface OrgUnit {
  readonly id: string;
  readonly name?: string;
  readonly arn?: string;
  readonly kind: 'root' | 'ou';
  readonly parentId?: string;
  /** OU ids directly below, sorted. */
  readonly children: readonly string[];
  /** Account ids directly below, sorted. */
  readonly accounts: readonly string[];
}

export interface OrgPolicy {
  readonly id: string;
  readonly name: string;
  readonly arn?: string;
  readonly type: 'scp' | 'rcp';
  readonly awsManaged: boolean;
  readonly description?: string;
  /** Absent when DescribePolicy was not collected (a gap is recorded). */
  readonly document?: StoredPolicy;
  /** Root, OU and account ids the policy is attached to, sorted; undefined when not collected. */
  readonly targets?: readonly string[];
}

export interface Organization {
  readonly id?: string;
  readonly managementAccountId?: string;
  readonly rootId?: string;
  readonly units: ReadonlyMap<string, OrgUnit>;
  readonly policies: ReadonlyMap<string, OrgPolicy>;
  /** Accounts named by Organizations (including ones not in the snapshot): id → name. */
  readonly accountNames: ReadonlyMap<string, string>;
}

/** `known`: the levels are complete; `disabled`: the policy type is off (no layer); `unknown`: gap. */
export type GuardrailState = 'known' | 'disabled' | 'unknown';

export interface Account {
  readonly id: string;
  readonly name?: string;
  readonly alias?: string;
  readonly partition: string;
  /** Root id then each OU id down to the account's parent; empty when unknown. */
  readonly orgPath: readonly string[];
  readonly isManagementAccount: boolean;
  readonly scpState: GuardrailState;
  readonly rcpState: GuardrailState;
  /** Root first, then each OU, then the account's own; empty unless `scpState` is `known`. */
  readonly scpLevels: readonly (readonly StoredPolicy[])[];
  readonly rcpLevels: readonly (readonly StoredPolicy[])[];
  readonly root: RootPrincipal;
  readonly users: ReadonlyMap<string, UserPrincipal>;
  readonly groups: ReadonlyMap<string, GroupPrincipal>;
  readonly roles: ReadonlyMap<string, RolePrincipal>;
  readonly managedPolicies: ReadonlyMap<string, ManagedPolicy>;
  readonly resources: ReadonlyMap<string, Resource>;
  readonly passwordPolicy: PasswordPolicyState;
  readonly credentialReport?: CredentialReport;
  /** Keyed by principal ARN. */
  readonly lastAccessed: ReadonlyMap<string, LastAccessed>;
  readonly accessAnalyzers?: readonly {
    readonly arn: string;
    readonly type?: string;
    readonly status?: string;
  }[];
  /** Regions that had any data. */
  readonly regions: readonly string[];
  readonly gaps: readonly Gap[];
  /** The folder or files the account was read from. */
  readonly source: string;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface LoadSummary {
  readonly filesLoaded: number;
  readonly filesSkipped: number;
  readonly filesFailed: number;
  readonly skipped: readonly SkippedFile[];
  /** One per file that could not be read; the other files still loaded. */
  readonly errors: readonly InputError[];
  /** Policy documents stored with at least one ERROR issue. */
  readonly policiesWithErrors: number;
  readonly counts: {
    readonly accounts: number;
    readonly users: number;
    readonly groups: number;
    readonly roles: number;
    readonly managedPolicies: number;
    readonly resources: number;
  };
  readonly millis: number;
}

export type SnapshotLayout = 'leastpriv' | 'cloudmapper' | 'files';

export interface OrgSnapshot {
  readonly schemaVersion: 1;
  readonly source: { readonly layout: SnapshotLayout; readonly paths: readonly string[] };
  readonly collectedAt?: string;
  readonly organization?: Organization;
  /** Keyed by account id. */
  readonly accounts: ReadonlyMap<string, Account>;
  /** Every gap, including each account's. */
  readonly gaps: readonly Gap[];
  readonly load: LoadSummary;
}
