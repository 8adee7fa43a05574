/**
 * The third-party access register: every role another account can assume, who that account is
 * relative to the zone of trust, whether it must present an ExternalId, what the role lets it do,
 * and when the role was last used. Built from the engine's verdicts on each trust policy
 * (`externalAccess`) and on the role's own policies (`policiesForPrincipal`). Exported as the
 * `thirdPartyAccess` section of the audit JSON and rendered in the HTML report.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
import { ActionSetBuilder, BitActionSet } from '../catalog/action-set.js';
import { getCatalog } from '../catalog/index.js';
import type { AccessLevel, ActionSet } from '../catalog/types.js';
import type { OrgSnapshot, RolePrincipal } from '../model/account.js';
import type { Statement } from '../model/policy.js';
import { compilePolicySet, evaluate } from '../policy/evaluate/index.js';
import { compileActionPattern } from '../policy/match/index.js';
import { statementActions } from './access/policy-actions.js';
import {
  type ExternalGrant,
  externalAccess,
  organizationAccounts,
  type ZoneOptions,
} from './exposure/index.js';
import { policiesForPrincipal } from './policy-set.js';

export type TrustRelation = 'organization' | 'trusted' | 'external' | 'anyone';

export interface ServiceAccess {
  readonly service: string;
  /** Allowed actions per access level. */
  readonly levels: Readonly<Partial<Record<AccessLevel, number>>>;
}

export interface ActionsReachable {
  readonly totalActions: number;
  /** Services with at least one allowed action, by number of actions, then name. */
  readonly services: readonly ServiceAccess[];
  /** Some of the role's policies are missing from the snapshot: the summary may be short. */
  readonly incomplete: boolean;
}

export interface ThirdPartyAccessRow {
  readonly account: string;
  readonly role: string;
  readonly roleName: string;
  /** The trusted account id, or `*` for a role any account can assume. */
  readonly trustedAccount: string;
  /** The principal the trust names: the account, or a role or user in it. */
  readonly trustedPrincipal: string;
  /** A name for the account when the snapshot's organization knows it. */
  readonly trustedAccountName?: string;
  readonly relation: TrustRelation;
  readonly externalIdRequired: boolean;
  /** Other conditions the trust needs (`aws:SourceIp` …), as `key: values`. */
  readonly conditions: readonly string[];
  readonly actionsReachable: ActionsReachable;
  readonly lastUsed: string | null;
  readonly lastUsedRegion: string | null;
  /** The trust could not be fully evaluated: the row may not be exact. */
  readonly uncertain: boolean;
}

const RESOURCES_PER_STATEMENT = 3;
/** An action name no service has: only a wildcard over the whole service (or `*`) matches it. */
const UNLISTED_ACTION = 'LeastprivProbeUnlistedAction';

function instantiate(pattern: string): string {
  let out = '';
  for (const ch of pattern) out += ch === '*' ? 'x' : ch === '?' ? 'x' : ch;
  return pattern === '*' ? '*' : out;
}

const reachCache = new WeakMap<RolePrincipal, ActionsReachable>();
const sharedReach = new WeakMap<OrgSnapshot, Map<string, ActionsReachable>>();
const ids = new WeakMap<object, number>();
let nextId = 1;

function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

/** Scratch buffers reused across roles (the register is built synchronously, one role at a time). */
const scratch = {
  classOf: new Int32Array(0),
  stamp: new Int32Array(0),
  remap: new Int32Array(0),
  words: new Uint32Array(0),
};
let generation = 0;
const baseCache = new Map<string, { readonly classOf: Int32Array; readonly count: number }>();

/**
 * The class every action starts in. For a catalog action the engine reads the service only to
 * pick AssumeRole* (sts), key policies (kms) and whether RCPs apply, so without RCPs every other
 * service starts in one class; sts actions are each a class of their own and kms is apart. With
 * RCPs each service is a class.
 */
