/**
 * Unused and stale identities from what AWS records about use: RoleLastUsed (authorization details),
 * the credential report (passwords and access keys) and service last-accessed data. Every answer says
 * whether the data was there: a missing report or last-accessed file is `unknown`, never "in use".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html#roles-managingrole_deleting-unused
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html
 */
import type {
  Account,
  Identity,
  LastAccessed,
  OrgSnapshot,
  RolePrincipal,
  UserPrincipal,
} from '../model/account.js';
import { daysInMonth, digits } from '../policy/conditions/date.js';
import { compilePolicySet, evaluate } from '../policy/evaluate/index.js';
import { policiesForPrincipal } from './policy-set.js';

const DAY_MS = 86_400_000;

/**
 * Milliseconds of a UTC time as the loader writes them (`2026-10-15T09:30:00Z`, optionally with
 * `.sss`), read without Date.parse (an audit reads tens of thousands); anything else goes to
 * Date.parse. NaN when unreadable.
 */
export function utcMillis(iso: string): number {
  const n = iso.length;
  if (
    (n === 20 || n === 24) &&
    iso.charCodeAt(n - 1) === 0x5a /* Z */ &&
    iso.charCodeAt(10) === 0x54 /* T */
  ) {
    const ms = n === 24 && iso.charCodeAt(19) === 0x2e ? digits(iso, 20, 3) : n === 20 ? 0 : -1;
    const year = digits(iso, 0, 4);
    const month = digits(iso, 5, 2);
    const dayOfMonth = digits(iso, 8, 2);
    const hours = digits(iso, 11, 2);
    const minutes = digits(iso, 14, 2);
    const seconds = digits(iso, 17, 2);
    if (
      iso.charCodeAt(4) === 0x2d &&
      iso.charCodeAt(7) === 0x2d &&
      iso.charCodeAt(13) === 0x3a &&
      iso.charCodeAt(16) === 0x3a &&
      month >= 1 &&
      month <= 12 &&
      dayOfMonth >= 1 &&
      hours >= 0 &&
      hours <= 23 &&
      minutes >= 0 &&
      minutes <= 59 &&
      seconds >= 0 &&
      seconds <= 59 &&
      ms >= 0 &&
      year >= 100 && // Date.UTC reads 0-99 as 1900-1999
      // Date.UTC rolls 2026-02-30 over into March; Date.parse refuses it: let it decide those.
      dayOfMonth <= daysInMonth(year, month)
    )
      return Date.UTC(year, month - 1, dayOfMonth, hours, minutes, seconds, ms);
  }
  return Date.parse(iso);
}

/** Whole days from `iso` to `now` (negative if in the future); undefined for a missing or unreadable date. */
export function daysSince(iso: string | null | undefined, now: Date): number | undefined {
  if (!iso) return undefined;
  const t = utcMillis(iso);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((now.getTime() - t) / DAY_MS);
}

export type UsageStatus = 'unused' | 'used' | 'new' | 'unknown';

export interface Usage {
  readonly status: UsageStatus;
  /** The most recent use AWS recorded (ISO), if any. */
  readonly lastUsed?: string;
  readonly lastUsedDays?: number;
  readonly createdDays?: number;
  /** One phrase for reports: `last used 212 days ago`, `never used (created 400 days ago)`. */
  readonly detail: string;
}

/** A service-linked role is created and used by its service; its use is not ours to judge. */
export function isServiceLinked(role: RolePrincipal): boolean {
  return role.roleCategory === 'service-linked' || role.path?.startsWith('/aws-service-role/') === true;
}

/**
 * Whether a role was used within `days`. RoleLastUsed covers about the last 400 days; a role created
 * within `days` and never used is `new`, not unused.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html
 */
export function roleUsage(role: RolePrincipal, now: Date, days: number): Usage {
  const created = daysSince(role.createdAt, now);
  const last = role.lastUsed?.date;
  const lastDays = daysSince(last, now);
  const base = {
    ...(last ? { lastUsed: last } : {}),
    ...(lastDays !== undefined ? { lastUsedDays: lastDays } : {}),
    ...(created !== undefined ? { createdDays: created } : {}),
  };
  if (lastDays !== undefined) {
    return lastDays > days
      ? { status: 'unused', ...base, detail: `last used ${lastDays} days ago` }
      : { status: 'used', ...base, detail: `last used ${lastDays} days ago` };
  }
  if (created === undefined)
    return { status: 'unknown', ...base, detail: 'no last-used date and no creation date' };
  if (created <= days) return { status: 'new', ...base, detail: `created ${created} days ago, not used yet` };
  return { status: 'unused', ...base, detail: `never used (created ${created} days ago)` };
}

