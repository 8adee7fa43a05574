/**
 * Who is asking: the request's principal string read once into the facts the evaluator needs,
 * and the `Principal` / `NotPrincipal` element compiled into a matcher over those facts.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import type { PrincipalSet } from '../../model/policy.js';

export type PrincipalKind =
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'federated-user'
  | 'root'
  | 'service'
  | 'anonymous'
  | 'other';

export interface PrincipalInfo {
  readonly raw: string;
  readonly kind: PrincipalKind;
  readonly partition?: string;
  readonly account?: string;
  /** User name, role name, federated user name (last path segment for users and roles). */
  readonly name?: string;
  /** For roles and their sessions: `ACCOUNT/ROLENAME`, the key role ARNs in policies are indexed by. */
  readonly roleKey?: string;
  /** The value AWS puts in `aws:PrincipalArn`: for a role session, the role's ARN (without path: the session ARN does not carry it). */
  readonly principalArn?: string;
  /** `aws:PrincipalType`. */
  readonly principalType?: string;
  /** Role path `aws-service-role/` or a role name starting `AWSServiceRoleFor` (every service-linked role's name does). */
  readonly serviceLinked: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
/** Service principals look like `lambda.amazonaws.com` (also `.amazonaws.com.cn`, `.aws.internal`). */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com(\.cn)?|aws\.internal|amazon\.com)$/i;

export function isAccountId(text: string): boolean {
  return text.length === 12 && ACCOUNT_ID.test(text);
}

interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits the first five colons only: the resource part may itself hold colons. */
export function splitArn(arn: string): ArnParts | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const c1 = 3;
  const c2 = arn.indexOf(':', c1 + 1);
  if (c2 === -1) return undefined;
  const c3 = arn.indexOf(':', c2 + 1);
  if (c3 === -1) return undefined;
  const c4 = arn.indexOf(':', c3 + 1);
  if (c4 === -1) return undefined;
  const c5 = arn.indexOf(':', c4 + 1);
  if (c5 === -1) return undefined;
  return {
    partition: arn.slice(c1 + 1, c2),
    service: arn.slice(c2 + 1, c3),
    account: arn.slice(c4 + 1, c5),
    resource: arn.slice(c5 + 1),
  };
}

/** The account field of an ARN, when it has one (`arn:aws:s3:::bucket` has none). */
export function arnAccount(arn: string): string | undefined {
  const parts = splitArn(arn);
  return parts && parts.account !== '' ? parts.account : undefined;
}

export function arnService(arn: string): string | undefined {
  return splitArn(arn)?.service;
}

