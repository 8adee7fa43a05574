import type {
  AccessKeyMetadata,
  CredentialReport,
  Gap,
  LastAccessed,
  ManagedPolicy,
  MfaDevice,
  PasswordPolicyState,
  PolicyAttachment,
  Resource,
  ResourceService,
  StoredPolicy,
} from '../../model/account.js';

/** What a loader knows about one account while files are still being read. Mutable; frozen by `finishAccount`. */

export interface PrincipalDraft {
  readonly arn: string;
  readonly name: string;
  readonly id?: string;
  readonly path?: string;
  readonly createdAt?: string;
  readonly tags: ReadonlyMap<string, string>;
  readonly source: string;
  readonly attachedPolicies: readonly PolicyAttachment[];
  readonly inlinePolicies: readonly StoredPolicy[];
}

/**
 * Each draft carries its `kind` as its first member, so that finishing it is adding the account's
 * members to it in place (as a `{kind, ...draft, accountId, …}` copy would order them), not copying
 * every principal of a large export.
 */
export interface UserDraft extends PrincipalDraft {
  readonly kind: 'user';
  readonly groups: readonly string[];
  readonly permissionsBoundary?: PolicyAttachment;
}

export interface GroupDraft extends PrincipalDraft {
  readonly kind: 'group';
}

export interface RoleDraft extends PrincipalDraft {
  readonly kind: 'role';
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly permissionsBoundary?: PolicyAttachment;
  readonly trustPolicy?: StoredPolicy;
  readonly lastUsed?: { readonly date?: string; readonly region?: string };
  readonly instanceProfiles: readonly string[];
}

export interface AccountDraft {
  id: string;
  /** The id was guessed (no ARN or folder name gave it). */
  idUnknown: boolean;
  name?: string;
  alias?: string;
  partition: string;
  readonly sources: Set<string>;
  readonly regions: Set<string>;
  readonly users: Map<string, UserDraft>;
  readonly groups: Map<string, GroupDraft>;
  readonly roles: Map<string, RoleDraft>;
  readonly managedPolicies: Map<string, ManagedPolicy>;
  readonly resources: Map<string, Resource>;
  /** Services whose resource listing was seen, so a missing per-resource file means "no policy". */
  readonly resourceServicesListed: Set<ResourceService>;
  authzPages: number;
  authzTruncatedPages: number;
  authzFinalPages: number;
  passwordPolicy?: PasswordPolicyState;
  credentialReport?: CredentialReport;
  readonly lastAccessed: Map<string, LastAccessed>;
  lastAccessedSeen: boolean;
  /** Keyed by user name. */
  readonly accessKeys: Map<string, AccessKeyMetadata[]>;
  readonly mfaDevices: Map<string, MfaDevice[]>;
  accessAnalyzers?: { arn: string; type?: string; status?: string }[];
  /** From the manifest: the collector wrote this account (absence of files then means "none"). */
  collectedByLeastpriv: boolean;
  readonly gaps: Gap[];
}

export function newAccountDraft(id: string, source: string, idUnknown = false): AccountDraft {
  return {
    id,
    idUnknown,
    partition: 'aws',
    sources: new Set([source]),
    regions: new Set(),
    users: new Map(),
    groups: new Map(),
    roles: new Map(),
    managedPolicies: new Map(),
    resources: new Map(),
    resourceServicesListed: new Set(),
    authzPages: 0,
    authzTruncatedPages: 0,
    authzFinalPages: 0,
    lastAccessed: new Map(),
    lastAccessedSeen: false,
    accessKeys: new Map(),
    mfaDevices: new Map(),
    collectedByLeastpriv: false,
    gaps: [],
  };
}
