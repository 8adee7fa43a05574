import { identities } from '../../analysis/policy-set.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { streamEvents } from '../detect/source.js';
import { ActivityDb } from '../store.js';
import { grantedActions } from './granted.js';
import {
  type ActivitySummary,
  type CountedEvents,
  compareUsage,
  UsageAccumulator,
  type UsageComparison,
} from './usage.js';

/**
 * Granted versus used for principals of a snapshot, from the activity store: per principal, the
 * actions its events exercised, the actions its policies grant, and the difference both ways.
 */

export interface PrincipalUsageReport {
  readonly principal: string;
  readonly kind: Identity['kind'];
  readonly name: string;
  readonly account: string;
  /** Start of the window examined (ISO), or absent for the whole store. */
  readonly since?: string;
  readonly activity: ActivitySummary;
  readonly comparison: UsageComparison;
  /** Why the granted side may be incomplete. */
  readonly incomplete: readonly string[];
}

/** The identity a command-line argument names: an ARN, or a user or role name unique in the snapshot. */
export function resolveIdentity(snapshot: OrgSnapshot, arg: string): Identity | { readonly error: string } {
  const matches: Identity[] = [];
  for (const account of snapshot.accounts.values()) {
    if (account.root.arn === arg) return account.root;
  }
  for (const i of identities(snapshot)) if (i.arn === arg || i.name === arg) matches.push(i);
  const exact = matches.filter((m) => m.arn === arg);
  if (exact.length === 1) return exact[0] as Identity;
  if (matches.length === 1) return matches[0] as Identity;
  if (matches.length === 0)
    return { error: `no user or role "${arg}" in the snapshot (give its ARN or name)` };
  return {
    error: `"${arg}" names ${matches.length} principals: ${matches.map((m) => m.arn).join(', ')}; give the ARN`,
  };
}

function report(
  snapshot: OrgSnapshot,
  identity: Identity,
  activity: ActivitySummary,
  since: Date | undefined,
): PrincipalUsageReport {
  const granted = grantedActions(snapshot, identity);
  return {
    principal: identity.arn,
    kind: identity.kind,
    name: identity.name,
    account: identity.accountId,
    ...(since ? { since: since.toISOString() } : {}),
    activity,
    comparison: compareUsage(activity, granted.set),
    incomplete: granted.incomplete,
  };
}

/** One principal, event by event (resources included: `trail usage` and `trail policy` need them). */
export async function principalUsage(
  db: ActivityDb,
  snapshot: OrgSnapshot,
  identity: Identity,
  options: { readonly since?: Date } = {},
): Promise<PrincipalUsageReport> {
  const acc = new UsageAccumulator();
  for await (const e of streamEvents(db, {
    principalArn: identity.arn,
    ...(options.since ? { since: options.since.toISOString() } : {}),
  }))
    acc.add(e);
  return report(snapshot, identity, acc.result(), options.since);
}

const COUNTED_SQL = `
  SELECT principal, event_source, event_name, event_type, error_code, aws_region, recipient_account,
         count(*) AS n, min(event_time) AS first_time, max(event_time) AS last_time
  FROM (
    SELECT CASE WHEN identity_type = 'AssumedRole' AND session_issuer_arn IS NOT NULL
                THEN session_issuer_arn ELSE identity_arn END AS principal, *
    FROM events
    WHERE event_time >= CAST($since AS TIMESTAMP)
  )
  WHERE principal IS NOT NULL
  GROUP BY ALL`;

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Every user and role of the snapshot with activity in the window, from one GROUP BY over the store
 * (no raw events are read). Principals without any event are left out: that they are unused at all
 * is the unused-user / unused-role checks' finding, not an action-level one.
 */
export async function unusedPermissionsFromActivity(
  dbPath: string,
  snapshot: OrgSnapshot,
  options: { readonly since: Date },
): Promise<ReadonlyMap<string, PrincipalUsageReport>> {
  const known = new Map<string, Identity>();
  for (const i of identities(snapshot)) known.set(i.arn, i);
  const accumulators = new Map<string, UsageAccumulator>();
  const db = await ActivityDb.openReadOnly(dbPath);
  try {
    const result = await db.query(COUNTED_SQL, { since: options.since.toISOString() });
    for (const row of result.rows) {
      const principal = text(row.principal);
      if (!principal || !known.has(principal)) continue;
      let acc = accumulators.get(principal);
      if (!acc) {
        acc = new UsageAccumulator();
        accumulators.set(principal, acc);
      }
      const counted: CountedEvents = {
        eventSource: text(row.event_source) ?? '',
        eventName: text(row.event_name) ?? '',
        ...(text(row.event_type) ? { eventType: text(row.event_type) as string } : {}),
        ...(text(row.error_code) ? { errorCode: text(row.error_code) as string } : {}),
        ...(text(row.aws_region) ? { region: text(row.aws_region) as string } : {}),
        ...(text(row.recipient_account) ? { account: text(row.recipient_account) as string } : {}),
        count: typeof row.n === 'number' ? row.n : Number(row.n),
        firstTime: text(row.first_time) ?? '',
        lastTime: text(row.last_time) ?? '',
      };
      acc.addCounted(counted);
    }
  } finally {
    db.close();
  }
  const out = new Map<string, PrincipalUsageReport>();
  for (const [arn, acc] of [...accumulators].sort((a, b) => a[0].localeCompare(b[0])))
    out.set(arn, report(snapshot, known.get(arn) as Identity, acc.result(), options.since));
  return out;
}