function baseClasses(actionCount: number, perService: boolean): { classOf: Int32Array; count: number } {
  const cacheKey = `${actionCount}|${perService}`;
  const hit = baseCache.get(cacheKey);
  if (hit) return hit;
  const catalog = getCatalog();
  const byService = new Map<string, number>();
  const out = new Int32Array(actionCount);
  let next = 0;
  for (let i = 0; i < actionCount; i++) {
    const service = catalog.actionByIndex(i).service;
    if (service === 'sts') out[i] = next++;
    else {
      const group = perService || service === 'kms' ? service : '';
      let c = byService.get(group);
      if (c === undefined) {
        c = next++;
        byService.set(group, c);
      }
      out[i] = c;
    }
  }
  const made = { classOf: out, count: next };
  baseCache.set(cacheKey, made);
  return made;
}

function loadWords(set: ActionSet, words: Uint32Array): void {
  words.fill(0);
  if (set instanceof BitActionSet) set.orInto(words);
  else for (const i of set.indices()) words[i >>> 5] = (words[i >>> 5] as number) | (1 << (i & 31));
}

/**
 * Splits the candidate actions into classes the engine cannot tell apart: same base class and
 * named by exactly the same statements (the engine picks a request's statements by these bits
 * alone). Partition refinement over the statement sets, one pass per statement, into
 * `scratch.classOf`; returns the number of class ids used.
 */
function refineClasses(
  candidates: ActionSet,
  statementSets: readonly ActionSet[],
  actionCount: number,
  perService: boolean,
): number {
  const { classOf: base, count: baseClassCount } = baseClasses(actionCount, perService);
  const wordsLen = (actionCount + 31) >>> 5;
  if (scratch.classOf.length !== actionCount) {
    scratch.classOf = new Int32Array(actionCount);
    scratch.words = new Uint32Array(wordsLen);
  }
  const classOf = scratch.classOf;
  classOf.set(base);
  const cand = new Uint32Array(wordsLen);
  loadWords(candidates, cand);
  let next = baseClassCount;
  // Class ids only grow (at most one new id per candidate per statement); stamp/remap are indexed
  // by class id and grown on demand, and the generation keeps counting across roles so a stamp
  // left by an earlier role never matches.
  const words = scratch.words;
  for (const stSet of statementSets) {
    generation++;
    loadWords(stSet, words);
    for (let wi = 0; wi < wordsLen; wi++) {
      let w = ((words[wi] as number) & (cand[wi] as number)) >>> 0;
      while (w !== 0) {
        const low = w & -w;
        const index = (wi << 5) + (31 - Math.clz32(low));
        w = (w ^ low) >>> 0;
        const c = classOf[index] as number;
        if (c >= scratch.stamp.length) {
          const size = Math.max(next + 1024, scratch.stamp.length * 2);
          const stamp = new Int32Array(size);
          stamp.set(scratch.stamp);
          const remap = new Int32Array(size);
          remap.set(scratch.remap);
          scratch.stamp = stamp;
          scratch.remap = remap;
        }
        if (scratch.stamp[c] !== generation) {
          scratch.stamp[c] = generation;
          scratch.remap[c] = next++;
        }
        classOf[index] = scratch.remap[c] as number;
      }
    }
  }
  return next;
}

const narrowCache = new WeakMap<Statement, ActionSet | null>();

function isWide(pattern: string): boolean {
  return pattern === '*' || pattern.endsWith(':*');
}

/**
 * The actions a statement names by patterns narrower than a whole service (`*` and `svc:*`
 * left out), or null when it has none. Kept per parsed statement: when no pattern is wide this
 * is the statement's own action set (complemented back for NotAction), so nothing is expanded
 * twice.
 */
