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
  // Member by member, optional ones only when present: the order `{arn, name, awsManaged,
  // ...defined({…})}` gave, without the throwaway objects (one export has thousands of policies).
  const policy: Mutable<ManagedPolicy> = { arn, name, awsManaged };
  setDefined(policy, 'id', str(item, 'PolicyId'));
  setDefined(policy, 'path', str(item, 'Path'));
  setDefined(policy, 'defaultVersionId', defaultVersionId);
  setDefined(policy, 'attachmentCount', num(item, 'AttachmentCount'));
  setDefined(policy, 'permissionsBoundaryUsageCount', num(item, 'PermissionsBoundaryUsageCount'));
  setDefined(policy, 'createdAt', dateField(item, 'CreateDate'));
  setDefined(policy, 'updatedAt', dateField(item, 'UpdateDate'));
  setDefined(policy, 'description', str(item, 'Description'));
  setDefined(policy, 'document', document);
  return policy;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets an optional member only when it has a value, so it is absent rather than present-and-undefined. */
function setDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * A list the size of `from`, for filling in place and cutting to the entries kept: a list grown
 * by `push` keeps room for 17, and the model holds tens of thousands of these short lists.
 */
function sameLength<T>(from: readonly unknown[]): T[] {
  return from.slice() as T[];
}

function attachments(item: JsonRecord): PolicyAttachment[] {
  const raw = list(item, 'AttachedManagedPolicies');
  const out = sameLength<PolicyAttachment>(raw);
  let n = 0;
  for (const a of raw) {
    if (!isRecord(a)) continue;
    const arn = str(a, 'PolicyArn');
    if (arn === undefined) continue;
    out[n++] = { arn, name: str(a, 'PolicyName') ?? arn.slice(arn.lastIndexOf('/') + 1) };
  }
  out.length = n;
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
  const raw = list(item, key);
  const out = sameLength<StoredPolicy>(raw);
  let n = 0;
  raw.forEach((p, i) => {
    if (!isRecord(p)) return;
    out[n++] = store.parse(field(p, 'PolicyDocument'), {
      name: str(p, 'PolicyName') ?? `inline-${i}`,
      kind: 'inline',
      type: 'identity',
      source: `${path}.${key}[${i}].PolicyDocument`,
      attachedTo,
    });
  });
  out.length = n;
  return out;
}

/**
 * The members every principal starts with, in the order `{arn, name, ...defined({id, path,
 * createdAt}), tags, source, attachedPolicies}` gave them, after its kind (see draft.ts); each
 * reader adds its own after these.
 */
function base<T extends UserDraft | GroupDraft | RoleDraft>(
  kind: T['kind'],
  item: JsonRecord,
  nameKey: string,
  idKey: string,
  path: string,
): Mutable<T> | undefined {
  const arn = str(item, 'Arn');
  if (arn === undefined) return undefined;
  const b = { kind, arn, name: str(item, nameKey) ?? arn.slice(arn.lastIndexOf('/') + 1) } as Mutable<T>;
  setDefined(b, 'id', str(item, idKey));
  setDefined(b, 'path', str(item, 'Path'));
  setDefined(b, 'createdAt', dateField(item, 'CreateDate'));
  b.tags = tagMap(field(item, 'Tags'));
  b.source = path;
  b.attachedPolicies = attachments(item);
  return b;
}

function readUser(item: JsonRecord, path: string, store: PolicyStore): UserDraft | undefined {
  const user = base<UserDraft>('user', item, 'UserName', 'UserId', path);
  if (!user) return undefined;
  const groups: string[] = [];
  for (const g of list(item, 'GroupList')) if (typeof g === 'string') groups.push(g);
  user.groups = groups;
  user.inlinePolicies = inline(item, 'UserPolicyList', path, store);
  setDefined(user, 'permissionsBoundary', boundary(item));
  return user;
}

function readGroup(item: JsonRecord, path: string, store: PolicyStore): GroupDraft | undefined {
  const group = base<GroupDraft>('group', item, 'GroupName', 'GroupId', path);
  if (!group) return undefined;
  group.inlinePolicies = inline(item, 'GroupPolicyList', path, store);
  return group;
}

function readRole(item: JsonRecord, path: string, store: PolicyStore): RoleDraft | undefined {
  const role = base<RoleDraft>('role', item, 'RoleName', 'RoleId', path);
  if (!role) return undefined;
  const trustDoc = field(item, 'AssumeRolePolicyDocument');
  const trustPolicy =
    trustDoc === undefined || trustDoc === null
      ? undefined
      : store.parse(trustDoc, {
          name: `${role.name} trust policy`,
          kind: 'trust',
          type: 'trust',
          source: `${path}.AssumeRolePolicyDocument`,
          arn: role.arn,
        });
  const lastUsedRaw = field(item, 'RoleLastUsed');
  let lastUsed: { date?: string; region?: string } | undefined;
  if (isRecord(lastUsedRaw)) {
    const date = dateField(lastUsedRaw, 'LastUsedDate');
    const region = str(lastUsedRaw, 'Region');
    // Kept only when it says something.
    if (date !== undefined || region !== undefined) {
      lastUsed = {};
      setDefined(lastUsed, 'date', date);
      setDefined(lastUsed, 'region', region);
    }
  }
  const instanceProfiles: string[] = [];
  for (const p of list(item, 'InstanceProfileList')) {
    const arn = isRecord(p) ? str(p, 'Arn') : undefined;
    if (arn !== undefined) instanceProfiles.push(arn);
  }
  role.inlinePolicies = inline(item, 'RolePolicyList', path, store);
  role.instanceProfiles = instanceProfiles;
  setDefined(role, 'description', str(item, 'Description'));
  setDefined(role, 'maxSessionDuration', num(item, 'MaxSessionDuration'));
  setDefined(role, 'permissionsBoundary', boundary(item));
  setDefined(role, 'trustPolicy', trustPolicy);
  setDefined(role, 'lastUsed', lastUsed);
  return role;
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
