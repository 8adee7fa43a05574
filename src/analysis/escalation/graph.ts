/**
 * The privilege-escalation graph: nodes are users, roles and groups; an edge A→B says A can become
 * or act as B by one technique (A→A: A can rewrite its own permissions). Every edge is decided by
 * the engine on the exact requests the technique makes (the target's ARN, the passed role with
 * iam:PassedToService, the role's trust policy for sts:AssumeRole), so explicit denies, resource
 * constraints, boundaries, SCPs/RCPs and conditions remove edges.
 *
 * What keeps it fast on whole organizations (none of it changes an answer, only how often the
 * engine is asked):
 * - A technique is tried only when the subject's identity policies, boundary and SCPs each have an
 *   Allow that could name every action it needs (subjects.ts), and only on targets whose ARN one of
 *   those Resource values can match.
 * - When no statement that can match an action looks at the resource (scope.ts), one answer serves
 *   every target in the account; a denial there skips the technique without visiting the targets.
 * - sts:AssumeRole through a trust that admits callers only by account is asked as its two sides:
 *   the caller's identity side once per caller, the trust side once per role (or per group of
 *   roles whose trust policies say the same thing) and caller class (trust.ts). Other trusts are
 *   asked with the caller's set and the trust together.
 * - "Admin once AdministratorAccess is added" is asked once per class of principals that cannot
 *   answer differently (account, kind, boundary, and the identity policies that can matter beside
 *   an Allow of everything: admin.ts).
 */
import type { OrgSnapshot, RolePrincipal, UserPrincipal } from '../../model/account.js';
import type { NamedPolicy, Policy } from '../../model/policy.js';
import { type CompiledPolicySet, compilePolicySet, type PolicySet } from '../../policy/evaluate/index.js';
import { parsePolicy } from '../../policy/parse/index.js';
import {
  ADMIN_PROBES,
  type AdminState,
  adminWith,
  grantedAdminPolicy,
  mattersBesideAdmin,
  regionsOf,
  trustNaming,
} from './admin.js';
import { ALLOWED, both, DENIED, decide, type Verdict } from './decide.js';
import { readsCallerFor, requestScope } from './scope.js';
import {
  actionMask,
  allowedResourceExamples,
  couldAllow,
  couldAllowAll,
  couldAllowWords,
  groupSubject,
  identitySubject,
  matchesPrefixes,
  options,
  resourcePrefixes,
  type Subject,
  type SubjectKind,
  withIdentity,
  wordsCover,
} from './subjects.js';
import { ADMIN_POLICY_ARN, type RequiredAction, TECHNIQUES, type Technique } from './techniques.js';
import { rcpPerCaller, type TrustShape, trustContentKey, trustShape } from './trust.js';

export interface EscalationEdge {
  readonly from: string;
  readonly to: string;
  readonly technique: string;
  readonly actions: readonly string[];
  /** Taking this edge leaves `from` with administrator access (it grants itself or `to` admin). */
  readonly grantsAdmin: boolean;
  /** Empty when certain; otherwise what the edge depends on that the snapshot cannot show. */
  readonly conditions: readonly string[];
  readonly explanation: string;
}

export interface EscalationNode {
  readonly arn: string;
  readonly kind: SubjectKind;
  readonly name: string;
  readonly accountId: string;
  readonly admin: boolean;
  readonly adminConditions: readonly string[];
  /** Policy documents are missing: edges from this node may be missing too. */
  readonly incomplete: boolean;
}

export interface EscalationGraph {
  readonly nodes: ReadonlyMap<string, EscalationNode>;
  readonly out: ReadonlyMap<string, readonly EscalationEdge[]>;
  readonly into: ReadonlyMap<string, readonly EscalationEdge[]>;
  readonly millis: number;
  readonly evaluations: number;
}

const cache = new WeakMap<OrgSnapshot, EscalationGraph>();

/** The graph of a snapshot, built once per snapshot object. */
export function escalationGraph(snapshot: OrgSnapshot): EscalationGraph {
  let graph = cache.get(snapshot);
  if (!graph) {
    graph = new GraphBuilder(snapshot).build();
    cache.set(snapshot, graph);
  }
  return graph;
}

/**
 * Edges into chosen nodes without building the whole graph (who-can's reverse search from the
 * principals that hold an action): `edgesInto` gives, per target, the edges the full graph has
 * into it, in the same order. One handle per snapshot and search; its answers are kept while it lives.
 */
export interface TargetedEdges {
  edgesInto(
    targets: ReadonlySet<string>,
    skip: ReadonlySet<string>,
    into: Map<string, EscalationEdge[]>,
  ): void;
  nodeOf(arn: string): EscalationNode | undefined;
}

export function targetedEdges(snapshot: OrgSnapshot): TargetedEdges {
  return new GraphBuilder(snapshot);
}

/**
 * Makes `graph` the escalation graph of `snapshot` (a snapshot made from a query index, whose
 * graph was stored when the index was built): later calls return it instead of building one.
 */
export function adoptEscalationGraph(snapshot: OrgSnapshot, graph: EscalationGraph): void {
  cache.set(snapshot, graph);
}

/** The graph of a snapshot when it has been built already (the audit builds it), else undefined. */
export function builtEscalationGraph(snapshot: OrgSnapshot): EscalationGraph | undefined {
  return cache.get(snapshot);
}

/** A role as a target, with what the builder learns about it once instead of once per caller. */
interface RoleInfo {
  readonly role: RolePrincipal;
  readonly target: Subject;
  /** The trust's shape and whether its answer (with the account's RCPs) is per caller; lazily. */
  shape?: TrustShape;
  perCaller?: boolean;
  entry?: TrustEntry;
}