function narrowActions(st: Statement): ActionSet | null {
  const hit = narrowCache.get(st);
  if (hit !== undefined) return hit;
  const patterns = [...(st.action ?? []), ...(st.notAction ?? [])];
  let out: ActionSet | null;
  if (patterns.every(isWide)) out = null;
  else if (!patterns.some(isWide) && (st.action === undefined) !== (st.notAction === undefined)) {
    const own = statementActions(st);
    out = st.action ? own : own.complement();
  } else {
    const catalog = getCatalog();
    const builder = new ActionSetBuilder(catalog.actionCount);
    for (const p of patterns) if (!isWide(p)) builder.addSet(catalog.expandActionPattern(p).set);
    out = builder.build();
  }
  narrowCache.set(st, out);
  return out;
}

interface ActionMeta {
  readonly serviceOf: Int32Array;
  readonly levelOf: Uint8Array;
  readonly serviceNames: readonly string[];
  readonly levelNames: readonly AccessLevel[];
}

let actionMetaCache: ActionMeta | undefined;

/** Each action's service and access level as small integers, built once per catalog. */
function actionMeta(actionCount: number): ActionMeta {
  if (actionMetaCache && actionMetaCache.serviceOf.length === actionCount) return actionMetaCache;
  const catalog = getCatalog();
  const serviceOf = new Int32Array(actionCount);
  const levelOf = new Uint8Array(actionCount);
  const serviceIds = new Map<string, number>();
  const levelIds = new Map<AccessLevel, number>();
  const serviceNames: string[] = [];
  const levelNames: AccessLevel[] = [];
  for (let i = 0; i < actionCount; i++) {
    const info = catalog.actionByIndex(i);
    let s = serviceIds.get(info.service);
    if (s === undefined) {
      s = serviceNames.length;
      serviceIds.set(info.service, s);
      serviceNames.push(info.service);
    }
    let l = levelIds.get(info.accessLevel);
    if (l === undefined) {
      l = levelNames.length;
      levelIds.set(info.accessLevel, l);
      levelNames.push(info.accessLevel);
    }
    serviceOf[i] = s;
    levelOf[i] = l;
  }
  actionMetaCache = { serviceOf, levelOf, serviceNames, levelNames };
  return actionMetaCache;
}

const NO_SERVICES = new Uint32Array(0);
const unlistedCache = new WeakMap<Statement, Uint32Array>();
let serviceIndex: Map<string, number> | undefined;

/**
 * The services whose unlisted action (`svc:LeastprivProbeUnlistedAction`) the statement's
 * Action/NotAction matches, as bits over `meta.serviceNames`, by the engine's own matchers. A
 * pattern whose service part has no wildcard can only match that one service. Kept per parsed
 * statement: AWS managed policies and SCPs are shared by many roles.
 */
function unlistedServices(st: Statement, meta: ActionMeta): Uint32Array {
  const hit = unlistedCache.get(st);
  if (hit !== undefined) return hit;
  const count = meta.serviceNames.length;
  if (!serviceIndex) serviceIndex = new Map(meta.serviceNames.map((n, i) => [n.toLowerCase(), i]));
  const patterns = st.action ?? st.notAction ?? [];
  const notAction = st.action === undefined && st.notAction !== undefined;
  const bits = new Uint32Array((count + 31) >>> 5);
  const test = (p: string, service: number): void => {
    if (compileActionPattern(p)(`${meta.serviceNames[service]}:${UNLISTED_ACTION}`))
      bits[service >>> 5] = (bits[service >>> 5] as number) | (1 << (service & 31));
  };
  for (const p of patterns) {
    const colon = p.indexOf(':');
    const servicePart = colon === -1 ? p : p.slice(0, colon);
    if (servicePart.includes('*') || servicePart.includes('?')) {
      for (let i = 0; i < count; i++) test(p, i);
    } else {
      const i = serviceIndex.get(servicePart.toLowerCase());
      if (i !== undefined) test(p, i);
    }
  }
  if (notAction) {
    for (let i = 0; i < bits.length; i++) bits[i] = ~(bits[i] as number);
    const extra = bits.length * 32 - count;
    if (extra > 0) bits[bits.length - 1] = (bits[bits.length - 1] as number) & (0xffffffff >>> extra);
  }
  const out = bits.every((w) => w === 0) ? NO_SERVICES : bits;
  unlistedCache.set(st, out);
  return out;
}

