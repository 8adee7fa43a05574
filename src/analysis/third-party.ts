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
import { type CompiledPolicySet, compilePolicySet, evaluate } from '../policy/evaluate/index.js';
import { compileActionPattern } from '../policy/match/index.js';
import { statementActions } from './access/policy-actions.js';
import {
  type ExposedTarget,
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
  return pattern === '*' ? '*' : pattern.replace(WILDCARDS, 'x');
}

const WILDCARDS = /[*?]/g;

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
  /** By class id: the generation (statement pass) that last wrote `remap` / `verdicts`. */
  stamp: new Int32Array(0),
  remap: new Int32Array(0),
  verdicts: new Uint8Array(0),
  /** One role's verdicts by resource row and class (see RoleDecisions). */
  table: new Uint8Array(0),
  /** Counts up across roles, so a stamp left by an earlier pass never matches. */
  generation: 0,
};

function growStamps(atLeast: number): void {
  const size = Math.max(atLeast + 1024, scratch.stamp.length * 2);
  const stamp = new Int32Array(size);
  stamp.set(scratch.stamp);
  const remap = new Int32Array(size);
  remap.set(scratch.remap);
  scratch.stamp = stamp;
  scratch.remap = remap;
  scratch.verdicts = new Uint8Array(size);
}
interface BaseClasses {
  readonly classOf: Int32Array;
  readonly count: number;
  /** Words of the actions in the one class shared across services (none when per service). */
  readonly shared: Int32Array;
}

const baseCache = new Map<string, BaseClasses>();

/**
 * The class every action starts in. For a catalog action the engine reads the service only to
 * pick AssumeRole* (sts), key policies (kms) and whether RCPs apply, so without RCPs every other
 * service starts in one class; sts actions are each a class of their own and kms is apart. With
 * RCPs each service is a class.
 */
function baseClasses(actionCount: number, perService: boolean): BaseClasses {
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
  const shared = new Int32Array((actionCount + 31) >>> 5);
  const sharedClass = perService ? -1 : (byService.get('') ?? -1);
  for (let i = 0; i < actionCount; i++)
    if (out[i] === sharedClass) shared[i >>> 5] = (shared[i >>> 5] as number) | (1 << (i & 31));
  const made = { classOf: out, count: next, shared };
  baseCache.set(cacheKey, made);
  return made;
}

/** An action set as its non-zero 32-bit words: most statements name a handful of actions. */
interface SparseWords {
  /** Word indices, ascending. */
  readonly at: Uint16Array;
  readonly bits: Int32Array;
}

const sparseCache = new WeakMap<ActionSet, SparseWords>();
let denseScratch = new Uint32Array(0);

/** Kept per set: statement sets and catalog pattern sets are shared across roles and policies. */
function sparseOf(set: ActionSet): SparseWords {
  const hit = sparseCache.get(set);
  if (hit !== undefined) return hit;
  const wordsLen = (set.size + 31) >>> 5;
  if (denseScratch.length !== wordsLen) denseScratch = new Uint32Array(wordsLen);
  const dense = denseScratch;
  if (set instanceof BitActionSet) set.orInto(dense);
  else for (const i of set.indices()) dense[i >>> 5] = (dense[i >>> 5] as number) | (1 << (i & 31));
  let n = 0;
  for (let wi = 0; wi < wordsLen; wi++) if (dense[wi] !== 0) n++;
  const at = new Uint16Array(n);
  const bits = new Int32Array(n);
  n = 0;
  for (let wi = 0; wi < wordsLen; wi++) {
    const w = dense[wi] as number;
    if (w === 0) continue;
    at[n] = wi;
    bits[n] = w | 0;
    n++;
    dense[wi] = 0;
  }
  const out = { at, bits };
  sparseCache.set(set, out);
  return out;
}

function orSparse(target: Int32Array, s: SparseWords): void {
  const { at, bits } = s;
  for (let k = 0; k < at.length; k++) {
    const wi = at[k] as number;
    target[wi] = (target[wi] as number) | (bits[k] as number);
  }
}

/**
 * Splits the candidate actions into classes the engine cannot tell apart: same base class and
 * named by exactly the same statements (the engine picks a request's statements by these bits
 * alone). Partition refinement over the statement sets, one pass per statement, into
 * `scratch.classOf`; returns the number of class ids used. Actions in `single` (named by one
 * statement only, in the shared base class) are left out: each statement's share of them is one
 * class, which the caller numbers itself.
 */
