import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import { ACCESS_DENIED_CODES, pathValue } from '../detect/fields.js';
import type { CloudTrailRecord } from '../detect/types.js';
import { mapEventToActions } from './event-action.js';
import { eventAccount, eventResourceArns } from './resources.js';

/**
 * Actions used by one principal, accumulated from its CloudTrail events, and the comparison with
 * what its policies grant: used, granted but unused, used but not granted.
 */

const MAX_RESOURCES_PER_ACTION = 50;

export interface ActionUse {
  readonly action: string;
  readonly count: number;
  readonly firstUsed: string;
  readonly lastUsed: string;
  /** Resource ARNs the events named (at most 50; `resourcesTruncated` when there were more). */
  readonly resources: readonly string[];
  readonly resourcesTruncated: boolean;
  readonly regions: readonly string[];
  readonly accounts: readonly string[];
}

export interface EventCount {
  readonly eventSource: string;
  readonly eventName: string;
  readonly count: number;
  readonly reason: string;
}

/** Identical calls counted together: what a GROUP BY over the store returns. */
export interface CountedEvents {
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventType?: string;
  readonly errorCode?: string;
  readonly region?: string;
  readonly account?: string;
  readonly count: number;
  readonly firstTime: string;
  readonly lastTime: string;
}

interface MutableUse {
  action: string;
  count: number;
  firstUsed: string;
  lastUsed: string;
  resources: Set<string>;
  truncated: boolean;
  regions: Set<string>;
  accounts: Set<string>;
}

/** Folds events into per-action use. Stateful, so a class; bounded by the catalogue size. */
export class UsageAccumulator {
  readonly #used = new Map<number, MutableUse>();
  readonly #denied = new Map<string, { action: string; count: number; last: string }>();
  readonly #skipped = new Map<
    string,
    { eventSource: string; eventName: string; count: number; reason: string }
  >();
  #events = 0;
  #first: string | undefined;
  #last: string | undefined;

  add(e: CloudTrailRecord): void {
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const time = str(e.eventTime) ?? '';
    this.addCounted(
      {
        eventSource: str(e.eventSource) ?? '',
        eventName: str(e.eventName) ?? '',
        ...(str(e.eventType) ? { eventType: str(e.eventType) as string } : {}),
        ...(str(e.errorCode) ? { errorCode: str(e.errorCode) as string } : {}),
        ...(str(e.awsRegion) ? { region: str(e.awsRegion) as string } : {}),
        ...(eventAccount(e) ? { account: eventAccount(e) as string } : {}),
        count: 1,
        firstTime: time,
        lastTime: time,
      },
      eventResourceArns(e),
    );
  }

