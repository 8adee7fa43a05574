/**
 * The per-principal facts the access checks report, computed in one pass over the access model and
 * memoised per snapshot so every check shares it. Only the small derived facts are kept; the bitsets
 * are dropped as soon as each principal is done.
 */
import { getCatalog } from '../../catalog/index.js';
import type { OrgSnapshot } from '../../model/account.js';
import { type AdminStatus, adminStatus } from './admin.js';
import { categoryActions, type RiskCategory, SENSITIVE_SERVICES, serviceActionSet } from './categories.js';
import { effectiveAccess } from './effective-access.js';
import { isServiceLinkedRole } from './layers.js';
import { type AccessEntry, accessModel, effectiveAccessOf } from './model.js';

export interface PrincipalAccessFacts {
  readonly entry: AccessEntry;
  readonly admin?: AdminStatus;
  /** Sensitive services all of whose actions are allowed on `*`, sorted. */
  readonly wildcardServices: readonly string[];
  /** Constrainable actions of each category allowed on `*` (full names, sorted). */
  readonly categories: ReadonlyMap<RiskCategory, readonly string[]>;
  /** The summary is incomplete: a policy is missing or could not be read. */
  readonly incomplete: boolean;
}

export interface AccessFacts {
  /** Users and roles (service-linked roles excluded: AWS owns their policies). */
  readonly principals: readonly PrincipalAccessFacts[];
  readonly groups: readonly PrincipalAccessFacts[];
}

const CATEGORIES: readonly RiskCategory[] = [
  'credentials-exposure',
  'data-exfiltration',
  'resource-exposure',
  'infrastructure-modification',
];

const cache = new WeakMap<OrgSnapshot, AccessFacts>();

function factsOf(entry: AccessEntry, withDetail: boolean): PrincipalAccessFacts {
  const access = effectiveAccessOf(entry);
  const admin = adminStatus(entry.subject, access);
  const catalog = getCatalog();
  const wildcardServices: string[] = [];
  const categories = new Map<RiskCategory, readonly string[]>();
  if (withDetail) {
    for (const service of SENSITIVE_SERVICES) {
      const set = serviceActionSet(service);
      if (!set.isEmpty() && set.isSubsetOf(access.onAll)) wildcardServices.push(service);
    }
    // Categories count the grants of policies the account owner wrote (customer-managed and
    // inline): AWS managed job-function policies are reported by the admin and wildcard checks.
    const owned = entry.layers.identity.filter((p) => p.kind !== 'aws-managed');
    const ownedOnAll =
      owned.length === 0
        ? undefined
        : owned.length === entry.layers.identity.length
          ? access.onAll
          : effectiveAccess({ ...entry.layers, identity: owned }).onAll;
    for (const category of ownedOnAll ? CATEGORIES : []) {
      const hit = categoryActions(category).intersect(ownedOnAll ?? access.onAll);
      if (hit.isEmpty()) continue;
      const names = [...hit.indices()].map((i) => catalog.actionByIndex(i).fullName).sort();
      categories.set(category, names);
    }
  }
  return {
    entry,
    ...(admin ? { admin } : {}),
    wildcardServices,
    categories,
    incomplete: entry.layers.missing.length > 0 || entry.layers.unreadable.length > 0,
  };
}

export function accessFacts(snapshot: OrgSnapshot): AccessFacts {
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const model = accessModel(snapshot);
  const principals = model.principals
    .filter((e) => !isServiceLinkedRole(e.subject))
    .map((e) => factsOf(e, true));
  const groups = model.groups.map((e) => factsOf(e, false));
  const facts = { principals, groups };
  cache.set(snapshot, facts);
  return facts;
}
