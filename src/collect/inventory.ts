import type {
  Account,
  CredentialReportRow,
  Gap,
  Identity,
  OrgSnapshot,
  RoleCategory,
  TrustSummary,
  UserPrincipal,
} from '../model/account.js';

/**
 * The identity inventory: every root user, IAM user and role, one flat record each. This object's
 * JSON is `leastpriv inventory --format json` (docs/inventory-format.md): add fields, never rename.
 */
export interface InventoryKey {
  /** 1 or 2 as in the credential report; null when only list-access-keys named the key. */
  readonly slot: 1 | 2 | null;
  /** Masked (`AKIA…WXYZ`) unless key ids were asked for; null when the snapshot has no key ids. */
  readonly id: string | null;
  readonly active: boolean;
  /** When the key was created or last rotated. */
  readonly created: string | null;
  /** Whole days from `created` to the snapshot's time. */
  readonly ageDays: number | null;
  readonly lastUsed: string | null;
  readonly lastUsedService: string | null;
}

export interface InventoryIdentity {
  readonly account: string;
  readonly accountName: string | null;
  readonly kind: 'root' | 'user' | 'role';
  readonly name: string;
  readonly arn: string;
  readonly path: string | null;
  readonly human: boolean;
  /** False when the snapshot cannot tell (a user without a credential report row). */
  readonly humanKnown: boolean;
  readonly humanReason: string;
  readonly roleCategory: RoleCategory | null;
  readonly created: string | null;
  /** The latest sign-in, key use or role use; null when never used or unknown (see `lastUsedKnown`). */
  readonly lastUsed: string | null;
  readonly lastUsedKnown: boolean;
  /** Null for roles (not applicable) and when the credential report is missing. */
  readonly passwordEnabled: boolean | null;
  readonly mfa: boolean | null;
  readonly accessKeys: readonly InventoryKey[];
  readonly activeKeys: number;
  readonly attachedPolicies: readonly string[];
  readonly inlinePolicies: readonly string[];
  readonly permissionsBoundary: string | null;
  readonly groups: readonly string[];
  /** Roles only. */
  readonly trust: TrustSummary | null;
  readonly owner: string | null;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}

export interface Inventory {
  readonly schemaVersion: 1;
  /** The time ages are measured to: the credential report's, else the snapshot's, else now. */
  readonly asOf: string;
  readonly identities: readonly InventoryIdentity[];
  /** Gaps that make some inventory fields unknown. */
  readonly gaps: readonly Gap[];
}

export interface InventoryOptions {
  readonly showKeyIds?: boolean;
  /** Used when neither the credential report nor the manifest says when the snapshot was taken. */
  readonly now?: Date;
}

/** Tag keys (compared lower-case) read as the owner, in order of preference. */
const OWNER_KEYS = ['owner', 'owner-email', 'owner_email', 'ownedby', 'owned-by', 'contact', 'team'];
const INVENTORY_GAPS = new Set([
  'iam-get-account-authorization-details',
  'iam-get-credential-report',
  'account',
]);
const KIND_ORDER = { root: 0, user: 1, role: 2 } as const;
const DAY = 86_400_000;