/**
 * Allowed actions counted per service and access level, services by number of actions, then
 * name. Each service's levels appear in the order the actions were allowed (`allowed` order).
 */
function summariseByService(allowed: readonly number[], meta: ActionMeta): ServiceAccess[] {
  const levelCount = meta.levelNames.length;
  const counts = new Int32Array(meta.serviceNames.length * levelCount);
  const totals = new Int32Array(meta.serviceNames.length);
  const firsts: number[] = [];
  for (const index of allowed) {
    const service = meta.serviceOf[index] as number;
    const cell = service * levelCount + (meta.levelOf[index] as number);
    if (counts[cell] === 0) firsts.push(cell);
    counts[cell] = (counts[cell] as number) + 1;
    totals[service] = (totals[service] as number) + 1;
  }
  const byService = new Map<number, Partial<Record<AccessLevel, number>>>();
  for (const cell of firsts) {
    const service = Math.floor(cell / levelCount);
    let levels = byService.get(service);
    if (levels === undefined) {
      levels = {};
      byService.set(service, levels);
    }
    levels[meta.levelNames[cell % levelCount] as AccessLevel] = counts[cell] as number;
  }
  return [...byService]
    .sort(([a], [b]) => {
      const an = meta.serviceNames[a] as string;
      const bn = meta.serviceNames[b] as string;
      return (totals[b] as number) - (totals[a] as number) || (an < bn ? -1 : an > bn ? 1 : 0);
    })
    .map(([service, levels]) => ({ service: meta.serviceNames[service] as string, levels }));
}

/**
 * What a role may do, by service and access level. Requests are built from the role's own Allow
 * statements (each action they name, on the resources they name, wildcards filled in) and every
 * decision is the engine's, with the boundary, SCPs and denies applied.
 */