interface TrustIndex {
  readonly byPrincipal: Map<string, RoleInfo[]>;
  readonly byAccount: Map<string, RoleInfo[]>;
  readonly anyone: RoleInfo[];
  /** `account|service` → roles of that account trusting the service. */
  readonly byService: Map<string, RoleInfo[]>;
  /** Per account: its roles that are not service-linked, in snapshot order. */
  readonly roles: Map<string, RoleInfo[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexTrust(snapshot: OrgSnapshot, subjects: ReadonlyMap<string, Subject>): TrustIndex {
  const index: TrustIndex = {
    byPrincipal: new Map(),
    byAccount: new Map(),
    anyone: [],
    byService: new Map(),
    roles: new Map(),
  };
  for (const account of snapshot.accounts.values()) {
    const list: RoleInfo[] = [];
    index.roles.set(account.id, list);
    for (const r of account.roles.values()) {
      if (r.roleCategory === 'service-linked') continue;
      const target = subjects.get(r.arn);
      if (!target) continue;
      const role: RoleInfo = { role: r, target };
      list.push(role);
      if (!r.trustPolicy) continue;
      const who = trustees(r.trustPolicy.policy);
      for (const svc of who.services) push(index.byService, `${r.accountId}|${svc}`, role);
      if (who.anyone) index.anyone.push(role);
      for (const a of who.accounts) push(index.byAccount, a, role);
      for (const p of who.principals) push(index.byPrincipal, p, role);
    }
  }
  return index;
}

/** Who a trust policy's Allow statements name, by kind. */
interface Trustees {
  readonly anyone: boolean;
  readonly accounts: readonly string[];
  readonly principals: readonly string[];
  /** Service principals, once per statement naming them (the index lists a role once per such naming). */
  readonly services: readonly string[];
}

/** Per trust document: roles share parsed trust policies (see PolicyStore), so most are read once. */
const trusteesCache = new WeakMap<Policy, Trustees>();

function trustees(policy: Policy): Trustees {
  let found = trusteesCache.get(policy);
  if (found) return found;
  const accounts = new Set<string>();
  const principals = new Set<string>();
  const services: string[] = [];
  let anyone = false;
  for (const s of policy.statements) {
    if (s.effect !== 'Allow') continue;
    if (s.notPrincipal) anyone = true;
    const p = s.principal;
    if (!p) continue;
    if (p.wildcard) anyone = true;
    for (const aws of p.aws) {
      if (aws === '*' || aws.includes('*') || aws.includes('?')) anyone = true;
      else if (/^\d{12}$/.test(aws)) accounts.add(aws);
      else if (aws.startsWith('arn:') && aws.endsWith(':root')) accounts.add(aws.split(':')[4] ?? '');
      else if (aws.startsWith('arn:')) principals.add(aws);
      // A unique id (AROA…/AIDA…) names a principal the snapshot may hold; the engine decides.
      else anyone = true;
    }
    for (const svc of p.service) services.push(svc);
  }
  found = { anyone, accounts: [...accounts], principals: [...principals], services };
  trusteesCache.set(policy, found);
  return found;
}

/** Explanation templates (`{from}`, `{to}`, …) split once into literal and slot parts. */
const templates = new Map<string, readonly string[]>();

function fill(text: string, values: Readonly<Record<string, string>>): string {
  let parts = templates.get(text);
  if (!parts) {
    parts = text.split(/\{(\w+)\}/);
    templates.set(text, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i]!;
    out += (values[k] ?? `{${k}}`) + parts[i + 1]!;
  }
  return out;
}

function shortName(arn: string): string {
  const i = arn.indexOf(':', arn.indexOf(':', arn.indexOf(':', arn.indexOf(':', 4) + 1) + 1) + 1);
  return i >= 0 ? arn.slice(i + 1) : arn;
}

const NO_FILL: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

const actionLists = new WeakMap<Technique, readonly string[]>();

/** The technique's actions, one frozen list per technique that its edges share. */
function actionsOf(t: Technique): readonly string[] {
  let list = actionLists.get(t);
  if (!list) {
    list = Object.freeze(t.required.map((r) => r.action));
    actionLists.set(t, list);
  }
  return list;
}

/**
 * An edge whose explanation is filled in when read: a large organization has a quarter of a
 * million edges and the report explains only those on a path, so the text is not kept per edge.
 * The technique's id and actions are read from the technique, so an edge holds six references.
 */
class Edge implements EscalationEdge {
  readonly #t: Technique;
  readonly #fillIn: Readonly<Record<string, string>>;

  constructor(
    readonly from: string,
    readonly to: string,
    t: Technique,
    readonly grantsAdmin: boolean,
    readonly conditions: readonly string[],
    fillIn: Readonly<Record<string, string>>,
  ) {
    this.#t = t;
    this.#fillIn = fillIn;
  }

  get technique(): string {
    return this.#t.id;
  }

  get actions(): readonly string[] {
    return actionsOf(this.#t);
  }

  get explanation(): string {
    return fill(this.#t.explain, { ...this.#fillIn, from: shortName(this.from), to: shortName(this.to) });
  }

  /** The values the explanation is filled in with besides the two ends (kept by the query index). */
  get fillIn(): Readonly<Record<string, string>> {
    return this.#fillIn;
  }

  toJSON(): Record<string, unknown> {
    return {
      from: this.from,
      to: this.to,
      technique: this.technique,
      actions: this.actions,
      grantsAdmin: this.grantsAdmin,
      conditions: this.conditions,
      explanation: this.explanation,
    };
  }
}

/** An edge without its ends, as the query index stores it (query-index/graph-store.ts). */
export interface EdgeParts {
  readonly technique: string;
  readonly grantsAdmin: boolean;
  readonly conditions: readonly string[];
  readonly fillIn: Readonly<Record<string, string>>;
}

/** The parts of an edge this module made; undefined for any other object. */
export function edgeParts(e: EscalationEdge): EdgeParts | undefined {
  if (!(e instanceof Edge)) return undefined;
  return { technique: e.technique, grantsAdmin: e.grantsAdmin, conditions: e.conditions, fillIn: e.fillIn };
}

/** The edge `edgeParts` took apart, explained as before; undefined for a technique this build lacks. */
export function restoreEdge(from: string, to: string, parts: EdgeParts): EscalationEdge | undefined {
  const t = TECHNIQUES.find((x) => x.id === parts.technique);
  return t && new Edge(from, to, t, parts.grantsAdmin, parts.conditions, parts.fillIn);
}

/** A constant addition to a request's context, with a short key for the answer memo. */
interface Extra {
  readonly key: string;
  readonly values: Readonly<Record<string, string>>;
}

const NO_CONDITIONS: readonly string[] = Object.freeze([]);
const NOT_ADMIN: AdminState = Object.freeze({ admin: false, conditions: NO_CONDITIONS });
const PROBE_MASK = actionMask(ADMIN_PROBES);
const NO_EXTRA: Extra = Object.freeze({ key: '', values: Object.freeze({}) });
const ATTACH: Extra = Object.freeze({
  key: 'attach',
  values: Object.freeze({ 'iam:PolicyARN': ADMIN_POLICY_ARN }),
});
const passedTo = new Map<string, Extra>();
const serviceFills = new Map<string, Readonly<Record<string, string>>>();

function serviceFill(service: string): Readonly<Record<string, string>> {
  let f = serviceFills.get(service);
  if (!f) {
    f = Object.freeze({ service });
    serviceFills.set(service, f);
  }
  return f;
}
const inRegion = new Map<string, Extra>();

function passedToService(service: string): Extra {
  let e = passedTo.get(service);
  if (!e) {
    e = Object.freeze({ key: `pass:${service}`, values: Object.freeze({ 'iam:PassedToService': service }) });
    passedTo.set(service, e);
  }
  return e;
}

function requestedRegion(region: string): Extra {
  let e = inRegion.get(region);
  if (!e) {
    e = Object.freeze({ key: `region:${region}`, values: Object.freeze({ 'aws:RequestedRegion': region }) });
    inRegion.set(region, e);
  }
  return e;
}

/** One policy set a subject's requests are asked on, with its answers so far (by extra, action, resource). */
interface AskSet {
  readonly compiled: CompiledPolicySet;
  readonly set: PolicySet<NamedPolicy>;
  readonly answers: Map<Extra, Map<string, Map<string, Verdict>>>;
}

function askSet(set: PolicySet<NamedPolicy>, snapshot: OrgSnapshot): AskSet {
  return { compiled: compilePolicySet(set, options(snapshot)), set, answers: new Map() };
}

/** Allows every action: stands in for the side of `sts:AssumeRole` that is asked separately. */
let allowAll: NamedPolicy | undefined;
/** A trust policy admitting any principal: the stand-in resource side for the caller's own answer. */
let trustAny: NamedPolicy | undefined;

function standIn(text: string, type: 'identity' | 'trust', name: string): NamedPolicy {
  const parsed = parsePolicy(text, { type });
  if (!parsed.policy) throw new Error(`the built-in ${name} policy does not parse`);
  return { name, policy: parsed.policy };
}

function allowAllPolicy(): NamedPolicy {
  allowAll ??= standIn(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    'identity',
    'the caller side (asked separately)',
  );
  return allowAll;
}

function trustAnyPolicy(): NamedPolicy {
  trustAny ??= standIn(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}',
    'trust',
    'the trust side (asked separately)',
  );
  return trustAny;
}

/** What the builder keeps while one subject is processed. */
interface SubjectState {
  readonly own: AskSet;
  /** Identity, boundary and SCPs with a stand-in trust: the caller side of a cross-account assume. */
  crossCaller?: AskSet;
  /** The subject's set with a trust naming it, per role account (rewrite-trust techniques). */
  readonly rewritten: Map<string, AskSet>;
  readonly contexts: Map<string, Record<string, string>>;
  /** Best answer per action on a resource the subject would create. */
  readonly created: Map<RequiredAction, Verdict>;
  /** Per service: the roles the subject may pass to it. */
  readonly passable: Map<string, readonly Passable[]>;
  /** Per service: whether any role could be named by a PassRole statement at all. */
  readonly candidates: Map<string, boolean>;
  namedTrust?: NamedPolicy;
  /** Who the subject is to a trust policy that admits callers by account. */
  readonly callerClass: string;
  /** The subject's edges, once it has one. */
  out?: EscalationEdge[];
  /** The caller side of sts:AssumeRole per role account, when it holds for every role there. */
  readonly callerByAccount: Map<string, Verdict>;
}

class GraphBuilder {
  private readonly subjects = new Map<string, Subject>();
  private readonly admin = new Map<string, AdminState>();
  private readonly adminIfGranted = new Map<string, AdminState>();
  private readonly adminGrantClasses = new Map<string, AdminState>();
  private readonly adminClasses = new Map<string, AdminState>();
  /** The "AdministratorAccess added" set per class of principals (see adminAfterGrant). */
  private readonly grantSets = new Map<
    string,
    { set: PolicySet<NamedPolicy>; compiled: CompiledPolicySet; readsCaller: boolean }
  >();
  private readonly out = new Map<string, EscalationEdge[]>();
  private readonly into = new Map<string, EscalationEdge[]>();
  /** By service, then role ARN. */
  private readonly serviceTrust = new Map<string, Map<string, Verdict>>();
  /** The trust side of assuming a role: per trust, then caller class (or caller). */
  private readonly trustSide = new Map<string, Map<string, Verdict>>();
  private readonly trustSets = new Map<string, AskSet>();
  private readonly trustedBy = new Map<string, readonly TrustedBy[]>();
  private trust!: TrustIndex;
  private evaluations = 0;
  private state!: SubjectState;
  private readonly tagContexts = new Map<string, Readonly<Record<string, string>>>();
  private readonly conditionLists = new Map<string, readonly string[]>();
  private readonly sharedByList = new Map<readonly string[], readonly string[]>();
  private readonly fixedVerdicts: (Verdict | null | undefined)[] = [];

  /**
   * Set while edges into some nodes only are wanted (see edgesInto): technique loops skip other
   * targets, and edges are collected in `pending` until the subject is known not to be an admin.
   */
  private targets: ReadonlySet<string> | undefined;
  private pending: EscalationEdge[] = [];
  /** Subjects edgesFrom found to have no edges to other nodes for any targets (see edgesFrom). */
  private readonly inert = new Set<string>();
  private prepared = false;
  private readonly nodeCache = new Map<string, EscalationNode>();

  constructor(private readonly snapshot: OrgSnapshot) {}

  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    for (const account of this.snapshot.accounts.values()) {
      for (const u of account.users.values())
        this.subjects.set(u.arn, identitySubject(this.snapshot, account, u));
      for (const r of account.roles.values())
        this.subjects.set(r.arn, identitySubject(this.snapshot, account, r));
      for (const g of account.groups.values())
        this.subjects.set(g.arn, groupSubject(this.snapshot, account, g));
    }
    this.trust = indexTrust(this.snapshot, this.subjects);
  }

  /** The node of a subject ARN (its admin state asked on first use), or undefined for none. */
  nodeOf(arn: string): EscalationNode | undefined {
    this.prepare();
    let node = this.nodeCache.get(arn);
    if (!node) {
      const s = this.subjects.get(arn);
      if (!s) return undefined;
      node = this.toNode(s);
      this.nodeCache.set(arn, node);
    }
    return node;
  }

  private toNode(s: Subject): EscalationNode {
    const a = this.adminOf(s);
    return {
      arn: s.arn,
      kind: s.kind,
      name: s.name,
      accountId: s.accountId,
      admin: a.admin,
      adminConditions: a.conditions,
      incomplete: s.missing.length > 0,
    };
  }

  /**
   * The edges the full graph has into `targets`, from every subject not in `skip`, appended to
   * `into` per target in the order build() would list them. Each technique visits only targets in
   * the set; whether a subject gets an edge to one target never depends on the others it visits
   * (answers shared between targets are the same answers: see ask()), so these are exactly the
   * full graph's edges into the set. The subject's self techniques still run: one that makes the
   * subject admin by itself ends its techniques, as in build().
   */
  edgesInto(
    targets: ReadonlySet<string>,
    skip: ReadonlySet<string>,
    into: Map<string, EscalationEdge[]>,
  ): void {
    this.prepare();
    this.targets = targets;
    this.wantedRoles.clear();
    try {
      for (const s of this.subjects.values()) {
        if (skip.has(s.arn) || targets.has(s.arn) || this.inert.has(s.arn)) continue;
        if (s.identity?.kind === 'role' && s.identity.roleCategory === 'service-linked') continue;
        this.pending = [];
        // Whether a subject can have edges at all does not depend on the targets: asked once.
        if (!this.edgesFrom(s)) this.inert.add(s.arn);
        let found = false;
        for (const e of this.pending) if (e.to !== s.arn && targets.has(e.to)) found = true;
        if (!found) continue;
        // An administrator has no edges in the graph (see build()); asked only when one is found.
        const a = this.adminOf(s);
        if (a.admin && a.conditions.length === 0) continue;
        for (const e of this.pending) if (e.to !== s.arn && targets.has(e.to)) push(into, e.to, e);
      }
    } finally {
      this.targets = undefined;
      this.wantedRoles.clear();
      this.pending = [];
    }
  }

  /** Whether a technique loop should visit this target. */
  private wants(arn: string): boolean {
    return this.targets === undefined || this.targets.has(arn);
  }

  /** Per list of the trust index, its roles that are targets (same order), while targets are set. */
  private readonly wantedRoles = new Map<readonly RoleInfo[], readonly RoleInfo[]>();

  /**
   * The roles of a trust-index list a technique loop should visit: the list itself, or while edges
   * into some nodes only are wanted, its targets in the list's order (a large organization's
   * account lists hundreds of roles; every subject of the account would test each one).
   */
  private wantedOf(list: readonly RoleInfo[]): readonly RoleInfo[] {
    if (this.targets === undefined) return list;
    let kept = this.wantedRoles.get(list);
    if (!kept) {
      const targets = this.targets;
      kept = list.filter((r) => targets.has(r.role.arn));
      this.wantedRoles.set(list, kept);
    }
    return kept;
  }

  build(): EscalationGraph {
    const started = performance.now();
    this.prepare();
    const nodes = new Map<string, EscalationNode>();
    for (const s of this.subjects.values()) nodes.set(s.arn, this.toNode(s));
    for (const s of this.subjects.values()) {
      const a = this.adminOf(s);
      // An administrator needs no path; its edges would only repeat what it can already do.
      if (a.admin && a.conditions.length === 0) continue;
      if (s.identity?.kind === 'role' && s.identity.roleCategory === 'service-linked') continue;
      this.edgesFrom(s);
    }
    return {
      nodes,
      out: this.out,
      into: this.into,
      millis: performance.now() - started,
      evaluations: this.evaluations,
    };
  }

  // ---- admin ----

  private adminOf(s: Subject): AdminState {
    let a = this.admin.get(s.arn);
    if (!a) {
      // Every probe must be allowed: a principal whose policies name none of one is not admin.
      if (!couldAllowAll(s, PROBE_MASK)) a = NOT_ADMIN;
      else {
        // Principals of one account and kind holding the same policies answer alike, unless the
        // probes read something of the principal itself.
        let key = `${s.accountId}|${s.kind}|${idsOf(s.set.identity ?? [])}|${idsOf(s.set.boundary ?? [])}|${s.missing.length}`;
        if (readsCallerFor(s.compiled, ADMIN_PROBES)) key += `|${s.caller}`;
        a = this.adminClasses.get(key);
        if (!a) {
          a = adminWith(s, s.compiled, s.set);
          this.adminClasses.set(key, a);
        }
      }
      this.admin.set(s.arn, a);
    }
    return a;
  }

  /**
   * Would the subject be admin with AdministratorAccess added (its boundary and SCPs still apply)?
   * Asked without the identity policies that cannot matter beside it (see mattersBesideAdmin), so
   * principals of one account and kind with the same boundary and the same policies that do matter
   * share one answer, unless the question reads something of the principal itself. The set is
   * compiled once per such class (its policies, and so whether it reads the caller, are the key's).
   */
  private adminAfterGrant(s: Subject): AdminState {
    let a = this.adminIfGranted.get(s.arn);
    if (!a) {
      const kept = (s.set.identity ?? []).filter(mattersBesideAdmin);
      const classKey = `${s.accountId}|${s.kind === 'role' ? 'role' : 'user'}|${idsOf(kept)}|${idsOf(s.set.boundary ?? [])}`;
      let grantClass = this.grantSets.get(classKey);
      if (!grantClass) {
        const set: PolicySet<NamedPolicy> = { ...s.set, identity: [...kept, grantedAdminPolicy()] };
        const compiled = compilePolicySet(set, options(this.snapshot));
        grantClass = { set, compiled, readsCaller: readsCallerFor(compiled, ADMIN_PROBES) };
        this.grantSets.set(classKey, grantClass);
      }
      const key = grantClass.readsCaller ? `${classKey}|${s.caller}` : classKey;
      a = this.adminGrantClasses.get(key);
      if (!a) {
        a = adminWith(s, grantClass.compiled, grantClass.set);
        this.adminGrantClasses.set(key, a);
      }
      this.adminIfGranted.set(s.arn, a);
    }
    return a;
  }

  private adminWithGroup(s: Subject, group: Subject): AdminState {
    const extra = group.set.identity ?? [];
    return adminWith(s, withIdentity(s, extra, this.snapshot), {
      ...s.set,
      identity: [...(s.set.identity ?? []), ...extra],
    });
  }

  // ---- asking ----

  /**
   * One request as the subject, on `on` (its own set unless given). Answers are kept per set while
   * the subject is processed; when no statement that can match the action looks at the resource
   * (see scope.ts), one answer serves every resource of the account. The target's tags are put in
   * the request only when a statement reads them.
   */
  private ask(
    s: Subject,
    action: string,
    resource: string,
    resourceAccount: string,
    extra: Extra = NO_EXTRA,
    tagsOf?: Subject,
    on: AskSet = this.state.own,
  ): Verdict {
    const scope = requestScope(on.compiled, action);
    // An account id cannot be mistaken for an ARN.
    const key = scope.anyResource ? resourceAccount : resource;
    let byAction = on.answers.get(extra);
    if (!byAction) {
      byAction = new Map();
      on.answers.set(extra, byAction);
    }
    let answers = byAction.get(action);
    if (!answers) {
      answers = new Map();
      byAction.set(action, answers);
    }
    const hit = answers.get(key);
    if (hit) return hit;
    this.evaluations++;
    const verdict = decide(on.compiled, on.set, {
      principal: s.caller,
      action,
      resource,
      context: this.contextFor(s, extra, scope.readsTags ? tagsOf : undefined),
    });
    answers.set(key, verdict);
    return verdict;
  }

  /**
   * The subject's context with the region, the target's tags (as resource keys) and the extra.
   * Kept per subject and variant: the engine recognises a context by its key list, so reusing
   * objects keeps requests on its fast path.
   */
  private contextFor(s: Subject, extra: Extra, target: Subject | undefined): Record<string, string> {
    const key = target ? `${extra.key}|${target.arn}` : extra.key;
    let merged = this.state.contexts.get(key);
    if (!merged) {
      merged = {
        ...s.context,
        'aws:RequestedRegion': 'us-east-1',
        ...(target ? this.tagsOf(target) : undefined),
        ...extra.values,
      };
      this.state.contexts.set(key, merged);
    }
    return merged;
  }

  private tagsOf(target: Subject): Readonly<Record<string, string>> {
    let out = this.tagContexts.get(target.arn);
    if (!out) {
      const made: Record<string, string> = Object.create(null);
      const tags = target.identity?.tags;
      if (tags) {
        for (const [k, v] of tags) {
          made[`aws:ResourceTag/${k}`] = v;
          made[`iam:ResourceTag/${k}`] = v;
        }
      }
      out = made;
      this.tagContexts.set(target.arn, out);
    }
    return out;
  }

  private askAll(s: Subject, required: readonly RequiredAction[], target: Subject): Verdict {
    let verdict: Verdict = ALLOWED;
    for (const r of required) {
      const extra = r.action.includes(':Attach') ? ATTACH : NO_EXTRA;
      verdict = both(verdict, this.ask(s, r.action, target.arn, target.accountId, extra, target));
      if (!verdict.allowed) return DENIED;
    }
    return verdict;
  }

  /** One frozen array per distinct list of conditions: a quarter of a million edges share a few dozen. */
  private shared(conditions: readonly string[]): readonly string[] {
    if (conditions.length === 0) return NO_CONDITIONS;
    // Verdicts are kept and reused, so most lists come back by identity: no key to build.
    let list = this.sharedByList.get(conditions);
    if (list) return list;
    const key = conditions.join('\u0000');
    list = this.conditionLists.get(key);
    if (!list) {
      list = Object.freeze([...conditions]);
      this.conditionLists.set(key, list);
    }
    this.sharedByList.set(conditions, list);
    return list;
  }

  /** The edge's conditions: the verdict's, the technique's assumption, the admin grant's. */
  private edgeConditions(
    conditions: readonly string[],
    t: Technique,
    grantsAdmin: AdminState | undefined,
  ): readonly string[] {
    if (!t.assumes && !(grantsAdmin?.admin && grantsAdmin.conditions.length > 0))
      return this.shared(conditions);
    const more = [...conditions];
    if (t.assumes) more.push(`assumes ${t.assumes}`);
    if (grantsAdmin?.admin) for (const c of grantsAdmin.conditions) if (!more.includes(c)) more.push(c);
    return this.shared(more);
  }

  private addEdge(
    s: Subject,
    to: string,
    t: Technique,
    verdict: Verdict,
    grantsAdmin: AdminState | undefined,
    fillIn: Readonly<Record<string, string>> = NO_FILL,
  ): void {
    const edge = new Edge(
      s.arn,
      to,
      t,
      grantsAdmin?.admin ?? false,
      this.edgeConditions(verdict.conditions, t, grantsAdmin),
      fillIn,
    );
    let out = this.state.out;
    if (!out) {
      out = [];
      this.state.out = out;
      if (!this.targets) this.out.set(s.arn, out);
    }
    out.push(edge);
    if (this.targets) this.pending.push(edge);
    else push(this.into, to, edge);
  }

  // ---- edges ----

  /**
   * The subject's edges. False when it can have no edge to another node whatever the targets: no
   * technique passed its gate, or it makes itself admin in one step (then nothing else is tried).
   */
  private edgesFrom(s: Subject): boolean {
    // Made when the first technique passes the gate: most principals pass none.
    let state: SubjectState | undefined;
    const words = couldAllowWords(s);
    const gates = selfFirstGates();
    // Self techniques first: a principal that can make itself admin in one step reaches admin by
    // the shortest possible path, so its lateral edges are not worth their cost (documented).
    for (let i = 0; i < SELF_FIRST.length; i++) {
      const t = SELF_FIRST[i]!;
      // Every action but sts:AssumeRole (a trust naming the caller needs no identity grant) must be
      // one the subject's policies could allow at all.
      if (!wordsCover(words, gates[i]!)) continue;
      // Without an identity grant, sts-001 reaches only roles whose trust names the caller or anyone.
      if (
        t.id === 'sts-001' &&
        this.trust.anyone.length === 0 &&
        !couldAllow(s, 'sts:AssumeRole') &&
        !this.trust.byPrincipal.has(s.caller)
      )
        continue;
      if (!state) {
        state = {
          own: { compiled: s.compiled, set: s.set, answers: new Map() },
          rewritten: new Map(),
          contexts: new Map(),
          created: new Map(),
          passable: new Map(),
          candidates: new Map(),
          callerClass: `${s.accountId}|${s.kind === 'role' ? 'role' : 'user'}`,
          callerByAccount: new Map(),
        };
        this.state = state;
      }
      if (t.kind === 'self') {
        this.selfEdges(s, t);
        if (this.state.out?.some((e) => e.grantsAdmin && e.conditions.length === 0)) return false;
        continue;
      }
      const st = (globalThis as { __escStats?: Map<string, number[]> }).__escStats;
      const t0 = st ? performance.now() : 0;
      const e0 = this.evaluations;
      this.runTechnique(s, t);
      if (st) {
        const row = st.get(t.id) ?? [0, 0];
        row[0]! += performance.now() - t0;
        row[1]! += this.evaluations - e0;
        st.set(t.id, row);
      }
    }
    return state !== undefined;
  }

  private runTechnique(s: Subject, t: Technique): void {
    switch (t.kind) {
      case 'user':
        this.userEdges(s, t);
        break;
      case 'group':
        this.groupEdges(s, t);
        break;
      case 'role':
        this.roleEdges(s, t);
        break;
      case 'passrole':
        this.passRoleEdges(s, t);
        break;
    }
  }

  private selfEdges(s: Subject, t: Technique): void {
    const required = t.required[0]!;
    const extra = required.action.includes(':Attach') ? ATTACH : NO_EXTRA;
    if (t.via === 'identity') {
      const wants = required.action.includes('Role') ? 'role' : 'user';
      if ((s.kind === 'role' ? 'role' : 'user') !== wants) return;
      const v = this.ask(s, required.action, s.caller, s.accountId, extra, s);
      if (v.allowed) this.addEdge(s, s.arn, t, v, this.adminAfterGrant(s));
      return;
    }
    if (t.via === 'group') {
      for (const g of s.groups) {
        const v = this.ask(s, required.action, g.arn, g.accountId, extra);
        if (v.allowed) {
          this.addEdge(s, s.arn, t, v, this.adminAfterGrant(s), { group: g.name });
          return;
        }
      }
      return;
    }
    for (const policyArn of s.customerPolicies) {
      const v = this.ask(s, required.action, policyArn, s.accountId);
      if (v.allowed) {
        this.addEdge(s, s.arn, t, v, this.adminAfterGrant(s), { policy: shortName(policyArn) });
        return;
      }
    }
  }

  /**
   * When no statement that could allow one of the technique's actions on its target looks at the
   * resource, one answer (asked on a stand-in target of the account) holds for every target: a
   * denial there means no edge, without visiting the account's users or roles.
   */
  private deniedForEveryTarget(s: Subject, t: Technique, type: 'user' | 'role'): boolean {
    for (const r of t.required) {
      if (r.resource !== 'target' || r.action === 'sts:AssumeRole') continue;
      if (!requestScope(this.state.own.compiled, r.action).anyResource) continue;
      const probe = `arn:${s.account.partition}:iam::${s.accountId}:${type}/leastpriv-probe`;
      const extra = r.action.includes(':Attach') ? ATTACH : NO_EXTRA;
      if (!this.ask(s, r.action, probe, s.accountId, extra).allowed) return true;
    }
    return false;
  }

  private userEdges(s: Subject, t: Technique): void {
    if (this.deniedForEveryTarget(s, t, 'user')) return;
    const prefixes = resourcePrefixes(s, t.required[0]!.action);
    for (const user of s.account.users.values()) {
      if (user.arn === s.arn || !this.wants(user.arn) || !matchesPrefixes(user.arn, prefixes)) continue;
      if (!prerequisiteHolds(t.id, user)) continue;
      const target = this.subjects.get(user.arn);
      if (!target) continue;
      const v = this.askAll(s, t.required, target);
      if (!v.allowed) continue;
      const doubt = prerequisiteDoubt(t.id, user);
      const grants = t.grantsAdmin ? this.adminAfterGrant(target) : undefined;
      const verdict = doubt.length === 0 ? v : { allowed: true, conditions: [...v.conditions, ...doubt] };
      this.addEdge(s, user.arn, t, verdict, grants);
    }
  }

  private groupEdges(s: Subject, t: Technique): void {
    if (s.kind === 'role') return;
    const prefixes = resourcePrefixes(s, t.required[0]!.action);
    for (const group of s.account.groups.values()) {
      if (!this.wants(group.arn)) continue;
      if (s.groups.some((g) => g.arn === group.arn) || !matchesPrefixes(group.arn, prefixes)) continue;
      const target = this.subjects.get(group.arn);
      if (!target) continue;
      const v = this.ask(s, t.required[0]!.action, group.arn, group.accountId);
      if (!v.allowed) continue;
      this.addEdge(s, group.arn, t, v, this.adminWithGroup(s, target));
    }
  }

  // ---- sts:AssumeRole ----

  private rcpOf(accountId: string): readonly (readonly NamedPolicy[])[] | undefined {
    const target = this.snapshot.accounts.get(accountId);
    return target && target.rcpState === 'known' && target.rcpLevels.length > 0
      ? target.rcpLevels
      : undefined;
  }

  /** The subject's set with `trust` as the role's trust policy and the role account's RCPs. */
  private withTrust(s: Subject, role: RolePrincipal, trust: NamedPolicy): PolicySet<NamedPolicy> {
    const rcp = this.rcpOf(role.accountId);
    const set: PolicySet<NamedPolicy> = { ...s.set, trust: [trust], ...(rcp ? { rcp } : {}) };
    if (!rcp) delete (set as { rcp?: unknown }).rcp;
    return set;
  }

  /**
   * Can the subject assume the role under its trust policy? A trust that admits callers only
   * through their account is decided as its two sides (see trust.ts): the caller's own answer, and
   * the trust's answer for the caller's class, each by the engine; any other trust with the
   * caller's set.
   */
  private assumeVerdict(s: Subject, info: RoleInfo): Verdict {
    const { role } = info;
    const trust = role.trustPolicy;
    if (!trust) return DENIED;
    let shape = info.shape;
    if (!shape) {
      shape = trustShape(trust);
      const rcp = this.rcpOf(role.accountId);
      info.shape = shape;
      info.perCaller = shape.perCaller || (rcp !== undefined && rcpPerCaller(rcp));
    }
    if (shape.direct) {
      const on = askSet(this.withTrust(s, role, trust), this.snapshot);
      return this.ask(s, 'sts:AssumeRole', role.arn, role.accountId, NO_EXTRA, info.target, on);
    }
    const caller = this.callerSide(s, info);
    if (!caller.allowed) return DENIED;
    return both(caller, this.trustSideOf(s, info, trust));
  }

  /** The caller's identity policies, boundary and SCPs on sts:AssumeRole for the role. */
  private callerSide(s: Subject, info: RoleInfo): Verdict {
    const { role } = info;
    // One answer for every role of an account when the asked set does not look at the resource.
    const known = this.state.callerByAccount.get(role.accountId);
    if (known) return known;
    let on = this.state.own;
    if (role.accountId !== s.accountId) {
      // Across accounts the engine wants a resource side that allows; a trust admitting anyone
      // stands in for it (the role's own trust is asked separately), and the caller's RCPs, which
      // govern its own account's resources, are left out.
      let cross = this.state.crossCaller;
      if (!cross) {
        const { rcp: _rcp, ...rest } = s.set;
        cross = askSet({ ...rest, trust: [trustAnyPolicy()] }, this.snapshot);
        this.state.crossCaller = cross;
      }
      on = cross;
    }
    const v = this.ask(s, 'sts:AssumeRole', role.arn, role.accountId, NO_EXTRA, info.target, on);
    if (requestScope(on.compiled, 'sts:AssumeRole').anyResource)
      this.state.callerByAccount.set(role.accountId, v);
    return v;
  }

  /** The role's trust policy (and its account's RCPs), with every identity-side grant stood in. */
  private trustSideOf(s: Subject, info: RoleInfo, trust: NamedPolicy): Verdict {
    let entry = info.entry;
    if (!entry) {
      entry = this.trustEntry(info.role, trust, this.rcpOf(info.role.accountId));
      info.entry = entry;
    }
    const key = info.perCaller ? s.caller : this.state.callerClass;
    let v = entry.answers.get(key);
    if (!v) {
      this.evaluations++;
      v = decide(entry.on.compiled, entry.on.set, {
        principal: s.caller,
        action: 'sts:AssumeRole',
        resource: info.role.arn,
        context: this.contextFor(s, NO_EXTRA, entry.readsTags ? info.target : undefined),
      });
      entry.answers.set(key, v);
    }
    return v;
  }

  /**
   * The trust side's set and answers for a role. Roles of one account whose trust policies say the
   * same thing share them (unless the trust looks at the role itself: its ARN or tags).
   */
  private trustEntry(
    role: RolePrincipal,
    trust: NamedPolicy,
    rcp: readonly (readonly NamedPolicy[])[] | undefined,
  ): TrustEntry {
    const setKey = `${trustContentKey(trust)}|${role.accountId}`;
    let on = this.trustSets.get(setKey);
    if (!on) {
      on = askSet({ identity: [allowAllPolicy()], trust: [trust], ...(rcp ? { rcp } : {}) }, this.snapshot);
      this.trustSets.set(setKey, on);
    }
    const scope = requestScope(on.compiled, 'sts:AssumeRole');
    const answersKey = scope.anyResource ? setKey : `${setKey}|${role.arn}`;
    let answers = this.trustSide.get(answersKey);
    if (!answers) {
      answers = new Map();
      this.trustSide.set(answersKey, answers);
    }
    return { on, answers, readsTags: scope.readsTags };
  }

  /** The subject's set with a trust policy naming it, for a role in `accountId`. */
  private rewrittenTrust(s: Subject, role: RolePrincipal): AskSet {
    let on = this.state.rewritten.get(role.accountId);
    if (!on) {
      this.state.namedTrust ??= trustNaming(s.caller);
      on = askSet(this.withTrust(s, role, this.state.namedTrust), this.snapshot);
      this.state.rewritten.set(role.accountId, on);
    }
    return on;
  }

  /**
   * sts-001: roles whose trust names the caller or anyone, then roles whose trust names the
   * caller's account and that a Resource of the caller's AssumeRole statements could name.
   */
  private assumeEdges(s: Subject, t: Technique): void {
    const named = this.trust.byPrincipal.get(s.caller);
    const allByAccount = couldAllow(s, 'sts:AssumeRole') ? this.trust.byAccount.get(s.accountId) : undefined;
    const byAccount = allByAccount && this.wantedOf(allByAccount);
    // Without roles naming the caller or anyone, the account's list holds each role once.
    const seen = named || this.trust.anyone.length > 0 ? new Set<RoleInfo>(named) : undefined;
    if (seen) for (const r of this.trust.anyone) seen.add(r);
    if (byAccount) {
      const prefixes = resourcePrefixes(s, 'sts:AssumeRole');
      for (const r of byAccount) {
        if (!this.wants(r.role.arn) || !matchesPrefixes(r.role.arn, prefixes) || seen?.has(r)) continue;
        // A trust naming the account delegates to identity policies: ask those first, on the
        // subject's own (cached) set, before asking about the role's trust.
        if (r.role.accountId === s.accountId && !this.callerSide(s, r).allowed) continue;
        if (seen) seen.add(r);
        else this.roleEdge(s, t, r);
      }
    }
    if (seen) for (const r of seen) if (this.wants(r.role.arn)) this.roleEdge(s, t, r);
  }

  private roleEdges(s: Subject, t: Technique): void {
    if (this.deniedForEveryTarget(s, t, 'role')) return;
    if (t.id === 'sts-001') {
      this.assumeEdges(s, t);
      return;
    }
    // The account's roles a Resource of the action on the role could name (no list is made).
    const onRole = t.required.find((r) => r.resource === 'target' && r.action !== 'sts:AssumeRole');
    const prefixes = onRole ? resourcePrefixes(s, onRole.action) : 'all';
    // An action on the role that no statement looks at the resource of has one answer for every
    // role of the account: asked at the first role, then reused (the same answer ask() keeps).
    const fixed = this.fixedVerdicts;
    fixed.length = 0;
    for (const r of t.required)
      fixed.push(
        r.resource === 'target' &&
          r.action !== 'sts:AssumeRole' &&
          requestScope(this.state.own.compiled, r.action).anyResource
          ? null
          : undefined,
      );
    for (const info of this.wantedOf(this.trust.roles.get(s.accountId) ?? [])) {
      if (info.role.arn !== s.arn && this.wants(info.role.arn) && matchesPrefixes(info.role.arn, prefixes))
        this.roleEdge(s, t, info, fixed);
    }
  }

  /** `fixed[i]`: null when required action i has one answer per account (then the answer, once asked). */
  private roleEdge(s: Subject, t: Technique, info: RoleInfo, fixed?: (Verdict | null | undefined)[]): void {
    const { role, target } = info;
    if (role.arn === s.arn) return;
    let verdict: Verdict = ALLOWED;
    let policy: string | undefined;
    for (let i = 0; i < t.required.length; i++) {
      const r = t.required[i]!;
      let v: Verdict;
      const known = fixed?.[i];
      if (known) v = known;
      else if (r.action === 'sts:AssumeRole') v = this.assumeVerdict(s, info);
      else if (r.resource === 'target-policy') {
        v = DENIED;
        for (const p of target.customerPolicies) {
          v = this.ask(s, r.action, p, target.accountId);
          if (v.allowed) {
            policy = shortName(p);
            break;
          }
        }
      } else {
        const extra = r.action.includes(':Attach') ? ATTACH : NO_EXTRA;
        v = this.ask(s, r.action, role.arn, role.accountId, extra, target);
        if (known === null) fixed![i] = v;
      }
      verdict = both(verdict, v);
      if (!verdict.allowed) break;
    }
    if (!verdict.allowed) return;
    if (t.become === 'rewrite-trust') {
      const on = this.rewrittenTrust(s, role);
      verdict = both(verdict, this.ask(s, 'sts:AssumeRole', role.arn, role.accountId, NO_EXTRA, target, on));
      if (!verdict.allowed) return;
    }
    const grants = t.grantsAdmin ? this.adminAfterGrant(target) : undefined;
    this.addEdge(s, role.arn, t, verdict, grants, policy ? { policy } : NO_FILL);
  }

  // ---- iam:PassRole ----

  /** Does the role's trust policy let the service assume it, for a resource of the role's account? */
  private serviceTrusts(role: RolePrincipal, service: string): Verdict {
    let byRole = this.serviceTrust.get(service);
    if (!byRole) {
      byRole = new Map();
      this.serviceTrust.set(service, byRole);
    }
    let v = byRole.get(role.arn);
    if (!v) {
      if (!role.trustPolicy) v = DENIED;
      else {
        const set: PolicySet<NamedPolicy> = { trust: [role.trustPolicy] };
        this.evaluations++;
        v = decide(compilePolicySet(set, options(this.snapshot)), set, {
          principal: service,
          action: 'sts:AssumeRole',
          resource: role.arn,
          context: { 'aws:SourceAccount': role.accountId },
        });
      }
      byRole.set(role.arn, v);
    }
    return v;
  }

  /** The service actions of a passrole technique, on resources the principal would create. */
  private serviceActions(s: Subject, t: Technique): Verdict {
    let verdict: Verdict = ALLOWED;
    for (const r of t.required) {
      if (r.action === 'iam:PassRole') continue;
      verdict = both(verdict, this.onCreatedResource(s, r));
      if (!verdict.allowed) return DENIED;
    }
    return verdict;
  }

  private onCreatedResource(s: Subject, r: RequiredAction): Verdict {
    let best = this.state.created.get(r);
    if (!best) {
      best = this.bestOnCreated(s, r);
      this.state.created.set(r, best);
    }
    return best;
  }

  private bestOnCreated(s: Subject, r: RequiredAction): Verdict {
    const template = typeof r.resource === 'object' ? r.resource.template : '*';
    const candidates: string[] = [];
    for (const region of regionsOf(s)) {
      candidates.push(
        template
          .replaceAll('${Partition}', s.account.partition)
          .replaceAll('${Region}', region)
          .replaceAll('${Account}', s.accountId)
          .replaceAll('${Name}', 'leastpriv-probe'),
      );
    }
    if (template !== '*') candidates.push(...allowedResourceExamples(s, r.action, 6));
    let best: Verdict = DENIED;
    for (const resource of candidates) {
      const region = resource.split(':')[3] || regionsOf(s)[0] || 'us-east-1';
      // The region is part of the request, so it is part of the answer's key (the extra).
      const v = this.ask(s, r.action, resource, s.accountId, requestedRegion(region));
      if (v.allowed && (!best.allowed || v.conditions.length < best.conditions.length)) best = v;
      if (best.allowed && best.conditions.length === 0) break;
    }
    return best;
  }

  /** Roles of the subject's account trusting `service` that the subject may pass to it, with the verdict. */
  private passable(s: Subject, service: string): readonly Passable[] {
    const cached = this.state.passable.get(service);
    if (cached) return cached;
    const list: Passable[] = [];
    const prefixes = resourcePrefixes(s, 'iam:PassRole');
    const extra = passedToService(service);
    // When no PassRole statement looks at the resource, one answer serves every role.
    const anyRole = requestScope(this.state.own.compiled, 'iam:PassRole').anyResource;
    let shared: Verdict | undefined;
    for (const { info, trusted } of this.trustingService(s.accountId, service)) {
      const { role, target } = info;
      if (role.arn === s.arn || !this.wants(role.arn) || !matchesPrefixes(role.arn, prefixes)) continue;
      const pass = shared ?? this.ask(s, 'iam:PassRole', role.arn, role.accountId, extra, target);
      if (anyRole) shared = pass;
      const v = both(trusted, pass);
      if (v.allowed) list.push({ role, verdict: v });
    }
    this.state.passable.set(service, list);
    return list;
  }

  /** Roles of the account whose trust lets the service assume them, with that verdict; once per account and service. */
  private trustingService(accountId: string, service: string): readonly TrustedBy[] {
    const key = `${accountId}|${service}`;
    let list = this.trustedBy.get(key);
    if (!list) {
      const made: TrustedBy[] = [];
      for (const info of this.trust.byService.get(key) ?? []) {
        const trusted = this.serviceTrusts(info.role, service);
        if (trusted.allowed) made.push({ info, trusted });
      }
      list = made;
      this.trustedBy.set(key, list);
    }
    return list;
  }

  /** Some role of the account trusts the service and a PassRole statement's Resource could name it. */
  private hasCandidate(s: Subject, service: string): boolean {
    let has = this.state.candidates.get(service);
    if (has === undefined) {
      const prefixes = resourcePrefixes(s, 'iam:PassRole');
      has = (this.trust.byService.get(`${s.accountId}|${service}`) ?? []).some(
        ({ role }) => role.arn !== s.arn && this.wants(role.arn) && matchesPrefixes(role.arn, prefixes),
      );
      this.state.candidates.set(service, has);
    }
    return has;
  }

  /** No role can be passed to any of the services: the one answer that holds for every role says no. */
  private passesNothing(s: Subject, services: readonly string[]): boolean {
    if (!requestScope(this.state.own.compiled, 'iam:PassRole').anyResource) return false;
    const probe = `arn:${s.account.partition}:iam::${s.accountId}:role/leastpriv-probe`;
    return services.every(
      (service) => !this.ask(s, 'iam:PassRole', probe, s.accountId, passedToService(service)).allowed,
    );
  }

  private passRoleEdges(s: Subject, t: Technique): void {
    const services = t.services ?? [];
    if (!services.some((service) => this.hasCandidate(s, service))) return;
    if (this.passesNothing(s, services)) return;
    // The service actions (a few answers per subject, shared by techniques) before the roles.
    const actions = this.serviceActions(s, t);
    if (!actions.allowed) return;
    const found: [Passable, string][] = [];
    const seen = new Set<string>();
    for (const service of services) {
      for (const p of this.passable(s, service)) {
        if (seen.has(p.role.arn)) continue;
        seen.add(p.role.arn);
        found.push([p, service]);
      }
    }
    for (const [{ role, verdict }, service] of found) {
      let v = verdict;
      if (t.needsInstanceProfile && role.instanceProfiles.length === 0) {
        const profile = `arn:${s.account.partition}:iam::${s.accountId}:instance-profile/leastpriv-probe`;
        v = both(
          v,
          both(
            this.ask(s, 'iam:CreateInstanceProfile', profile, s.accountId),
            this.ask(s, 'iam:AddRoleToInstanceProfile', profile, s.accountId),
          ),
        );
        if (!v.allowed) continue;
      }
      this.addEdge(s, role.arn, t, both(v, actions), undefined, serviceFill(service));
    }
  }
}

interface TrustEntry {
  readonly on: AskSet;
  /** By caller class (account and kind), or by caller when the trust reads the caller itself. */
  readonly answers: Map<string, Verdict>;
  readonly readsTags: boolean;
}

interface TrustedBy {
  readonly info: RoleInfo;
  readonly trusted: Verdict;
}

interface Passable {
  readonly role: RolePrincipal;
  readonly verdict: Verdict;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** The identities of a list of policy objects, as a key. */
function idsOf(list: readonly object[]): string {
  let out = '';
  for (const o of list) {
    let id = objectIds.get(o);
    if (id === undefined) {
      id = nextObjectId++;
      objectIds.set(o, id);
    }
    out += `${id},`;
  }
  return out;
}

const SELF_FIRST: readonly Technique[] = [
  ...TECHNIQUES.filter((t) => t.kind === 'self'),
  ...TECHNIQUES.filter((t) => t.kind !== 'self'),
];

function keyCount(user: UserPrincipal): number | undefined {
  if (user.accessKeys) return user.accessKeys.length;
  const row = user.credentials;
  if (!row) return undefined;
  let n = 0;
  for (const k of row.accessKeys) if (k.active || k.lastRotated !== null) n++;
  return n;
}

/** Facts the snapshot shows that make a technique impossible against this user. */
function prerequisiteHolds(technique: string, user: UserPrincipal): boolean {
  const keys = keyCount(user);
  const password = user.credentials?.passwordEnabled;
  switch (technique) {
    case 'iam-002':
    case 'iam-015':
    case 'iam-018':
      // At most two access keys per user: a third cannot be created.
      return keys === undefined || keys < 2;
    case 'iam-003':
      return keys === 2;
    case 'iam-004':
      return password !== true && user.credentials?.mfaActive !== true;
    case 'iam-006':
      // A console sign-in as a user with MFA needs the user's MFA device too.
      return password !== false && user.credentials?.mfaActive !== true;
    default:
      return true;
  }
}

/** What the snapshot does not say that the technique needs. */
function prerequisiteDoubt(technique: string, user: UserPrincipal): readonly string[] {
  if ((technique === 'iam-004' || technique === 'iam-006') && user.credentials === undefined)
    return ['whether the user has a console password or MFA is not in the snapshot (no credential report)'];
  return NO_CONDITIONS;
}

const gates = new Map<Technique, Uint32Array>();
let selfFirstMasks: readonly Uint32Array[] | undefined;

/** gateOf for each technique of SELF_FIRST, same order: every subject is gated on all of them. */
function selfFirstGates(): readonly Uint32Array[] {
  selfFirstMasks ??= SELF_FIRST.map(gateOf);
  return selfFirstMasks;
}

/** The could-allow bits a technique needs: every action but sts:AssumeRole. */
function gateOf(t: Technique): Uint32Array {
  let mask = gates.get(t);
  if (!mask) {
    mask = actionMask(t.required.map((r) => r.action).filter((a) => a !== 'sts:AssumeRole'));
    gates.set(t, mask);
  }
  return mask;
}
