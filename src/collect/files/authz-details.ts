import type { ManagedPolicy, PolicyAttachment, StoredPolicy } from '../../model/account.js';
import { InputError } from '../../model/errors.js';
import type { AccountDraft, GroupDraft, RoleDraft, UserDraft } from './draft.js';
import type { PolicyStore } from './policy-store.js';
import {
  accountOfArn,
  bool,
  dateField,
  field,
  isRecord,
  type JsonRecord,
  list,
  num,
  partitionOfArn,
  str,
  tagMap,
} from './values.js';

/** The members of a GetAccountAuthorizationDetails response. */
const DETAIL_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** The response itself, or the raw API's `{GetAccountAuthorizationDetailsResponse: {…Result}}` envelope. */
export function authorizationDetailsBody(value: unknown): JsonRecord | undefined {
  if (!isRecord(value)) return undefined;
  const response = field(value, 'GetAccountAuthorizationDetailsResponse');
  const inner = isRecord(response) ? field(response, 'GetAccountAuthorizationDetailsResult') : undefined;
  const result = field(value, 'GetAccountAuthorizationDetailsResult');
  const body = isRecord(inner) ? inner : isRecord(result) ? result : value;
  return DETAIL_LISTS.some((k) => Array.isArray(field(body, k))) ? body : undefined;
}

export function looksLikeAuthorizationDetails(value: unknown): boolean {
  return authorizationDetailsBody(value) !== undefined;
}

/** The account an export belongs to, read from the first ARN in it that names one. */
export function accountOfAuthorizationDetails(body: JsonRecord): string | undefined {
  for (const key of DETAIL_LISTS) {
    for (const item of list(body, key)) {
      if (!isRecord(item)) continue;
      const arn = str(item, 'Arn');
      const account = arn === undefined ? undefined : accountOfArn(arn);
      if (account) return account;
    }
  }
  return undefined;
}

/**
 * Adds one page of an authorization-details export to an account. Pages are merged by ARN, so the
 * same entity on two pages (or two overlapping exports) is kept once. Returns the number of entities read.
 */
export function addAuthorizationDetails(
  draft: AccountDraft,
  value: unknown,
  file: string,
  pathPrefix: string,
  store: PolicyStore,
): number {
  const body = authorizationDetailsBody(value);
  if (body === undefined) {
    throw new InputError('not an authorization-details export', {
      file,
      expected: 'an object with UserDetailList, GroupDetailList, RoleDetailList or Policies',
      hint: 'Export it with `aws iam get-account-authorization-details > file.json`',
    });
  }
  const base = `${file}#${pathPrefix}`;
  let count = 0;
  draft.authzPages++;
  // Every page but the last says IsTruncated: the export is complete once a last page is seen.
  if (bool(body, 'IsTruncated') === true) draft.authzTruncatedPages++;
  else draft.authzFinalPages++;
  for (const partition of [firstPartition(body)]) if (partition) draft.partition = partition;

  list(body, 'Policies').forEach((item, i, all) => {
    release(all, i);
    if (!isRecord(item)) return;
    const policy = readManagedPolicy(item, `${base}Policies[${i}]`, store);
    if (policy === undefined) return;
    // A later page's copy with a document wins over an earlier one without.
    const existing = draft.managedPolicies.get(policy.arn);
    if (existing?.document === undefined || policy.document !== undefined)
      draft.managedPolicies.set(policy.arn, policy);
    count++;
  });
  list(body, 'UserDetailList').forEach((item, i, all) => {
    release(all, i);
    if (!isRecord(item)) return;
    const user = readUser(item, `${base}UserDetailList[${i}]`, store);
    if (user) {
      draft.users.set(user.arn, user);
      count++;
    }
  });
  list(body, 'GroupDetailList').forEach((item, i, all) => {
    release(all, i);
    if (!isRecord(item)) return;
    const group = readGroup(item, `${base}GroupDetailList[${i}]`, store);
    if (group) {
      draft.groups.set(group.arn, group);
      count++;
    }
  });
  list(body, 'RoleDetailList').forEach((item, i, all) => {
    release(all, i);
    if (!isRecord(item)) return;
    const role = readRole(item, `${base}RoleDetailList[${i}]`, store);
    if (role) {
      draft.roles.set(role.arn, role);
      count++;
    }
  });
  return count;
}

/**
 * Lets the garbage collector take each raw entry once it is read, so a 200 MB export's parsed
 * JSON shrinks while the model grows instead of both peaking together. The export is not read again.
 */
function release(all: readonly unknown[], i: number): void {
  (all as unknown[])[i] = null;
}

function firstPartition(body: JsonRecord): string | undefined {
  for (const key of DETAIL_LISTS) {
    const first = list(body, key)[0];
    const arn = isRecord(first) ? str(first, 'Arn') : undefined;
    if (arn) return partitionOfArn(arn);
  }
  return undefined;
}