export function maskKeyId(id: string): string {
  return id.length <= 8 ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

export function buildInventory(snapshot: OrgSnapshot, options: InventoryOptions = {}): Inventory {
  const asOf = snapshotTime(snapshot) ?? (options.now ?? new Date()).toISOString();
  const asOfMs = Date.parse(asOf);
  const identities: InventoryIdentity[] = [];
  for (const account of snapshot.accounts.values()) {
    const all: Identity[] = [account.root, ...account.users.values(), ...account.roles.values()];
    for (const p of all) identities.push(identityOf(p, account, asOfMs, options.showKeyIds === true));
  }
  identities.sort(
    (a, b) =>
      compare(a.account, b.account) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compare(a.arn, b.arn),
  );
  return {
    schemaVersion: 1,
    asOf,
    identities,
    gaps: snapshot.gaps.filter((g) => INVENTORY_GAPS.has(g.artifact)),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function snapshotTime(snapshot: OrgSnapshot): string | undefined {
  let latest: string | undefined;
  for (const a of snapshot.accounts.values()) {
    const t = a.credentialReport?.generatedTime;
    if (t && (!latest || t > latest)) latest = t;
  }
  return latest ?? snapshot.collectedAt;
}

function identityOf(p: Identity, account: Account, asOfMs: number, showKeyIds: boolean): InventoryIdentity {
  const row = p.kind === 'role' ? undefined : p.credentials;
  const keys = p.kind === 'role' ? [] : keysOf(p.kind === 'user' ? p : undefined, row, asOfMs, showKeyIds);
  const lastUsed = p.kind === 'role' ? (p.lastUsed?.date ?? null) : lastUseOf(row);
  const tags = [...p.tags].map(([key, value]) => ({ key, value }));
  return {
    account: account.id,
    accountName: account.name ?? account.alias ?? null,
    kind: p.kind,
    name: p.name,
    arn: p.arn,
    path: p.path ?? null,
    human: p.human,
    humanKnown: !p.humanReason.startsWith('unknown'),
    humanReason: p.humanReason,
    roleCategory: p.kind === 'role' ? p.roleCategory : null,
    created: p.createdAt ?? row?.userCreationTime ?? null,
    lastUsed,
    // Role last use comes with the export; user and root last use need the credential report.
    lastUsedKnown:
      p.kind === 'role'
        ? account.gaps.every((g) => g.artifact !== 'iam-get-account-authorization-details')
        : row !== undefined,
    passwordEnabled:
      p.kind === 'role' || !row ? null : row.passwordEnabled === 'not_supported' ? null : row.passwordEnabled,
    mfa:
      p.kind === 'role'
        ? null
        : row
          ? row.mfaActive
          : p.kind === 'user' && p.mfaDevices
            ? p.mfaDevices.length > 0
            : null,
    accessKeys: keys,
    activeKeys: keys.filter((k) => k.active).length,
    attachedPolicies: p.kind === 'root' ? [] : p.attachedPolicies.map((a) => a.name),
    inlinePolicies: p.kind === 'root' ? [] : p.inlinePolicies.map((i) => i.name),
    permissionsBoundary: p.kind === 'root' ? null : (p.permissionsBoundary?.name ?? null),
    groups: p.kind === 'user' ? [...p.groups] : [],
    trust: p.kind === 'role' ? p.trust : null,
    owner: ownerOf(p.tags),
    tags,
  };
}

function lastUseOf(row: CredentialReportRow | undefined): string | null {
  if (!row) return null;
  let latest: string | null = row.passwordLastUsed;
  for (const k of row.accessKeys)
    if (k.lastUsedDate && (!latest || k.lastUsedDate > latest)) latest = k.lastUsedDate;
  return latest;
}

function keysOf(
  user: UserPrincipal | undefined,
  row: CredentialReportRow | undefined,
  asOfMs: number,
  showKeyIds: boolean,
): InventoryKey[] {
  const listed = [...(user?.accessKeys ?? [])];
  const age = (created: string | null) =>
    created === null || Number.isNaN(asOfMs)
      ? null
      : Math.max(0, Math.floor((asOfMs - Date.parse(created)) / DAY));
  const show = (id: string) => (showKeyIds ? id : maskKeyId(id));
  const out: InventoryKey[] = [];
  for (const k of row?.accessKeys ?? []) {
    // The report has no key ids; list-access-keys has no last use. Match them by creation time.
    const match = listed.findIndex(
      (l) => l.createdAt !== undefined && k.lastRotated !== null && sameSecond(l.createdAt, k.lastRotated),
    );
    const meta = match >= 0 ? listed.splice(match, 1)[0] : undefined;
    if (!k.active && k.lastRotated === null && meta === undefined) continue;
    out.push({
      slot: k.slot,
      id: meta ? show(meta.accessKeyId) : null,
      active: k.active,
      created: k.lastRotated,
      ageDays: age(k.lastRotated),
      lastUsed: k.lastUsedDate,
      lastUsedService: k.lastUsedService,
    });
  }
  for (const meta of listed) {
    const created = meta.createdAt ?? null;
    out.push({
      slot: null,
      id: show(meta.accessKeyId),
      active: meta.status === 'Active',
      created,
      ageDays: age(created),
      lastUsed: null,
      lastUsedService: null,
    });
  }
  return out;
}

function sameSecond(a: string, b: string): boolean {
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

function ownerOf(tags: ReadonlyMap<string, string>): string | null {
  const byKey = new Map<string, string>();
  for (const [k, v] of tags) if (!byKey.has(k.toLowerCase())) byKey.set(k.toLowerCase(), v);
  for (const k of OWNER_KEYS) {
    const v = byKey.get(k);
    if (v !== undefined && v !== '') return v;
  }
  return null;
}