export function actionsReachable(snapshot: OrgSnapshot, role: RolePrincipal): ActionsReachable {
  const cached = reachCache.get(role);
  if (cached) return cached;
  const { set, missing } = policiesForPrincipal(snapshot, role);
  // Roles with the same policies in the same account (AWS managed policies, stamped-out roles) share one answer.
  const key = `${role.accountId}|${[
    set.identity ?? [],
    set.boundary ?? [],
    ...(set.scp ?? []),
    ...(set.rcp ?? []),
  ]
    .map((list) => list.map(idOf).join(','))
    .join('|')}`;
  const shared = sharedReach.get(snapshot)?.get(key);
  if (shared) {
    reachCache.set(role, shared);
    return shared;
  }
  const managementAccount = snapshot.organization?.managementAccountId;
  const compiled = compilePolicySet(set, managementAccount ? { managementAccount } : {});
  const catalog = getCatalog();
  const region = snapshot.accounts.get(role.accountId)?.regions[0] ?? 'us-east-1';
  const ask = (action: string, resource: string): boolean =>
    evaluate(compiled, {
      principal: role.arn,
      action,
      resource,
      resourceAccount: role.accountId,
      context: { 'aws:PrincipalArn': role.arn, 'aws:RequestedRegion': region },
    }) === 'Allowed';
  // Actions some statement of any layer names by a pattern narrower than its whole service: only
  // these can be decided differently from an action name the service does not have.
  const namedBuilder = new ActionSetBuilder(catalog.actionCount);
  const layers = [set.identity ?? [], set.boundary ?? [], ...(set.scp ?? []), ...(set.rcp ?? [])];
  // Every statement's action set, in layer order: the engine picks a request's statements by these
  // bits alone, so actions of one service that the same statements name get the same decision for
  // the same resource and context (sts, where AssumeRole* is special, is decided action by action).
  const statementSets: ActionSet[] = [];
  // Per statement, the services whose unlisted action it matches: services matched by the same
  // statements get the same wholesale verdict, so one request decides them all.
  const meta = actionMeta(catalog.actionCount);
  const unlisted: Uint32Array[] = [];
  for (const list of layers) {
    for (const policy of list) {
      for (const st of policy.policy.statements) {
        statementSets.push(statementActions(st));
        const u = unlistedServices(st, meta);
        if (u !== NO_SERVICES) unlisted.push(u);
        const narrow = narrowActions(st);
        if (narrow) namedBuilder.addSet(narrow);
      }
    }
  }
  const named = namedBuilder.build();
  // Candidate actions: those the role's own Allow statements name (only these are ever asked).
  const candidateBuilder = new ActionSetBuilder(catalog.actionCount);
  for (const policy of set.identity ?? [])
    for (const st of policy.policy.statements)
      if (st.effect === 'Allow') candidateBuilder.addSet(statementActions(st));
  const candidates = candidateBuilder.build();
  const perService = (set.rcp ?? []).some((level) => level.length > 0);
  const classCount = refineClasses(candidates, statementSets, catalog.actionCount, perService);
  const classOf = scratch.classOf;
  // decided[resource][class]: 0 not asked yet, 1 allowed, 2 not allowed.
  const decided = new Map<string, Uint8Array>();
  const askClass = (index: number, action: string, resource: string): boolean => {
    let byClass = decided.get(resource);
    if (byClass === undefined) {
      byClass = new Uint8Array(classCount);
      decided.set(resource, byClass);
    }
    const c = classOf[index] as number;
    let verdict = byClass[c] as number;
    if (verdict === 0) {
      verdict = ask(action, resource) ? 1 : 2;
      byClass[c] = verdict;
    }
    return verdict === 1;
  };
  // Allowed actions in the order they were first allowed: the per-service level counts keep the
  // key order they always had.
  const isAllowed = new Uint8Array(catalog.actionCount);
  const allowedOrder: number[] = [];
  const words = scratch.words;
  // wholesale[service]: 0 not asked yet, 1 allowed, 2 not allowed; bySignature: the same by the
  // statements matching the service's unlisted action (and the service itself where the engine
  // reads it: sts, kms, and every service when RCPs apply).
  const wholesale = new Uint8Array(meta.serviceNames.length);
  const bySignature = new Map<string, number>();
  const wholesaleOf = (service: number): number => {
    const name = meta.serviceNames[service] as string;
    let signature = perService || name === 'sts' || name === 'kms' ? name : '';
    for (let j = 0; j < unlisted.length; j++) {
      const u = unlisted[j] as Uint32Array;
      if (((u[service >>> 5] as number) & (1 << (service & 31))) !== 0) signature += `,${j}`;
    }
    let verdict = bySignature.get(signature);
    if (verdict === undefined) {
      verdict = ask(`${name}:${UNLISTED_ACTION}`, '*') ? 1 : 2;
      bySignature.set(signature, verdict);
    }
    return verdict;
  };
  const namedWords = new Uint32Array(words.length);
  loadWords(named, namedWords);
  for (const policy of set.identity ?? []) {
    for (const st of policy.policy.statements) {
      if (st.effect !== 'Allow') continue;
      const resources = (st.resource ?? ['*']).slice(0, RESOURCES_PER_STATEMENT).map(instantiate);
      loadWords(statementActions(st), words);
      for (let wi = 0; wi < words.length; wi++) {
        let w = words[wi] as number;
        while (w !== 0) {
          const low = w & -w;
          const index = (wi << 5) + (31 - Math.clz32(low));
          w ^= low;
          if (isAllowed[index] === 1) continue;
          if (((namedWords[wi] as number) & low) === 0) {
            // The whole service is decided at once by an action name it does not have.
            const service = meta.serviceOf[index] as number;
            let whole = wholesale[service] as number;
            if (whole === 0) {
              whole = wholesaleOf(service);
              wholesale[service] = whole;
            }
            if (whole === 1) {
              isAllowed[index] = 1;
              allowedOrder.push(index);
              continue;
            }
          }
          const fullName = catalog.actionByIndex(index).fullName;
          for (const resource of resources) {
            if (askClass(index, fullName, resource)) {
              isAllowed[index] = 1;
              allowedOrder.push(index);
              break;
            }
          }
        }
      }
    }
  }
  const services = summariseByService(allowedOrder, meta);
  const result = { totalActions: allowedOrder.length, services, incomplete: missing.length > 0 };
  reachCache.set(role, result);
  const bySnapshot = sharedReach.get(snapshot) ?? new Map<string, ActionsReachable>();
  sharedReach.set(snapshot, bySnapshot);
  bySnapshot.set(key, result);
  return result;
}