function latest(dates: readonly (string | null | undefined)[]): string | undefined {
  let best: string | undefined;
  let bestT = Number.NEGATIVE_INFINITY;
  for (const d of dates) {
    if (!d) continue;
    const t = Date.parse(d);
    if (!Number.isNaN(t) && t > bestT) {
      bestT = t;
      best = d;
    }
  }
  return best;
}

/**
 * Whether a user signed in or used an access key within `days`, from the credential report. A user
 * without a row (no report collected) is `unknown`.
 */
export function userUsage(account: Account, user: UserPrincipal, now: Date, days: number): Usage {
  const row = user.credentials ?? account.credentialReport?.rows.get(user.arn);
  if (!row) return { status: 'unknown', detail: 'no credential report row' };
  const created = daysSince(row.userCreationTime ?? user.createdAt, now);
  const last = latest([row.passwordLastUsed, ...row.accessKeys.map((k) => k.lastUsedDate)]);
  const lastDays = daysSince(last, now);
  const base = {
    ...(last ? { lastUsed: last } : {}),
    ...(lastDays !== undefined ? { lastUsedDays: lastDays } : {}),
    ...(created !== undefined ? { createdDays: created } : {}),
  };
  if (lastDays !== undefined) {
    return {
      status: lastDays > days ? 'unused' : 'used',
      ...base,
      detail: `no sign-in or access-key use for ${lastDays} days`,
    };
  }
  if (created !== undefined && created <= days)
    return { status: 'new', ...base, detail: `created ${created} days ago, not used yet` };
  return {
    status: 'unused',
    ...base,
    detail:
      created !== undefined
        ? `never signed in or used a key (created ${created} days ago)`
        : 'never signed in or used a key',
  };
}

export interface UnusedServices {
  readonly status: 'known' | 'unknown';
  /** Namespaces granted but not accessed within `days` (never, or too long ago), sorted. */
  readonly unused: readonly string[];
  /** Namespaces accessed within `days`, sorted. */
  readonly used: readonly string[];
  readonly granted: number;
  readonly lastAccessed?: LastAccessed;
}

/**
 * Services the principal's policies grant (last-accessed data lists exactly those) that it has not
 * used within `days`. The data's tracking period is 400 days; "never" means not within it.
 */
export function unusedServices(
  account: Account,
  principalArn: string,
  now: Date,
  days: number,
): UnusedServices {
  const data = account.lastAccessed.get(principalArn);
  if (!data) return { status: 'unknown', unused: [], used: [], granted: 0 };
  const reference = data.jobCompletionDate
    ? new Date(Math.min(now.getTime(), Date.parse(data.jobCompletionDate) || now.getTime()))
    : now;
  const unused: string[] = [];
  const used: string[] = [];
  for (const s of data.services) {
    const d = daysSince(s.lastAuthenticated, reference);
    if (d === undefined || d > days) unused.push(s.namespace);
    else used.push(s.namespace);
  }
  unused.sort();
  used.sort();
  return { status: 'known', unused, used, granted: data.services.length, lastAccessed: data };
}

/** Every role that is not service-linked, with its account. */
export function* customerRoles(snapshot: OrgSnapshot): Iterable<[Account, RolePrincipal]> {
  for (const account of snapshot.accounts.values()) {
    for (const role of account.roles.values()) if (!isServiceLinked(role)) yield [account, role];
  }
}

/**
 * The services among `namespaces` the identity holds wholesale (`service:*` or `*`, after denies,
 * boundaries and SCPs): asked of the engine with an action name the service does not have, which
 * only a service-wide grant covers, so the answer also holds for every action AWS adds later. The
 * request is made in `region` so region guardrails apply as they would.
 */
export function servicesGrantedWholesale(
  snapshot: OrgSnapshot,
  identity: Identity,
  namespaces: readonly string[],
  region: string,
): string[] {
  const { set } = policiesForPrincipal(snapshot, identity);
  const managementAccount = snapshot.organization?.managementAccountId;
  const compiled = compilePolicySet(set, managementAccount ? { managementAccount } : {});
  const out: string[] = [];
  for (const ns of namespaces) {
    const d = evaluate(compiled, {
      principal: identity.arn,
      action: `${ns}:${UNKNOWN_ACTION}`,
      resource: '*',
      resourceAccount: identity.accountId,
      context: { 'aws:RequestedRegion': region },
    });
    if (d === 'Allowed') out.push(ns);
  }
  return out;
}

/** An action name no AWS service has: only a wildcard over the whole service matches it. */
const UNKNOWN_ACTION = 'LeastprivProbeUnlistedAction';