  /** Several identical calls at once (from a GROUP BY over the store). */
  addCounted(c: CountedEvents, arns: readonly string[] = []): void {
    const { eventSource: source, eventName: name, count } = c;
    this.#events += count;
    if (c.firstTime && (this.#first === undefined || c.firstTime < this.#first)) this.#first = c.firstTime;
    if (c.lastTime && (this.#last === undefined || c.lastTime > this.#last)) this.#last = c.lastTime;
    // Service events and sign-ins are not calls the principal's policies authorised.
    if (c.eventType === 'AwsServiceEvent' || c.eventType === 'AwsConsoleSignIn') {
      this.#skip(source, name, `${c.eventType} event`, count);
      return;
    }
    const mapping = mapEventToActions(source, name);
    if (mapping.kind !== 'actions') {
      this.#skip(source, name, mapping.reason, count);
      return;
    }
    if (c.errorCode && ACCESS_DENIED_CODES.has(c.errorCode)) {
      for (const info of mapping.actions) {
        const d = this.#denied.get(info.fullName) ?? { action: info.fullName, count: 0, last: '' };
        d.count += count;
        if (c.lastTime > d.last) d.last = c.lastTime;
        this.#denied.set(info.fullName, d);
      }
      return;
    }
    // Any other error (NoSuchEntity, a validation error) still got past authorisation.
    for (const info of mapping.actions) {
      let u = this.#used.get(info.index);
      if (!u) {
        u = {
          action: info.fullName,
          count: 0,
          firstUsed: c.firstTime,
          lastUsed: c.lastTime,
          resources: new Set(),
          truncated: false,
          regions: new Set(),
          accounts: new Set(),
        };
        this.#used.set(info.index, u);
      }
      u.count += count;
      if (c.firstTime < u.firstUsed) u.firstUsed = c.firstTime;
      if (c.lastTime > u.lastUsed) u.lastUsed = c.lastTime;
      for (const arn of arns) {
        if (u.resources.has(arn)) continue;
        if (u.resources.size < MAX_RESOURCES_PER_ACTION) u.resources.add(arn);
        else u.truncated = true;
      }
      if (c.region && u.regions.size < 64) u.regions.add(c.region);
      if (c.account && u.accounts.size < 64) u.accounts.add(c.account);
    }
  }

  #skip(eventSource: string, eventName: string, reason: string, count: number): void {
    const key = `${eventSource}\u0000${eventName}`;
    const s = this.#skipped.get(key) ?? { eventSource, eventName, count: 0, reason };
    s.count += count;
    this.#skipped.set(key, s);
  }

  get events(): number {
    return this.#events;
  }

  result(): ActivitySummary {
    const sorted = <T extends { action: string }>(xs: Iterable<T>) =>
      [...xs].sort((a, b) => a.action.localeCompare(b.action));
    return {
      events: this.#events,
      ...(this.#first ? { firstEvent: this.#first } : {}),
      ...(this.#last ? { lastEvent: this.#last } : {}),
      used: sorted(this.#used.values()).map((u) => ({
        action: u.action,
        count: u.count,
        firstUsed: u.firstUsed,
        lastUsed: u.lastUsed,
        resources: [...u.resources].sort(),
        resourcesTruncated: u.truncated,
        regions: [...u.regions].sort(),
        accounts: [...u.accounts].sort(),
      })),
      usedIndices: [...this.#used.keys()].sort((a, b) => a - b),
      denied: sorted(this.#denied.values()).map((d) => ({
        action: d.action,
        count: d.count,
        lastTime: d.last,
      })),
      skipped: [...this.#skipped.values()].sort(
        (a, b) => a.eventSource.localeCompare(b.eventSource) || a.eventName.localeCompare(b.eventName),
      ),
    };
  }
}

export interface ActivitySummary {
  readonly events: number;
  readonly firstEvent?: string;
  readonly lastEvent?: string;
  readonly used: readonly ActionUse[];
  /** Catalogue indices of the used actions. */
  readonly usedIndices: readonly number[];
  readonly denied: readonly { readonly action: string; readonly count: number; readonly lastTime: string }[];
  /** Events that map to no IAM action of the caller (sign-ins, GetCallerIdentity, unknown services). */
  readonly skipped: readonly EventCount[];
}

export interface ServiceUsage {
  readonly service: string;
  readonly granted: number;
  readonly used: number;
  readonly unused: number;
}

export interface UsageComparison {
  readonly granted: number;
  readonly used: number;
  /** Full action names, sorted. */
  readonly grantedUnused: readonly string[];
  /** Used actions the snapshot's identity policies do not grant: a resource policy, or a policy missing from the snapshot. */
  readonly usedNotGranted: readonly string[];
  readonly byService: readonly ServiceUsage[];
}

export function compareUsage(activity: ActivitySummary, granted: ActionSet): UsageComparison {
  const catalog = getCatalog();
  const used = new Set(activity.usedIndices);
  const grantedUnused: string[] = [];
  const services = new Map<string, { granted: number; used: number }>();
  for (const index of granted.indices()) {
    const info = catalog.actionByIndex(index);
    const s = services.get(info.service) ?? { granted: 0, used: 0 };
    s.granted++;
    if (used.has(index)) s.used++;
    else grantedUnused.push(info.fullName);
    services.set(info.service, s);
  }
  const usedNotGranted = activity.usedIndices
    .filter((i) => !granted.has(i))
    .map((i) => catalog.actionByIndex(i).fullName)
    .sort();
  return {
    granted: granted.count(),
    used: used.size,
    grantedUnused: grantedUnused.sort(),
    usedNotGranted,
    byService: [...services]
      .map(([service, s]) => ({ service, granted: s.granted, used: s.used, unused: s.granted - s.used }))
      .sort((a, b) => b.unused - a.unused || a.service.localeCompare(b.service)),
  };
}

/** The principal an event belongs to for usage: the session issuer of a role session, else the caller. */
export function usagePrincipalOf(e: CloudTrailRecord): string | undefined {
  const issuer = pathValue(e, 'userIdentity.sessionContext.sessionIssuer.arn');
  if (typeof issuer === 'string' && issuer !== '' && pathValue(e, 'userIdentity.type') === 'AssumedRole')
    return issuer;
  const arn = pathValue(e, 'userIdentity.arn');
  return typeof arn === 'string' && arn !== '' ? arn : undefined;
}
