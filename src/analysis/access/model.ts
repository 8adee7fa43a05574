/**
 * The access model of a snapshot: every user and role with its policy layers, indexed by ARN, and
 * effective-access summaries computed on demand. Built once per snapshot object (a WeakMap), so the
 * checks, `who-can` and `access` share it.
 */
import type { Account, OrgSnapshot } from '../../model/account.js';
import { type EffectiveAccess, effectiveAccess } from './effective-access.js';
import { type AccessLayers, type AccessSubject, accessLayers } from './layers.js';
import { objectId } from './object-id.js';

export interface AccessEntry {
  readonly subject: AccessSubject;
  readonly account: Account;
  readonly layers: AccessLayers;
}

export interface AccessModel {
  /** Users and roles, in snapshot order. */
  readonly principals: readonly AccessEntry[];
  readonly groups: readonly AccessEntry[];
  readonly byArn: ReadonlyMap<string, AccessEntry>;
}

const models = new WeakMap<OrgSnapshot, AccessModel>();

export function accessModel(snapshot: OrgSnapshot): AccessModel {
  const hit = models.get(snapshot);
  if (hit) return hit;
  const principals: AccessEntry[] = [];
  const groups: AccessEntry[] = [];
  /** Per account: where its principals and its groups end, for the index below. */
  const ends: [number, number][] = [];
  for (const account of snapshot.accounts.values()) {
    for (const subject of account.users.values())
      principals.push({ subject, account, layers: accessLayers(snapshot, subject) });
    for (const subject of account.roles.values())
      principals.push({ subject, account, layers: accessLayers(snapshot, subject) });
    for (const subject of account.groups.values())
      groups.push({ subject, account, layers: accessLayers(snapshot, subject) });
    ends.push([principals.length, groups.length]);
  }
  // Only lookups by name need the index (`access`, `can`, the HTML pages), not the audit's checks.
  let byArn: Map<string, AccessEntry> | undefined;
  const model: AccessModel = {
    principals,
    groups,
    get byArn() {
      if (!byArn) {
        byArn = new Map();
        // Snapshot order, principals then groups of each account, as built before: a later entry
        // with the same ARN wins.
        let p = 0;
        let g = 0;
        for (const [principalsEnd, groupsEnd] of ends) {
          for (; p < principalsEnd; p++) {
            const e = principals[p] as AccessEntry;
            byArn.set(e.subject.arn, e);
          }
          for (; g < groupsEnd; g++) {
            const e = groups[g] as AccessEntry;
            byArn.set(e.subject.arn, e);
          }
        }
      }
      return byArn;
    },
  };
  models.set(snapshot, model);
  return model;
}

/**
 * Principals with the same policy objects in every layer have the same summary: the key names the
 * objects (by a per-process id) so shared AWS managed policies collapse to one computation.
 */
export function layersKey(layers: AccessLayers): string {
  const part = (list: readonly { readonly policy: object }[] | undefined): string =>
    list === undefined ? '-' : list.map((p) => objectId(p.policy)).join(',');
  return [
    part(layers.identity),
    part(layers.boundary),
    layers.scp ? layers.scp.map(part).join('/') : '-',
    layers.rcp ? layers.rcp.map(part).join('/') : '-',
  ].join('|');
}

/**
 * A small cache of recent summaries: a full summary is a few sets of 22,000 bits, so keeping one per
 * principal of a large organization would cost hundreds of MB for no gain.
 */
const SUMMARY_CACHE_LIMIT = 512;
const summaries = new Map<string, EffectiveAccess>();

export function effectiveAccessOf(entry: AccessEntry): EffectiveAccess {
  const key = layersKey(entry.layers);
  let hit = summaries.get(key);
  if (hit) return hit;
  hit = effectiveAccess(entry.layers);
  if (summaries.size >= SUMMARY_CACHE_LIMIT) {
    const oldest = summaries.keys().next().value;
    if (oldest !== undefined) summaries.delete(oldest);
  }
  summaries.set(key, hit);
  return hit;
}