function refineClasses(
  cand: Int32Array,
  single: Int32Array,
  statementSets: readonly SparseWords[],
  base: BaseClasses,
): number {
  const actionCount = base.classOf.length;
  if (scratch.classOf.length !== actionCount) scratch.classOf = new Int32Array(actionCount);
  const classOf = scratch.classOf;
  classOf.set(base.classOf);
  let next = base.count;
  // Class ids only grow (at most one new id per candidate per statement); stamp/remap are indexed
  // by class id and grown on demand, and the generation keeps counting across roles so a stamp
  // left by an earlier role never matches.
  for (const { at, bits } of statementSets) {
    const generation = ++scratch.generation;
    for (let k = 0; k < at.length; k++) {
      const wi = at[k] as number;
      let w = (bits[k] as number) & (cand[wi] as number) & ~(single[wi] as number);
      while (w !== 0) {
        const low = w & -w;
        const index = (wi << 5) + (31 - Math.clz32(low));
        w ^= low;
        const c = classOf[index] as number;
        if (c >= scratch.stamp.length || next >= scratch.stamp.length) growStamps(next);
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
  /** Per 32-action word: the one service all its actions belong to, or -1. */
  readonly wordService: Int32Array;
  /** Per word and level (`word * levels + level`): the word's actions of that level. */
  readonly levelMasks: Uint32Array;
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
  const wordsLen = (actionCount + 31) >>> 5;
  const wordService = new Int32Array(wordsLen);
  const levelMasks = new Uint32Array(wordsLen * levelNames.length);
  for (let wi = 0; wi < wordsLen; wi++) {
    let service = serviceOf[wi << 5] as number;
    for (let i = wi << 5; i < Math.min(actionCount, (wi + 1) << 5); i++) {
      if (serviceOf[i] !== service) service = -1;
      const cell = wi * levelNames.length + (levelOf[i] as number);
      levelMasks[cell] = (levelMasks[cell] as number) | (1 << (i & 31));
    }
    wordService[wi] = service;
  }
  actionMetaCache = { serviceOf, levelOf, serviceNames, levelNames, wordService, levelMasks };
  return actionMetaCache;
}

const NO_SERVICES = new Uint32Array(0);
const unlistedCache = new WeakMap<Statement, Uint32Array>();
let serviceIndex: Map<string, number> | undefined;
/** `svc:LeastprivProbeUnlistedAction` per service, made once. */
let probeNames: readonly string[] | undefined;

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
  if (!probeNames || probeNames.length !== count)
    probeNames = meta.serviceNames.map((name) => `${name}:${UNLISTED_ACTION}`);
  const names = probeNames;
  const bits = new Uint32Array((count + 31) >>> 5);
  const test = (p: string, service: number): void => {
    if (compileActionPattern(p)(names[service] as string))
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

/** Service summaries shared by every role with the same counts, per snapshot (they are read-only). */
const summaries = new WeakMap<OrgSnapshot, Map<string, ServiceAccess>>();
let serviceRank: Int32Array | undefined;
let serviceByRank: Int32Array | undefined;
let summaryScratch: { readonly head: Int32Array; readonly tail: Int32Array } | undefined;

/**
 * Allowed actions counted per service and access level (`counts` by cell, `totals` by service),
 * services by number of actions, then name. Each service's levels appear in the order their
 * first action was allowed (`firsts`, cells in that order). Clears the cells and totals it read.
 * Summaries equal in every count are one shared object.
 */
function summariseByService(
  firsts: readonly number[],
  counts: Int32Array,
  totals: Int32Array,
  meta: ActionMeta,
  shared: Map<string, ServiceAccess>,
): ServiceAccess[] {
  const levelCount = meta.levelNames.length;
  const serviceCount = meta.serviceNames.length;
  if (!serviceRank || !serviceByRank || serviceRank.length !== serviceCount) {
    const order = meta.serviceNames.map((_, i) => i);
    order.sort((a, b) => {
      const an = meta.serviceNames[a] as string;
      const bn = meta.serviceNames[b] as string;
      return an < bn ? -1 : an > bn ? 1 : 0;
    });
    serviceRank = new Int32Array(serviceCount);
    serviceByRank = Int32Array.from(order);
    order.forEach((service, rank) => {
      (serviceRank as Int32Array)[service] = rank;
    });
  }
  // Each service's cells in first-seen order, as lists through `next` (positions in `firsts`).
  if (!summaryScratch || summaryScratch.head.length !== serviceCount) {
    summaryScratch = { head: new Int32Array(serviceCount).fill(-1), tail: new Int32Array(serviceCount) };
  }
  const { head, tail } = summaryScratch;
  const next = new Int32Array(firsts.length).fill(-1);
  // One sort key per service: more actions first, then by name (rank), in one integer.
  const keys = new Int32Array(firsts.length);
  let n = 0;
  for (let p = 0; p < firsts.length; p++) {
    const service = Math.floor((firsts[p] as number) / levelCount);
    if (head[service] === -1) {
      head[service] = p;
      keys[n++] =
        (MAX_ACTIONS - (totals[service] as number)) * serviceCount + (serviceRank[service] as number);
    } else next[tail[service] as number] = p;
    tail[service] = p;
  }
  const sorted = keys.subarray(0, n).sort();
  const out: ServiceAccess[] = [];
  for (const k of sorted) {
    const service = serviceByRank[k % serviceCount] as number;
    // The summary's identity: the service, then each level and count, as UTF-16 code units
    // (counts stay below MAX_ACTIONS) in one flat string.
    codes.length = 0;
    codes.push(service);
    for (let p = head[service] as number; p !== -1; p = next[p] as number) {
      const cell = firsts[p] as number;
      codes.push(cell % levelCount, counts[cell] as number);
    }
    const text = String.fromCharCode(...codes);
    let access = shared.get(text);
    if (access === undefined) {
      const levels: Partial<Record<AccessLevel, number>> = {};
      for (let p = head[service] as number; p !== -1; p = next[p] as number) {
        const cell = firsts[p] as number;
        levels[meta.levelNames[cell % levelCount] as AccessLevel] = counts[cell] as number;
      }
      access = { service: meta.serviceNames[service] as string, levels };
      shared.set(text, access);
    }
    out.push(access);
    head[service] = -1;
    totals[service] = 0;
  }
  for (const cell of firsts) counts[cell] = 0;
  return out;
}

/** More than any service has: sort keys stay positive. */
const MAX_ACTIONS = 1 << 16;
const codes: number[] = [];

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Counts the actions of one word just allowed into their service and level cells. A cell seen
 * for the first time goes to `firsts` in action order, so such words are counted bit by bit;
 * otherwise a one-service word is counted per level at once.
 */
function countGranted(
  wi: number,
  granted: number,
  firsts: number[],
  counts: Int32Array,
  totals: Int32Array,
  meta: ActionMeta,
): void {
  const levels = meta.levelNames.length;
  const ws = meta.wordService[wi] as number;
  if (ws >= 0) {
    let fresh = false;
    for (let l = 0; l < levels; l++) {
      if ((granted & (meta.levelMasks[wi * levels + l] as number)) !== 0 && counts[ws * levels + l] === 0) {
        fresh = true;
        break;
      }
    }
    if (!fresh) {
      for (let l = 0; l < levels; l++) {
        const m = granted & (meta.levelMasks[wi * levels + l] as number);
        if (m === 0) continue;
        const n = popcount32(m);
        counts[ws * levels + l] = (counts[ws * levels + l] as number) + n;
        totals[ws] = (totals[ws] as number) + n;
      }
      return;
    }
  }
  let v = granted;
  while (v !== 0) {
    const low = v & -v;
    v ^= low;
    const index = (wi << 5) + (31 - Math.clz32(low));
    const service = meta.serviceOf[index] as number;
    const cell = service * levels + (meta.levelOf[index] as number);
    if (counts[cell] === 0) firsts.push(cell);
    counts[cell] = (counts[cell] as number) + 1;
    totals[service] = (totals[service] as number) + 1;
  }
}

const requestResources = new WeakMap<Statement, readonly string[]>();

/** The resources an Allow statement is asked about: its first few, wildcards filled in. */
function resourcesOf(st: Statement): readonly string[] {
  let out = requestResources.get(st);
  if (out === undefined) {
    out = (st.resource ?? ['*']).slice(0, RESOURCES_PER_STATEMENT).map(instantiate);
    requestResources.set(st, out);
  }
  return out;
}

/** Per-role buffers, sized once for the catalog and cleared per role. */
const work = {
  named: new Int32Array(0),
  cand: new Int32Array(0),
  seen: new Int32Array(0),
  single: new Int32Array(0),
  allowed: new Int32Array(0),
  counts: new Int32Array(0),
  totals: new Int32Array(0),
};

/**
 * One role's verdicts while its Allow statements are walked: by action class and resource, and
 * by service for actions no statement names narrowly. Every verdict is the engine's.
 */
class RoleDecisions {
  readonly firsts: number[] = [];
  totalActions = 0;
  /** Each resource asked about: its row in `scratch.table` (by class: 0 not asked yet, 1 allowed, 2 not). */
  private readonly rows = new Map<string, number>();
  /** By service: 0 not asked yet, 1 allowed, 2 not allowed. */
  private readonly wholesale: Uint8Array;
  /**
   * Wholesale verdicts by the statements matching the service's unlisted action (and the service
   * itself where the engine reads it: sts, kms, and every service when RCPs apply).
   */
  private readonly bySignature = new Map<string, number>();
  /** The rows of the statement being walked, in its resources' order. */
  private readonly rowStarts: number[] = [];

  constructor(
    private readonly compiled: CompiledPolicySet,
    private readonly role: RolePrincipal,
    private readonly context: Readonly<Record<string, string>>,
    private readonly classCount: number,
    /** Per statement (all layers, in order): the services whose unlisted action it matches. */
    private readonly unlisted: readonly Uint32Array[],
    /** Per statement, the same order: the catalog actions it covers. */
    private readonly sets: readonly ActionSet[],
    private readonly perService: boolean,
    private readonly meta: ActionMeta,
  ) {
    this.wholesale = new Uint8Array(meta.serviceNames.length);
  }

  private ask(action: string, resource: string): boolean {
    return (
      evaluate(this.compiled, {
        principal: this.role.arn,
        action,
        resource,
        resourceAccount: this.role.accountId,
        context: this.context,
      }) === 'Allowed'
    );
  }

  /** The verdict on an action name the service does not have: only `*` and `svc:*`-like patterns match it. */
  private whole(service: number, index: number): number {
    let verdict = this.wholesale[service] as number;
    if (verdict !== 0) return verdict;
    const name = this.meta.serviceNames[service] as string;
    let signature = this.perService || name === 'sts' || name === 'kms' ? name : '';
    // A catalog action of the service that exactly the statements matching the unlisted name
    // cover is decided alike by the engine (its service, and so kms and RCP rules, is the same;
    // sts is left out for AssumeRole*), and it is found by its bit, not by every pattern.
    let alike = name !== 'sts' && name !== 'kms';
    for (let j = 0; j < this.unlisted.length; j++) {
      const u = this.unlisted[j] as Uint32Array;
      const matches = u.length > 0 && ((u[service >>> 5] as number) & (1 << (service & 31))) !== 0;
      if (matches) signature += `,${j}`;
      if (alike && matches !== (this.sets[j] as ActionSet).has(index)) alike = false;
    }
    const known = this.bySignature.get(signature);
    if (known === undefined) {
      const action = alike
        ? getCatalog().actionByIndex(index).fullName
        : (probeNames?.[service] ?? `${name}:${UNLISTED_ACTION}`);
      verdict = this.ask(action, '*') ? 1 : 2;
      this.bySignature.set(signature, verdict);
    } else verdict = known;
    this.wholesale[service] = verdict;
    return verdict;
  }

  /** Whether the action is allowed on one of the resources, asked once per class and resource. */
  private byClass(index: number, c: number, resources: readonly string[]): boolean {
    const starts = this.rowStarts;
    const table = scratch.table;
    for (let r = 0; r < starts.length; r++) {
      const cell = (starts[r] as number) + c;
      let verdict = table[cell] as number;
      if (verdict === 0) {
        verdict = this.ask(getCatalog().actionByIndex(index).fullName, resources[r] as string) ? 1 : 2;
        table[cell] = verdict;
      }
      if (verdict === 1) return true;
    }
    return false;
  }

  /** Marks in `allowed` (and counts) the statement's actions the engine allows on its resources. */
  grant(
    st: Statement,
    ownClass: number,
    single: Int32Array,
    named: Int32Array,
    allowed: Int32Array,
    counts: Int32Array,
    totals: Int32Array,
  ): void {
    const resources = resourcesOf(st);
    const starts = this.rowStarts;
    starts.length = 0;
    for (const resource of resources) {
      let row = this.rows.get(resource);
      if (row === undefined) {
        row = this.rows.size;
        this.rows.set(resource, row);
        const end = (row + 1) * this.classCount;
        if (scratch.table.length < end) {
          const table = new Uint8Array(Math.max(end, scratch.table.length * 2));
          table.set(scratch.table.subarray(0, row * this.classCount));
          scratch.table = table;
        }
        scratch.table.fill(0, row * this.classCount, end);
      }
      starts.push(row * this.classCount);
    }
    const { serviceOf, wordService } = this.meta;
    const classOf = scratch.classOf;
    // This statement's verdict per class (stamped with a generation no other statement uses).
    if (scratch.stamp.length < this.classCount) growStamps(this.classCount);
    const { stamp, verdicts } = scratch;
    const generation = ++scratch.generation;
    const { at, bits } = sparseOf(statementActions(st));
    for (let k = 0; k < at.length; k++) {
      const wi = at[k] as number;
      const w = (bits[k] as number) & ~(allowed[wi] as number);
      if (w === 0) continue;
      let granted = 0;
      // Actions no statement names narrowly: the service is decided at once.
      const notNamed = w & ~(named[wi] as number);
      if (notNamed !== 0) {
        const ws = wordService[wi] as number;
        if (ws >= 0) {
          if (this.whole(ws, (wi << 5) + (31 - Math.clz32(notNamed & -notNamed))) === 1) granted = notNamed;
        } else {
          let v = notNamed;
          while (v !== 0) {
            const low = v & -v;
            v ^= low;
            const index = (wi << 5) + (31 - Math.clz32(low));
            if (this.whole(serviceOf[index] as number, index) === 1) granted |= low;
          }
        }
      }
      // The rest by class, on each of the statement's resources: once per class and statement.
      let rest = w & ~granted;
      const own = rest & (single[wi] as number);
      if (own !== 0) {
        if (stamp[ownClass] !== generation) {
          stamp[ownClass] = generation;
          const index = (wi << 5) + (31 - Math.clz32(own & -own));
          verdicts[ownClass] = this.byClass(index, ownClass, resources) ? 1 : 2;
        }
        if (verdicts[ownClass] === 1) granted |= own;
        rest ^= own;
      }
      while (rest !== 0) {
        const low = rest & -rest;
        rest ^= low;
        const index = (wi << 5) + (31 - Math.clz32(low));
        const c = classOf[index] as number;
        if (stamp[c] !== generation) {
          stamp[c] = generation;
          verdicts[c] = this.byClass(index, c, resources) ? 1 : 2;
        }
        if (verdicts[c] === 1) granted |= low;
      }
      if (granted === 0) continue;
      allowed[wi] = (allowed[wi] as number) | granted;
      this.totalActions += popcount32(granted);
      countGranted(wi, granted, this.firsts, counts, totals, this.meta);
    }
  }
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
  const actionCount = catalog.actionCount;
  const region = snapshot.accounts.get(role.accountId)?.regions[0] ?? 'us-east-1';
  const meta = actionMeta(actionCount);
  const wordsLen = (actionCount + 31) >>> 5;
  if (work.named.length !== wordsLen) {
    work.named = new Int32Array(wordsLen);
    work.cand = new Int32Array(wordsLen);
    work.seen = new Int32Array(wordsLen);
    work.single = new Int32Array(wordsLen);
    work.allowed = new Int32Array(wordsLen);
    work.counts = new Int32Array(meta.serviceNames.length * meta.levelNames.length);
    work.totals = new Int32Array(meta.serviceNames.length);
  }
  // Actions some statement of any layer names by a pattern narrower than its whole service: only
  // these can be decided differently from an action name the service does not have.
  const named = work.named;
  named.fill(0);
  const layers = [set.identity ?? [], set.boundary ?? [], ...(set.scp ?? []), ...(set.rcp ?? [])];
  // Every statement's action set, in layer order: the engine picks a request's statements by these
  // bits alone, so actions that the same statements name get the same decision for the same
  // resource and context (see baseClasses for where the service still counts).
  const statementSets: SparseWords[] = [];
  // Per statement, the services whose unlisted action it matches: services matched by the same
  // statements get the same wholesale verdict, so one request decides them all.
  const unlisted: Uint32Array[] = [];
  const sets: ActionSet[] = [];
  for (const list of layers) {
    for (const policy of list) {
      for (const st of policy.policy.statements) {
        const own = statementActions(st);
        sets.push(own);
        statementSets.push(sparseOf(own));
        unlisted.push(unlistedServices(st, meta));
        const narrow = narrowActions(st);
        if (narrow) orSparse(named, sparseOf(narrow));
      }
    }
  }
  // Candidate actions: those the role's own Allow statements name (only these are ever asked).
  const allows: Statement[] = [];
  for (const policy of set.identity ?? [])
    for (const st of policy.policy.statements) if (st.effect === 'Allow') allows.push(st);
  const cand = work.cand;
  cand.fill(0);
  for (const st of allows) orSparse(cand, sparseOf(statementActions(st)));
  const perService = (set.rcp ?? []).some((level) => level.length > 0);
  const base = baseClasses(actionCount, perService);
  // Actions of the shared base class that at most one statement names: a statement's share of
  // them is one class (the same statements, none other, pick each), decided by one request.
  const { seen, single } = work;
  seen.fill(0);
  single.fill(0);
  for (const { at, bits } of statementSets) {
    for (let k = 0; k < at.length; k++) {
      const wi = at[k] as number;
      single[wi] = (single[wi] as number) | ((seen[wi] as number) & (bits[k] as number));
      seen[wi] = (seen[wi] as number) | (bits[k] as number);
    }
  }
  for (let wi = 0; wi < wordsLen; wi++) single[wi] = (base.shared[wi] as number) & ~(single[wi] as number);
  const refined = refineClasses(cand, single, statementSets, base);
  // Class ids refined + j: the single-statement share of the j-th Allow statement.
  const classCount = refined + allows.length;
  const decisions = new RoleDecisions(
    compiled,
    role,
    { 'aws:PrincipalArn': role.arn, 'aws:RequestedRegion': region },
    classCount,
    unlisted,
    sets,
    perService,
    meta,
  );
  // Allowed actions are counted per service and level as they are found, in statement order then
  // action order: a service's levels keep the key order of the first action allowed in each.
  const allowed = work.allowed;
  allowed.fill(0);
  const { counts, totals } = work;
  for (let j = 0; j < allows.length; j++)
    decisions.grant(allows[j] as Statement, refined + j, single, named, allowed, counts, totals);
  const { firsts, totalActions } = decisions;
  let summaryCache = summaries.get(snapshot);
  if (!summaryCache) {
    summaryCache = new Map();
    summaries.set(snapshot, summaryCache);
  }
  const services = summariseByService(firsts, counts, totals, meta, summaryCache);
  const result = { totalActions, services, incomplete: missing.length > 0 };
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

/** The grants of a trust target that make a register row: another account, any account, anyone. */
function crossAccountGrants(target: ExposedTarget, role: RolePrincipal): ExternalGrant[] {
  return target.effective.filter(
    (g) =>
      (g.principalClass === 'account' && g.account !== undefined && g.account !== role.accountId) ||
      g.principalClass === 'anyone' ||
      g.principalClass === 'any-account',
  );
}

/**
 * The roles `thirdPartyAccess` will summarise (actionsReachable), each once: what a caller may
 * compute elsewhere (the audit's second thread) and hand back with seedActionsReachable.
 */
export function registerRoles(snapshot: OrgSnapshot, zoneOptions: ZoneOptions = {}): RolePrincipal[] {
  const roles = new Set<RolePrincipal>();
  for (const target of externalAccess(snapshot, zoneOptions).targets) {
    const role = target.role;
    if (target.kind === 'trust' && role && crossAccountGrants(target, role).length > 0) roles.add(role);
  }
  return [...roles];
}

/**
 * Records `result` as what actionsReachable(snapshot, role) gives, computed elsewhere from the same
 * policies (the audit computes the register's summaries on a worker thread over a copy of the roles
 * that need them: snapshotForRoles). A role already summarised keeps its answer.
 */
export function seedActionsReachable(role: RolePrincipal, result: ActionsReachable): void {
  if (!reachCache.has(role)) reachCache.set(role, result);
}

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
    const grants = crossAccountGrants(target, role);
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