function readManagedPolicy(item: JsonRecord, path: string, store: PolicyStore): ManagedPolicy | undefined {
  const arn = str(item, 'Arn');
  if (arn === undefined) return undefined;
  const name = str(item, 'PolicyName') ?? arn.slice(arn.lastIndexOf('/') + 1);
  const awsManaged = arn.includes(':iam::aws:policy/');
  const defaultVersionId = str(item, 'DefaultVersionId');
  const versions = list(item, 'PolicyVersionList');
  let index = versions.findIndex((v) => isRecord(v) && bool(v, 'IsDefaultVersion') === true);
  if (index < 0 && defaultVersionId !== undefined)
    index = versions.findIndex((v) => isRecord(v) && str(v, 'VersionId') === defaultVersionId);
  const version = versions[index];
  let document: StoredPolicy | undefined;
  if (isRecord(version) && field(version, 'Document') !== undefined) {
    const versionId = str(version, 'VersionId') ?? defaultVersionId ?? '';
    const input = {
      name,
      kind: awsManaged ? ('aws-managed' as const) : ('customer-managed' as const),
      type: 'identity' as const,
      source: `${path}.PolicyVersionList[${index}].Document`,
      arn,
      attachedTo: awsManaged ? ('aws-managed' as const) : ('managed' as const),
    };
    const doc = field(version, 'Document');
    document = awsManaged ? store.parseShared(`${arn}#${versionId}`, doc, input) : store.parse(doc, input);
  }
  const optional = {
    id: str(item, 'PolicyId'),
    path: str(item, 'Path'),
    defaultVersionId,
    attachmentCount: num(item, 'AttachmentCount'),
    permissionsBoundaryUsageCount: num(item, 'PermissionsBoundaryUsageCount'),
    createdAt: dateField(item, 'CreateDate'),
    updatedAt: dateField(item, 'UpdateDate'),
    description: str(item, 'Description'),
    document,
  };
  return { arn, name, awsManaged, ...defined(optional) };
}

function attachments(item: JsonRecord): PolicyAttachment[] {
  const out: PolicyAttachment[] = [];
  for (const a of list(item, 'AttachedManagedPolicies')) {
    if (!isRecord(a)) continue;
    const arn = str(a, 'PolicyArn');
    if (arn === undefined) continue;
    out.push({ arn, name: str(a, 'PolicyName') ?? arn.slice(arn.lastIndexOf('/') + 1) });
  }
  return out;
}

function boundary(item: JsonRecord): PolicyAttachment | undefined {
  const b = field(item, 'PermissionsBoundary');
  if (!isRecord(b)) return undefined;
  const arn = str(b, 'PermissionsBoundaryArn');
  return arn === undefined ? undefined : { arn, name: arn.slice(arn.lastIndexOf('/') + 1) };
}

function inline(
  item: JsonRecord,
  key: 'UserPolicyList' | 'GroupPolicyList' | 'RolePolicyList',
  path: string,
  store: PolicyStore,
): StoredPolicy[] {
  const attachedTo =
    key === 'UserPolicyList' ? 'user-inline' : key === 'GroupPolicyList' ? 'group-inline' : 'role-inline';
  const out: StoredPolicy[] = [];
  list(item, key).forEach((p, i) => {
    if (!isRecord(p)) return;
    out.push(
      store.parse(field(p, 'PolicyDocument'), {
        name: str(p, 'PolicyName') ?? `inline-${i}`,
        kind: 'inline',
        type: 'identity',
        source: `${path}.${key}[${i}].PolicyDocument`,
        attachedTo,
      }),
    );
  });
  return out;
}

function base(item: JsonRecord, nameKey: string, idKey: string, path: string) {
  const arn = str(item, 'Arn');
  if (arn === undefined) return undefined;
  return {
    arn,
    name: str(item, nameKey) ?? arn.slice(arn.lastIndexOf('/') + 1),
    ...defined({ id: str(item, idKey), path: str(item, 'Path'), createdAt: dateField(item, 'CreateDate') }),
    tags: tagMap(field(item, 'Tags')),
    source: path,
    attachedPolicies: attachments(item),
  };
}

function readUser(item: JsonRecord, path: string, store: PolicyStore): UserDraft | undefined {
  const b = base(item, 'UserName', 'UserId', path);
  if (!b) return undefined;
  const groups = list(item, 'GroupList').filter((g): g is string => typeof g === 'string');
  return {
    ...b,
    groups,
    inlinePolicies: inline(item, 'UserPolicyList', path, store),
    ...defined({ permissionsBoundary: boundary(item) }),
  };
}

function readGroup(item: JsonRecord, path: string, store: PolicyStore): GroupDraft | undefined {
  const b = base(item, 'GroupName', 'GroupId', path);
  if (!b) return undefined;
  return { ...b, inlinePolicies: inline(item, 'GroupPolicyList', path, store) };
}

function readRole(item: JsonRecord, path: string, store: PolicyStore): RoleDraft | undefined {
  const b = base(item, 'RoleName', 'RoleId', path);
  if (!b) return undefined;
  const trustDoc = field(item, 'AssumeRolePolicyDocument');
  const trustPolicy =
    trustDoc === undefined || trustDoc === null
      ? undefined
      : store.parse(trustDoc, {
          name: `${b.name} trust policy`,
          kind: 'trust',
          type: 'trust',
          source: `${path}.AssumeRolePolicyDocument`,
          arn: b.arn,
        });
  const lastUsedRaw = field(item, 'RoleLastUsed');
  const lastUsed = isRecord(lastUsedRaw)
    ? defined({ date: dateField(lastUsedRaw, 'LastUsedDate'), region: str(lastUsedRaw, 'Region') })
    : undefined;
  const instanceProfiles = list(item, 'InstanceProfileList')
    .map((p) => (isRecord(p) ? str(p, 'Arn') : undefined))
    .filter((a): a is string => a !== undefined);
  return {
    ...b,
    inlinePolicies: inline(item, 'RolePolicyList', path, store),
    instanceProfiles,
    ...defined({
      description: str(item, 'Description'),
      maxSessionDuration: num(item, 'MaxSessionDuration'),
      permissionsBoundary: boundary(item),
      trustPolicy,
      lastUsed: lastUsed && Object.keys(lastUsed).length > 0 ? lastUsed : undefined,
    }),
  };
}

/** Drops undefined members so optional fields are absent rather than present-and-undefined. */
export function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  // Keys, not entries: one array per call instead of one per member (called ~5 times per entity).
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
