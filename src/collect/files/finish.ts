import type {
  Account,
  Gap,
  GroupPrincipal,
  GuardrailState,
  RolePrincipal,
  RootPrincipal,
  StoredPolicy,
  TrustSummary,
  UserPrincipal,
} from '../../model/account.js';
import { classifyRole, classifyUser, summariseTrust } from './classify.js';
import type { AccountDraft, RoleDraft, UserDraft } from './draft.js';

/** Where the account sits in the organization, computed by `organizations.ts` (or unknown). */
export interface Placement {
  readonly orgPath: readonly string[];
  readonly isManagementAccount: boolean;
  readonly name?: string;
  readonly scpState: GuardrailState;
  readonly rcpState: GuardrailState;
  readonly scpLevels: readonly (readonly StoredPolicy[])[];
  readonly rcpLevels: readonly (readonly StoredPolicy[])[];
  readonly gaps: readonly Gap[];
}

export const UNKNOWN_PLACEMENT: Placement = {
  orgPath: [],
  isManagementAccount: false,
  scpState: 'unknown',
  rcpState: 'unknown',
  scpLevels: [],
  rcpLevels: [],
  gaps: [],
};

/**
 * The map in key order. Keys sorted on their own (the default order is UTF-16 code units, as `<`
 * compares strings): sorting the entries made a pair per member.
 */
function byKey<T>(map: ReadonlyMap<string, T>): Map<string, T> {
  const keys = [...map.keys()].sort();
  const out = new Map<string, T>();
  for (const key of keys) out.set(key, map.get(key) as T);
  return out;
}

/**
 * A principal draft, to be finished by adding members to it. Drafts start with their kind (see
 * draft.ts), so the members come out in the order a `{kind, ...draft, accountId, …}` copy gave,
 * without copying every principal of a large export; the draft is not used again. Members are
 * added by name, never with `Object.assign` or `obj[key] =`: V8 turns an object given more than a
 * dozen out-of-object members through keyed stores into a slow hash-table object.
 */
function inPlace<T>(draft: UserDraft | RoleDraft): { -readonly [K in keyof T]: T[K] } {
  return draft as unknown as { -readonly [K in keyof T]: T[K] };
}