function relationOf(g: ExternalGrant, orgAccounts: ReadonlySet<string>): TrustRelation {
  if (g.principalClass === 'anyone' || g.principalClass === 'any-account') return 'anyone';
  if (!g.inZone) return 'external';
  return g.account !== undefined && orgAccounts.has(g.account) ? 'organization' : 'trusted';
}

const registerCache = new WeakMap<OrgSnapshot, Map<string, readonly ThirdPartyAccessRow[]>>();

/** Every cross-account trust in the snapshot, one row per role and trusted account, sorted. */
export function thirdPartyAccess(
  snapshot: OrgSnapshot,
  zoneOptions: ZoneOptions = {},
): readonly ThirdPartyAccessRow[] {
  const key = JSON.stringify(zoneOptions);
  const bySnapshot = registerCache.get(snapshot) ?? new Map<string, readonly ThirdPartyAccessRow[]>();
  registerCache.set(snapshot, bySnapshot);
  const hit = bySnapshot.get(key);
  if (hit) return hit;
  const orgAccounts = organizationAccounts(snapshot);
  const names = snapshot.organization?.accountNames;
  const rows: ThirdPartyAccessRow[] = [];
  for (const target of externalAccess(snapshot, zoneOptions).targets) {
    const role = target.role;
    if (target.kind !== 'trust' || !role) continue;
    const grants = target.effective.filter(
      (g) =>
        (g.principalClass === 'account' && g.account !== undefined && g.account !== role.accountId) ||
        g.principalClass === 'anyone' ||
        g.principalClass === 'any-account',
    );
    const seen = new Set<string>();
    for (const g of grants) {
      const trustedAccount = g.principalClass === 'account' ? (g.account ?? g.principal) : '*';
      // One row per trusted principal; `anyone` and `any account` are the same row.
      const rowKey = `${trustedAccount}|${g.principalClass === 'account' ? g.principal : '*'}|${g.externalId}`;
      if (seen.has(rowKey)) continue;
      seen.add(rowKey);
      const name = trustedAccount === '*' ? undefined : names?.get(trustedAccount);
      rows.push({
        account: role.accountId,
        role: role.arn,
        roleName: role.name,
        trustedAccount,
        trustedPrincipal: g.principalClass === 'account' ? g.principal : '*',
        ...(name ? { trustedAccountName: name } : {}),
        relation: relationOf(g, orgAccounts),
        externalIdRequired: g.externalId,
        conditions: g.narrowedBy
          .filter((n) => n.key !== 'sts:ExternalId')
          .map((n) => `${n.key}: ${n.values.join(', ')}`),
        actionsReachable: actionsReachable(snapshot, role),
        lastUsed: role.lastUsed?.date ?? null,
        lastUsedRegion: role.lastUsed?.region ?? null,
        uncertain: g.uncertain,
      });
    }
  }
  rows.sort(
    (a, b) =>
      (a.account < b.account ? -1 : a.account > b.account ? 1 : 0) ||
      (a.role < b.role ? -1 : a.role > b.role ? 1 : 0) ||
      (a.trustedPrincipal < b.trustedPrincipal ? -1 : a.trustedPrincipal > b.trustedPrincipal ? 1 : 0),
  );
  bySnapshot.set(key, rows);
  return rows;
}
