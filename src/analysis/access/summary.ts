/**
 * One principal's effective permissions by service and access level, for `leastpriv access`:
 * counts of actions allowed on every resource, on some resources, and only under a condition
 * (with the conditions), and whether the service was used within the unused-days window.
 */
import { ACCESS_LEVELS, getCatalog } from '../../catalog/index.js';
import type { AccessLevel, ActionSet } from '../../catalog/types.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { conditionText, grantsOf } from './evidence.js';
import { type AccessEntry, effectiveAccessOf } from './model.js';
import { denseInto, wordCount } from './word-sets.js';

export type LevelCounts = Readonly<Record<AccessLevel, number>>;

export type ServiceUsage = 'used' | 'unused' | 'unknown';

export interface ServiceAccess {
  readonly service: string;
  readonly all: LevelCounts;
  readonly scoped: LevelCounts;
  readonly conditional: LevelCounts;
  /** Some granted action may still be refused by a conditional or resource-scoped Deny. */
  readonly restricted: number;
  /** The conditions of the Allow statements behind conditional grants. */
  readonly conditions: readonly string[];
  readonly usage: ServiceUsage;
  readonly lastAccessed?: string;
}

export interface AccessSummary {
  readonly principal: string;
  readonly kind: 'user' | 'role' | 'root';
  readonly account: string;
  readonly services: readonly ServiceAccess[];
  /** Actions summary counts over every service. */
  readonly totals: { readonly all: number; readonly scoped: number; readonly conditional: number };
  readonly unusedDays: number;
  /** Whether service last-accessed data exists for the principal. */
  readonly usageKnown: boolean;
  readonly notes: readonly string[];
}

function emptyCounts(): Record<AccessLevel, number> {
  return { List: 0, Read: 0, Write: 0, 'Permissions management': 0, Tagging: 0 };
}

/** Per catalog action: its service's ordinal and its access level's, so counting reads two arrays per action. */
interface ActionTables {
  readonly services: readonly string[];
  readonly serviceOf: Uint16Array;
  readonly levelOf: Uint8Array;
}

let tables: ActionTables | undefined;

function actionTables(): ActionTables {
  if (tables) return tables;
  const catalog = getCatalog();
  const services: string[] = [];
  const ordinal = new Map<string, number>();
  const serviceOf = new Uint16Array(catalog.actionCount);
  const levelOf = new Uint8Array(catalog.actionCount);
  for (let i = 0; i < catalog.actionCount; i++) {
    const info = catalog.actionByIndex(i);
    let o = ordinal.get(info.service);
    if (o === undefined) {
      o = services.length;
      services.push(info.service);
      ordinal.set(info.service, o);
    }
    serviceOf[i] = o;
    levelOf[i] = ACCESS_LEVELS.indexOf(info.accessLevel);
  }
  tables = { services, serviceOf, levelOf };
  return tables;
}

/** Counts per service and access level, in the order services first appear in the set (index order). */
function bucket(set: ActionSet, into: Map<string, Record<AccessLevel, number>>): void {
  const t = actionTables();
  const words = scratchWords();
  denseInto(words, set);
  for (let w = 0; w < words.length; w++) {
    let bits = words[w] as number;
    while (bits !== 0) {
      const low = bits & -bits;
      const i = (w << 5) + (31 - Math.clz32(low));
      bits = (bits ^ low) >>> 0;
      const service = t.services[t.serviceOf[i] as number] as string;
      let counts = into.get(service);
      if (!counts) {
        counts = emptyCounts();
        into.set(service, counts);
      }
      counts[ACCESS_LEVELS[t.levelOf[i] as number] as AccessLevel]++;
    }
  }
}

let scratch: Uint32Array | undefined;
function scratchWords(): Uint32Array {
  if (!scratch || scratch.length !== wordCount()) scratch = new Uint32Array(wordCount());
  return scratch;
}

export function accessSummary(
  snapshot: OrgSnapshot,
  entry: AccessEntry,
  options: { readonly unusedDays: number; readonly now: Date },
): AccessSummary {
  const identity = entry.subject as Identity;
  const access = effectiveAccessOf(entry);
  const all = new Map<string, Record<AccessLevel, number>>();
  const scoped = new Map<string, Record<AccessLevel, number>>();
  const conditional = new Map<string, Record<AccessLevel, number>>();
  bucket(access.onAll, all);
  bucket(access.scoped, scoped);
  bucket(access.conditional, conditional);
  const restrictedBy = new Map<string, number>();
  const catalog = getCatalog();
  const restrictedCounts = new Map<string, Record<AccessLevel, number>>();
  bucket(access.restricted, restrictedCounts);
  for (const [service, counts] of restrictedCounts)
    restrictedBy.set(
      service,
      Object.values(counts).reduce((a, b) => a + b, 0),
    );
  const lastAccessed = entry.account.lastAccessed.get(identity.arn);
  const used = new Map<string, string | null>();
  for (const s of lastAccessed?.services ?? []) used.set(s.namespace.toLowerCase(), s.lastAuthenticated);
  const cutoff = options.now.getTime() - options.unusedDays * 86_400_000;
  const services = [...new Set([...all.keys(), ...scoped.keys(), ...conditional.keys()])].sort();
  const out: ServiceAccess[] = services.map((service) => {
    const conditions = conditional.has(service)
      ? [
          ...new Set(
            grantsOf(entry.layers.identity, catalog.expandActionPattern(`${service}:*`).set)
              .filter((g) => g.kind === 'conditional')
              .map(
                (g) =>
                  `${g.policy.name}#${g.statement.sid ?? g.statement.index}: ${conditionText(g.statement)}`,
              ),
          ),
        ]
      : [];
    const last = used.get(service);
    const usage: ServiceUsage = !lastAccessed
      ? 'unknown'
      : last && Date.parse(last) >= cutoff
        ? 'used'
        : 'unused';
    return {
      service,
      all: all.get(service) ?? emptyCounts(),
      scoped: scoped.get(service) ?? emptyCounts(),
      conditional: conditional.get(service) ?? emptyCounts(),
      restricted: restrictedBy.get(service) ?? 0,
      conditions,
      usage,
      ...(last ? { lastAccessed: last } : {}),
    };
  });
  const notes: string[] = [];
  if (entry.layers.missing.length > 0)
    notes.push(`policies not in the snapshot: ${entry.layers.missing.join(', ')}`);
  if (entry.layers.unreadable.length > 0)
    notes.push(
      `policies with errors (the engine answers Unknown there): ${entry.layers.unreadable.join(', ')}`,
    );
  if (entry.layers.guardrailsUnknown) notes.push('SCPs of the account are unknown: they may deny more');
  notes.push(
    'resource policies that name the principal can grant more on their resources: ask `leastpriv can` for one resource',
  );
  return {
    principal: identity.arn,
    kind: identity.kind,
    account: identity.accountId,
    services: out,
    totals: {
      all: access.onAll.count(),
      scoped: access.scoped.count(),
      conditional: access.conditional.count(),
    },
    unusedDays: options.unusedDays,
    usageKnown: lastAccessed !== undefined,
    notes,
  };
}

export const LEVELS: readonly AccessLevel[] = ACCESS_LEVELS;