/** Freezes a draft into an Account, linking credentials to users and recording every missing artifact as a gap. */
export function finishAccount(draft: AccountDraft, placement: Placement): Account {
  const id = draft.id;
  const gaps: Gap[] = [...draft.gaps, ...placement.gaps];
  const gap = (artifact: string, message: string, reason: Gap['reason'] = 'missing') => {
    if (!gaps.some((g) => g.artifact === artifact && g.target === undefined))
      gaps.push({ account: id, artifact, reason, message });
  };

  if (draft.authzPages === 0)
    gap(
      'iam-get-account-authorization-details',
      'No authorization-details export: users, groups, roles and their policies are unknown',
    );
  else if (draft.authzFinalPages === 0)
    gap(
      'iam-get-account-authorization-details',
      'The authorization-details export is truncated (IsTruncated: true): later pages are missing',
      'truncated',
    );
  const report = draft.credentialReport;
  if (report === undefined)
    gap('iam-get-credential-report', 'No credential report: passwords, MFA and access-key ages are unknown');
  let passwordPolicy = draft.passwordPolicy;
  if (passwordPolicy === undefined) {
    // The leastpriv collector writes no file when the account has no policy (NoSuchEntity).
    if (draft.collectedByLeastpriv && !gaps.some((g) => g.artifact === 'iam-get-account-password-policy'))
      passwordPolicy = { state: 'none' };
    else {
      passwordPolicy = { state: 'unknown' };
      gap('iam-get-account-password-policy', 'No password policy response: whether one is set is unknown');
    }
  }
  if (!draft.lastAccessedSeen)
    gap(
      'iam-get-service-last-accessed-details',
      'No service-last-accessed data: unused permissions are unknown',
    );

  const rows = report?.rows;
  const rowByName = new Map<string, NonNullable<typeof report>['root']>();
  for (const row of rows?.values() ?? []) rowByName.set(row.user, row);

  const users = new Map<string, UserPrincipal>();
  for (const [arn, u] of byKey(draft.users)) {
    const credentials = rows?.get(arn) ?? rowByName.get(u.name);
    const keys = draft.accessKeys.get(u.name);
    const mfa = draft.mfaDevices.get(u.name);
    const classification = report
      ? classifyUser(credentials)
      : { human: false, humanReason: 'unknown: no credential report' };
    const user = inPlace<UserPrincipal>(u);
    user.accountId = id;
    user.human = classification.human;
    user.humanReason = classification.humanReason;
    if (credentials) user.credentials = credentials;
    if (keys) user.accessKeys = keys;
    if (mfa) user.mfaDevices = mfa;
    users.set(arn, user);
  }
  // Users in the credential report but not in the export (an older export, or no export at all).
  if (rows) {
    for (const row of rows.values()) {
      if (row.isRoot || users.has(row.arn) || draft.users.size > 0) continue;
      users.set(row.arn, {
        kind: 'user',
        arn: row.arn,
        name: row.user,
        accountId: id,
        ...(row.userCreationTime ? { createdAt: row.userCreationTime } : {}),
        tags: new Map(),
        source: `${report!.source}:${row.line}`,
        groups: [],
        attachedPolicies: [],
        inlinePolicies: [],
        credentials: row,
        ...classifyUser(row),
      });
    }
  }

  const members = new Map<string, string[]>();
  for (const u of users.values()) {
    for (const g of u.groups) {
      const list = members.get(g) ?? [];
      list.push(u.arn);
      members.set(g, list);
    }
  }
  const groups = new Map<string, GroupPrincipal>();
  for (const [arn, g] of byKey(draft.groups)) {
    groups.set(arn, { ...g, accountId: id, members: (members.get(g.name) ?? []).sort() });
  }

  const roles = new Map<string, RolePrincipal>();
  // Roles with the same trust document share its parsed Policy (PolicyStore): summarise it once.
  const summaries = new Map<object, TrustSummary>();
  for (const [arn, r] of byKey(draft.roles)) {
    const parsed = r.trustPolicy?.policy;
    let trust = parsed === undefined ? undefined : summaries.get(parsed);
    if (trust === undefined) {
      trust = summariseTrust(r.trustPolicy, id);
      if (parsed !== undefined) summaries.set(parsed, trust);
    }
    const classification = classifyRole(r.name, r.path, trust, r.trustPolicy);
    const role = inPlace<RolePrincipal>(r);
    role.accountId = id;
    role.trust = trust;
    role.roleCategory = classification.roleCategory;
    role.human = classification.human;
    role.humanReason = classification.humanReason;
    roles.set(arn, role);
  }

  const partition = draft.partition;
  const root: RootPrincipal = {
    kind: 'root',
    arn: report?.root?.arn ?? `arn:${partition}:iam::${id}:root`,
    name: 'root',
    accountId: id,
    tags: new Map(),
    source: report?.root ? `${report.source}:${report.root.line}` : ([...draft.sources][0] ?? ''),
    human: true,
    humanReason: 'root user',
    ...(report?.root ? { credentials: report.root } : {}),
    ...(report?.root?.userCreationTime ? { createdAt: report.root.userCreationTime } : {}),
  };

  const name = draft.name ?? placement.name;
  return {
    id,
    ...(name !== undefined ? { name } : {}),
    ...(draft.alias !== undefined ? { alias: draft.alias } : {}),
    partition,
    orgPath: placement.orgPath,
    isManagementAccount: placement.isManagementAccount,
    scpState: placement.scpState,
    rcpState: placement.rcpState,
    scpLevels: placement.scpLevels,
    rcpLevels: placement.rcpLevels,
    root,
    users,
    groups,
    roles,
    managedPolicies: byKey(draft.managedPolicies),
    resources: byKey(draft.resources),
    passwordPolicy,
    ...(report ? { credentialReport: report } : {}),
    lastAccessed: draft.lastAccessed,
    ...(draft.accessAnalyzers ? { accessAnalyzers: draft.accessAnalyzers } : {}),
    regions: [...draft.regions].sort(),
    gaps,
    source: [...draft.sources].join(', '),
  };
}