function lastSegment(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

const SLR_NAME_PREFIX = 'AWSServiceRoleFor';

export function parsePrincipal(raw: string): PrincipalInfo {
  if (raw === 'anonymous' || raw === '*') {
    return { raw, kind: 'anonymous', principalType: 'Anonymous', serviceLinked: false };
  }
  if (isAccountId(raw)) {
    return {
      raw,
      kind: 'root',
      partition: 'aws',
      account: raw,
      principalArn: `arn:aws:iam::${raw}:root`,
      principalType: 'Account',
      serviceLinked: false,
    };
  }
  const arn = splitArn(raw);
  if (!arn) {
    if (SERVICE_PRINCIPAL.test(raw)) return { raw, kind: 'service', serviceLinked: false };
    return { raw, kind: 'other', serviceLinked: false };
  }
  const { partition, service, account, resource } = arn;
  // Object literals in full rather than spreads of a shared base: who-can reads thousands of
  // principals once each, mostly before this function is optimized. Member order as before.
  if (service === 'iam') {
    if (resource === 'root') {
      return {
        raw,
        partition,
        account,
        kind: 'root',
        principalArn: raw,
        principalType: 'Account',
        serviceLinked: false,
      };
    }
    if (resource.startsWith('user/')) {
      const name = lastSegment(resource);
      return {
        raw,
        partition,
        account,
        kind: 'user',
        name,
        principalArn: raw,
        principalType: 'User',
        serviceLinked: false,
      };
    }
    if (resource.startsWith('role/')) {
      const name = lastSegment(resource);
      return {
        raw,
        partition,
        account,
        kind: 'role',
        name,
        roleKey: `${account}/${name}`,
        principalArn: raw,
        principalType: 'AssumedRole',
        serviceLinked: resource.startsWith('role/aws-service-role/') || name.startsWith(SLR_NAME_PREFIX),
      };
    }
  }
  if (service === 'sts') {
    if (resource.startsWith('assumed-role/')) {
      const rest = resource.slice('assumed-role/'.length);
      const slash = rest.indexOf('/');
      const name = slash === -1 ? rest : rest.slice(0, slash);
      return {
        raw,
        partition,
        account,
        kind: 'assumed-role',
        name,
        roleKey: `${account}/${name}`,
        principalArn: `arn:${partition}:iam::${account}:role/${name}`,
        principalType: 'AssumedRole',
        serviceLinked: name.startsWith(SLR_NAME_PREFIX),
      };
    }
    if (resource.startsWith('federated-user/')) {
      const name = resource.slice('federated-user/'.length);
      return {
        raw,
        partition,
        account,
        kind: 'federated-user',
        name,
        principalArn: raw,
        principalType: 'FederatedUser',
        serviceLinked: false,
      };
    }
  }
  return { raw, partition, account, kind: 'other', principalArn: raw, serviceLinked: false };
}

/** How a `Principal` element named the caller; the same-account rules depend on it. */
export const PrincipalMatch = {
  None: 0,
  /** The caller itself: its user, role-session or federated-session ARN, `*`, a service or federated provider. */
  Direct: 1,
  /** The role whose session is calling (role ARN in the policy, session ARN in the request). */
  Role: 2,
  /** The caller's account (`123456789012` or `arn:aws:iam::123456789012:root`): authority delegated to the account's identity policies. */
  Account: 3,
} as const;
export type PrincipalMatch = (typeof PrincipalMatch)[keyof typeof PrincipalMatch];

export interface CompiledPrincipal {
  readonly wildcard: boolean;
  /** Account IDs named as the account principal. */
  readonly accounts: ReadonlySet<string>;
  /** Exact principal ARNs other than roles and account roots. */
  readonly arns: ReadonlySet<string>;
  /** `ACCOUNT/ROLENAME` → the role ARNs as written (with path). */
  readonly roles: ReadonlyMap<string, readonly string[]>;
  readonly services: ReadonlySet<string>;
  readonly federated: ReadonlySet<string>;
  readonly canonicalUsers: ReadonlySet<string>;
}

export function compilePrincipalSet(set: PrincipalSet): CompiledPrincipal {
  let wildcard = set.wildcard;
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const roles = new Map<string, string[]>();
  for (const value of set.aws) {
    if (value === '*') {
      wildcard = true;
      continue;
    }
    if (isAccountId(value)) {
      accounts.add(value);
      continue;
    }
    const arn = splitArn(value);
    if (arn?.service === 'iam' && arn.resource === 'root') {
      accounts.add(arn.account);
      continue;
    }
    if (arn?.service === 'iam' && arn.resource.startsWith('role/')) {
      const key = `${arn.account}/${lastSegment(arn.resource)}`;
      const list = roles.get(key);
      if (list) list.push(value);
      else roles.set(key, [value]);
      continue;
    }
    arns.add(value);
  }
  return {
    wildcard,
    accounts,
    arns,
    roles,
    services: new Set(set.service.map((s) => s.toLowerCase())),
    federated: new Set(set.federated),
    canonicalUsers: new Set(set.canonicalUser),
  };
}

/**
 * The strongest way the element names the caller. `roleArn` is the caller's full role ARN when the
 * request context supplied `aws:PrincipalArn` (it carries the role path the session ARN lacks).
 */
export function matchPrincipal(
  p: CompiledPrincipal,
  who: PrincipalInfo,
  roleArn: string | undefined,
): PrincipalMatch {
  if (p.wildcard) return PrincipalMatch.Direct;
  switch (who.kind) {
    case 'anonymous':
      return PrincipalMatch.None;
    case 'service':
      return p.services.has(who.raw.toLowerCase()) ? PrincipalMatch.Direct : PrincipalMatch.None;
    case 'other':
      return p.arns.has(who.raw) || p.federated.has(who.raw) || p.canonicalUsers.has(who.raw)
        ? PrincipalMatch.Direct
        : PrincipalMatch.None;
    case 'root':
      return who.account !== undefined && p.accounts.has(who.account)
        ? PrincipalMatch.Direct
        : PrincipalMatch.None;
    default:
      break;
  }
  if (p.arns.has(who.raw)) return PrincipalMatch.Direct;
  if (who.roleKey !== undefined) {
    const listed = p.roles.get(who.roleKey);
    if (listed !== undefined && roleMatches(listed, who, roleArn)) {
      return who.kind === 'role' ? PrincipalMatch.Direct : PrincipalMatch.Role;
    }
  }
  if (who.account !== undefined && p.accounts.has(who.account)) return PrincipalMatch.Account;
  return PrincipalMatch.None;
}

function roleMatches(listed: readonly string[], who: PrincipalInfo, roleArn: string | undefined): boolean {
  if (who.kind === 'role') return listed.includes(who.raw);
  // The session ARN drops the role path; with the full role ARN from the context compare exactly.
  if (roleArn?.includes(':role/')) return listed.includes(roleArn);
  return listed.some((arn) => arn.startsWith(`arn:${who.partition}:`));
}

/**
 * `NotPrincipal`: AWS checks each identity in the caller's chain (account, then role, then session),
 * so a caller is exempt only when every link is listed: an exempted user's account must be listed
 * too, and a role session needs its role ARN and account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function isExcludedByNotPrincipal(
  p: CompiledPrincipal,
  who: PrincipalInfo,
  roleArn: string | undefined,
): boolean {
  if (p.wildcard) return true;
  switch (who.kind) {
    case 'anonymous':
      return false;
    case 'service':
      return p.services.has(who.raw.toLowerCase());
    case 'other':
      return p.arns.has(who.raw) || p.federated.has(who.raw) || p.canonicalUsers.has(who.raw);
    default:
      break;
  }
  const accountListed = who.account !== undefined && p.accounts.has(who.account);
  if (!accountListed) return false;
  switch (who.kind) {
    case 'root':
      return true;
    case 'user':
    case 'federated-user':
      return p.arns.has(who.raw);
    case 'role':
    case 'assumed-role': {
      const listed = who.roleKey === undefined ? undefined : p.roles.get(who.roleKey);
      return listed !== undefined && roleMatches(listed, who, roleArn);
    }
    default:
      return false;
  }
}
