/**
 * What a report shows beyond the findings: the accounts, every identity with its credentials,
 * trust and (when the caller computed it) effective access, and the third-party access register.
 * Plain data, so the report layer depends on the model only; analyses are handed in by the caller
 * through `ContextProviders` (the CLI wires them to src/analysis).
 */
import type { Account, Identity, OrgSnapshot, RolePrincipal, UserPrincipal } from '../model/account.js';

export interface ReportAccount {
  readonly id: string;
  readonly name?: string;
  readonly alias?: string;
  readonly management?: boolean;
}

/** IAM access levels as the Service Authorization Reference names them. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export const ACCESS_LEVELS: readonly AccessLevel[] = [
  'List',
  'Read',
  'Write',
  'Permissions management',
  'Tagging',
];

/** One service of a principal's effective access: actions allowed per access level. */
export interface ServiceAccess {
  readonly service: string;
  readonly levels: Readonly<Partial<Record<AccessLevel, number>>>;
  /** Of those, how many only under a condition. */
  readonly conditional?: number;
  /** Last-accessed date; null: never used in the tracking period; absent: not known. */
  readonly lastAccessed?: string | null;
}

export interface ReportAccessKey {
  readonly slot: number;
  /** Masked (`AKIA…WXYZ`) unless the report shows key ids. */
  readonly id?: string;
  readonly active: boolean;
  readonly lastRotated?: string | null;
  readonly lastUsed?: string | null;
}

export interface ReportCredentials {
  readonly passwordEnabled?: boolean;
  readonly passwordLastUsed?: string | null;
  readonly mfaActive?: boolean;
  readonly accessKeys: readonly ReportAccessKey[];
}

export interface ReportTrust {
  readonly sameAccount: boolean;
  readonly otherAccounts: readonly string[];
  readonly services: readonly string[];
  readonly federated: readonly string[];
  readonly anyone: boolean;
  readonly conditional: boolean;
}

export type ReportPrincipalKind = 'root' | 'user' | 'role' | 'group';

export interface ReportPrincipal {
  readonly arn: string;
  readonly name: string;
  readonly kind: ReportPrincipalKind;
  readonly account: string;
  readonly human?: boolean;
  readonly humanReason?: string;
  readonly path?: string;
  readonly createdAt?: string;
  readonly tags: readonly (readonly [string, string])[];
  readonly roleCategory?: string;
  readonly lastUsed?: string | null;
  readonly groups?: readonly string[];
  /** Attached managed and inline policy names. */
  readonly policies?: readonly string[];
  readonly trust?: ReportTrust;
  readonly credentials?: ReportCredentials;
  readonly access?: readonly ServiceAccess[];
}

/** One cross-account trust: a role in `account` that `trustedAccount` may assume. */
export interface ThirdPartyAccess {
  readonly roleArn: string;
  readonly roleName: string;
  readonly account: string;
  readonly trustedAccount: string;
  readonly trustedAccountName?: string;
  /** The trust requires `sts:ExternalId`; null when the trust policy could not be read. */
  readonly externalId: boolean | null;
  readonly conditional: boolean;
  /** What the role can do, in a few words (`AdministratorAccess`, `12 services`), when known. */
  readonly access?: string;
  readonly lastUsed?: string | null;
}

export interface ReportContext {
  readonly title?: string;
  readonly accounts: readonly ReportAccount[];
  readonly principals: readonly ReportPrincipal[];
  readonly thirdParty: readonly ThirdPartyAccess[];
}

export const EMPTY_CONTEXT: ReportContext = { accounts: [], principals: [], thirdParty: [] };

/** Analyses the caller may supply; each is optional and the report says less without it. */
export interface ContextProviders {
  /** Effective access of a user or role by service (from src/analysis/access). */
  readonly access?: (identity: Identity, account: Account) => readonly ServiceAccess[] | undefined;
  /** A short summary of what a role can do, for the third-party register. */
  readonly accessSummary?: (role: RolePrincipal, account: Account) => string | undefined;
  /** Whether the trust of `role` for `trustedAccount` requires an ExternalId (from the exposure analysis). */
  readonly externalId?: (role: RolePrincipal, trustedAccount: string) => boolean | undefined;
  /** The whole register (from src/analysis/third-party.ts): replaces the one read from trust summaries. */
  readonly thirdParty?: readonly ThirdPartyAccess[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function credentialsOf(user: UserPrincipal | Identity): ReportCredentials | undefined {
  if (user.kind === 'role') return undefined;
  const row = user.credentials;
  const keys: ReportAccessKey[] = [];
  const listed = user.kind === 'user' ? (user.accessKeys ?? []) : [];
  if (row) {
    for (const k of row.accessKeys) {
      if (!k.active && k.lastRotated === null) continue;
      // The credential report has no key ids; the key listing (when collected) is in creation order.
      const id = listed[k.slot - 1]?.accessKeyId;
      keys.push({
        slot: k.slot,
        ...(id !== undefined ? { id } : {}),
        active: k.active,
        lastRotated: k.lastRotated,
        lastUsed: k.lastUsedDate,
      });
    }
  } else {
    listed.forEach((k, i) => {
      keys.push({
        slot: i + 1,
        id: k.accessKeyId,
        active: k.status === 'Active',
        ...(k.createdAt ? { lastRotated: k.createdAt } : {}),
      });
    });
  }
  if (!row && keys.length === 0) return undefined;
  return {
    ...(row && row.passwordEnabled !== 'not_supported' ? { passwordEnabled: row.passwordEnabled } : {}),
    ...(row ? { passwordLastUsed: row.passwordLastUsed, mfaActive: row.mfaActive } : {}),
    accessKeys: keys,
  };
}

/**
 * Reads the parsed trust policy (not its text) for a condition on `sts:ExternalId` in an Allow
 * statement naming the account: the fallback when no exposure analysis is supplied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
function trustRequiresExternalId(role: RolePrincipal, trustedAccount: string): boolean | null {
  const doc = role.trustPolicy;
  if (!doc?.readable) return null;
  const names = (p: string): boolean =>
    p === trustedAccount || p.startsWith(`arn:aws:iam::${trustedAccount}:`);
  let granted = false;
  let everyGrantHasId = true;
  for (const s of doc.policy.statements) {
    if (s.effect !== 'Allow' || !s.principal?.aws.some(names)) continue;
    granted = true;
    if (!s.conditions.some((c) => c.key.toLowerCase() === 'sts:externalid')) everyGrantHasId = false;
  }
  return granted ? everyGrantHasId : null;
}

function tagsOf(map: ReadonlyMap<string, string>): (readonly [string, string])[] {
  return [...map.entries()].sort(([a], [b]) => cmp(a, b));
}

/** The report context of a snapshot, in a deterministic order (account id, then ARN). */
export function reportContextFromSnapshot(
  snapshot: OrgSnapshot,
  providers: ContextProviders = {},
): ReportContext {
  const accounts: ReportAccount[] = [];
  const principals: ReportPrincipal[] = [];
  const thirdParty: ThirdPartyAccess[] = [];
  const orgNames = snapshot.organization?.accountNames;
  const known = new Set(snapshot.accounts.keys());
  for (const account of [...snapshot.accounts.values()].sort((a, b) => cmp(a.id, b.id))) {
    accounts.push({
      id: account.id,
      ...(account.name !== undefined ? { name: account.name } : {}),
      ...(account.alias !== undefined ? { alias: account.alias } : {}),
      ...(account.isManagementAccount ? { management: true } : {}),
    });
    const list: ReportPrincipal[] = [];
    const root = account.root;
    const rootCreds = credentialsOf(root);
    list.push({
      arn: root.arn,
      name: root.name,
      kind: 'root',
      account: account.id,
      human: root.human,
      humanReason: root.humanReason,
      tags: [],
      ...(rootCreds ? { credentials: rootCreds } : {}),
    });
    for (const user of account.users.values()) {
      const creds = credentialsOf(user);
      const access = providers.access?.(user, account);
      list.push({
        arn: user.arn,
        name: user.name,
        kind: 'user',
        account: account.id,
        human: user.human,
        humanReason: user.humanReason,
        ...(user.path !== undefined ? { path: user.path } : {}),
        ...(user.createdAt !== undefined ? { createdAt: user.createdAt } : {}),
        tags: tagsOf(user.tags),
        groups: [...user.groups].sort(cmp),
        policies: [...user.attachedPolicies.map((p) => p.name), ...user.inlinePolicies.map((p) => p.name)],
        ...(creds ? { credentials: creds } : {}),
        ...(access ? { access } : {}),
      });
    }
    for (const group of account.groups.values())
      list.push({
        arn: group.arn,
        name: group.name,
        kind: 'group',
        account: account.id,
        ...(group.path !== undefined ? { path: group.path } : {}),
        tags: tagsOf(group.tags),
        policies: [...group.attachedPolicies.map((p) => p.name), ...group.inlinePolicies.map((p) => p.name)],
      });
    for (const role of account.roles.values()) {
      const access = providers.access?.(role, account);
      list.push({
        arn: role.arn,
        name: role.name,
        kind: 'role',
        account: account.id,
        human: role.human,
        humanReason: role.humanReason,
        ...(role.path !== undefined ? { path: role.path } : {}),
        ...(role.createdAt !== undefined ? { createdAt: role.createdAt } : {}),
        tags: tagsOf(role.tags),
        roleCategory: role.roleCategory,
        lastUsed: role.lastUsed?.date ?? null,
        policies: [...role.attachedPolicies.map((p) => p.name), ...role.inlinePolicies.map((p) => p.name)],
        trust: {
          sameAccount: role.trust.sameAccount,
          otherAccounts: role.trust.otherAccounts,
          services: role.trust.services,
          federated: role.trust.federated,
          anyone: role.trust.anyone,
          conditional: role.trust.conditional,
        },
        ...(access ? { access } : {}),
      });
      for (const other of role.trust.otherAccounts) {
        // Accounts of the snapshot are not third parties; organization members outside it are named.
        if (known.has(other)) continue;
        const summary = providers.accessSummary?.(role, account);
        const externalId = providers.externalId?.(role, other) ?? trustRequiresExternalId(role, other);
        const name = orgNames?.get(other);
        thirdParty.push({
          roleArn: role.arn,
          roleName: role.name,
          account: account.id,
          trustedAccount: other,
          ...(name !== undefined ? { trustedAccountName: name } : {}),
          externalId,
          conditional: role.trust.conditional,
          ...(summary !== undefined ? { access: summary } : {}),
          lastUsed: role.lastUsed?.date ?? null,
        });
      }
    }
    principals.push(...list.sort((a, b) => cmp(a.arn, b.arn)));
  }
  return {
    accounts,
    principals,
    thirdParty: orderedRegister(providers.thirdParty ? [...providers.thirdParty] : thirdParty),
  };
}

/** The register in the reports' order: by trusted account, then role ARN (sorts `rows` in place). */
export function orderedRegister(rows: ThirdPartyAccess[]): ThirdPartyAccess[] {
  return rows.sort((a, b) => cmp(a.trustedAccount, b.trustedAccount) || cmp(a.roleArn, b.roleArn));
}
