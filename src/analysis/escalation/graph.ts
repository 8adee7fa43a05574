/**
 * The privilege-escalation graph: nodes are users, roles and groups; an edge A→B says A can become
 * or act as B by one technique (A→A: A can rewrite its own permissions). Every edge is decided by
 * the engine on the exact requests the technique makes (the target's ARN, the passed role with
 * iam:PassedToService, the role's trust policy for sts:AssumeRole), so explicit denies, resource
 * constraints, boundaries, SCPs/RCPs and conditions remove edges. Candidates are pruned first:
 * only principals whose policies name an escalation action are sources, and only targets whose
 * ARN one of their Resource values can match (or whose trust policy names them) are asked about.
 */
import { getCatalog } from '../../catalog/index.js';
import type { OrgSnapshot, RolePrincipal, UserPrincipal } from '../../model/account.js';
import type { NamedPolicy } from '../../model/policy.js';
import { type CompiledPolicySet, compilePolicySet, type PolicySet } from '../../policy/evaluate/index.js';
import { type AdminState, adminWith, grantedAdminPolicy, regionsOf, trustNaming } from './admin.js';
import { both, DENIED, decide, type Verdict } from './decide.js';
import {
  allowedResourceExamples,
  escalationMask,
  groupSubject,
  identitySubject,
  maskHas,
  matchesPrefixes,
  options,
  resourcePrefixes,
  type Subject,
  type SubjectKind,
  withIdentity,
} from './subjects.js';
import { ADMIN_POLICY_ARN, type RequiredAction, TECHNIQUES, type Technique } from './techniques.js';

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

interface TrustIndex {
  readonly byPrincipal: Map<string, RolePrincipal[]>;
  readonly byAccount: Map<string, RolePrincipal[]>;
  readonly anyone: RolePrincipal[];
  /** `account|service` → roles of that account trusting the service. */
  readonly byService: Map<string, RolePrincipal[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexTrust(snapshot: OrgSnapshot): TrustIndex {
  const index: TrustIndex = {
    byPrincipal: new Map(),
    byAccount: new Map(),
    anyone: [],
    byService: new Map(),
  };
  for (const account of snapshot.accounts.values()) {
    for (const role of account.roles.values()) {
      if (role.roleCategory === 'service-linked' || !role.trustPolicy) continue;
      const accounts = new Set<string>();
      const principals = new Set<string>();
      let anyone = false;
      for (const s of role.trustPolicy.policy.statements) {
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
        for (const svc of p.service) push(index.byService, `${role.accountId}|${svc}`, role);
      }
      if (anyone) index.anyone.push(role);
      for (const a of accounts) push(index.byAccount, a, role);
      for (const p of principals) push(index.byPrincipal, p, role);
    }
  }
  return index;
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

function shortName(arn: string): string {
  const i = arn.indexOf(':', arn.indexOf(':', arn.indexOf(':', arn.indexOf(':', 4) + 1) + 1) + 1);
  return i >= 0 ? arn.slice(i + 1) : arn;
}

class GraphBuilder {
  private readonly subjects = new Map<string, Subject>();
  private readonly admin = new Map<string, AdminState>();
  private readonly adminIfGranted = new Map<string, AdminState>();
  private readonly out = new Map<string, EscalationEdge[]>();
  private readonly into = new Map<string, EscalationEdge[]>();
  private readonly serviceTrust = new Map<string, Verdict>();
  private readonly trust: TrustIndex;
  private evaluations = 0;
  /** The current subject's answers on its own policy set, by request. */
  private asked = new Map<string, Verdict>();
  private merged = new Map<object, Record<string, string>>();
  private readonly targetContexts = new Map<string, Record<string, string>>();
  private readonly catalog = getCatalog();

  constructor(private readonly snapshot: OrgSnapshot) {
    this.trust = indexTrust(snapshot);
  }

  build(): EscalationGraph {
    const started = performance.now();
    for (const account of this.snapshot.accounts.values()) {
      for (const u of account.users.values())
        this.subjects.set(u.arn, identitySubject(this.snapshot, account, u));
      for (const r of account.roles.values())
        this.subjects.set(r.arn, identitySubject(this.snapshot, account, r));
      for (const g of account.groups.values())
        this.subjects.set(g.arn, groupSubject(this.snapshot, account, g));
    }
    const nodes = new Map<string, EscalationNode>();
    for (const s of this.subjects.values()) {
      const a = this.adminOf(s);
      nodes.set(s.arn, {
        arn: s.arn,
        kind: s.kind,
        name: s.name,
        accountId: s.accountId,
        admin: a.admin,
        adminConditions: a.conditions,
        incomplete: s.missing.length > 0,
      });
    }
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
      const mask = escalationMask(s);
      a =
        maskHas(mask, 'iam:AttachRolePolicy') && maskHas(mask, 'iam:PutUserPolicy')
          ? adminWith(s, s.compiled, s.set)
          : { admin: false, conditions: [] };
      this.admin.set(s.arn, a);
    }
    return a;
  }

  /** Would the subject be admin with AdministratorAccess added (its boundary and SCPs still apply)? */
  private adminAfterGrant(s: Subject): AdminState {
    let a = this.adminIfGranted.get(s.arn);
    if (!a) {
      const extra = [grantedAdminPolicy()];
      a = adminWith(s, withIdentity(s, extra, this.snapshot), {
        ...s.set,
        identity: [...(s.set.identity ?? []), ...extra],
      });
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

  private ask(
    s: Subject,
    action: string,
    resource: string,
    extra?: Readonly<Record<string, string>>,
    compiled: CompiledPolicySet = s.compiled,
    set: PolicySet<NamedPolicy> = s.set,
  ): Verdict {
    // Techniques share requests (the same action on the same target): answers on the subject's
    // own set are kept while it is processed. Extra context is a function of the resource,
    // except the service a role is passed to.
    const memo = compiled === s.compiled;
    const key = memo ? `${action}|${resource}|${extra?.['iam:PassedToService'] ?? ''}` : '';
    if (memo) {
      const hit = this.asked.get(key);
      if (hit) return hit;
    }
    this.evaluations++;
    const verdict = decide(compiled, set, {
      principal: s.caller,
      action,
      resource,
      context: this.contextFor(s, extra),
    });
    if (memo) this.asked.set(key, verdict);
    return verdict;
  }

  /**
   * The subject's context merged with a (cached) extra, itself cached: the engine recognises a
   * context by its key list, so reusing objects keeps requests on its fast path.
   */
  private contextFor(
    s: Subject,
    extra: Readonly<Record<string, string>> | undefined,
  ): Record<string, string> {
    const key = extra ?? NO_EXTRA;
    let merged = this.merged.get(key);
    if (!merged) {
      merged = { ...s.context, 'aws:RequestedRegion': 'us-east-1', ...extra };
      this.merged.set(key, merged);
    }
    return merged;
  }

  /** Tags of the target as resource keys, plus constant extras; cached per target and variant. */
  private tagsOf(target: Subject, extra?: Record<string, string>): Record<string, string> {
    const variant = `${target.arn}|${extra ? Object.entries(extra).join(',') : ''}`;
    const hit = this.targetContexts.get(variant);
    if (hit) return hit;
    const made = this.makeTags(target, extra);
    this.targetContexts.set(variant, made);
    return made;
  }

  private makeTags(target: Subject, extra?: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    const tags = target.identity?.tags;
    if (tags) {
      for (const [k, v] of tags) {
        out[`aws:ResourceTag/${k}`] = v;
        out[`iam:ResourceTag/${k}`] = v;
      }
    }
    if (extra) Object.assign(out, extra);
    return out;
  }

  private askAll(
    s: Subject,
    required: readonly RequiredAction[],
    resourceOf: (r: RequiredAction) => string,
    target: Subject,
  ): Verdict {
    let verdict: Verdict = { allowed: true, conditions: [] };
    for (const r of required) {
      const ctx = r.action.includes(':Attach') ? this.tagsOf(target, ATTACH) : this.tagsOf(target);
      verdict = both(verdict, this.ask(s, r.action, resourceOf(r), ctx));
      if (!verdict.allowed) return DENIED;
    }
    return verdict;
  }

  private addEdge(
    s: Subject,
    to: string,
    t: Technique,
    verdict: Verdict,
    grantsAdmin: AdminState | undefined,
    fillIn: Record<string, string>,
  ): void {
    const conditions = [...verdict.conditions];
    if (t.assumes) conditions.push(`assumes ${t.assumes}`);
    if (grantsAdmin?.admin)
      for (const c of grantsAdmin.conditions) if (!conditions.includes(c)) conditions.push(c);
    const edge: EscalationEdge = {
      from: s.arn,
      to,
      technique: t.id,
      actions: t.required.map((r) => r.action),
      grantsAdmin: grantsAdmin?.admin ?? false,
      conditions,
      explanation: fill(t.explain, { from: shortName(s.arn), to: shortName(to), ...fillIn }),
    };
    push(this.out, s.arn, edge);
    push(this.into, to, edge);
  }

  // ---- edges ----

  private edgesFrom(s: Subject): void {
    this.asked = new Map();
    this.merged = new Map();
    const mask = escalationMask(s);
    // Self techniques first: a principal that can make itself admin in one step reaches admin by
    // the shortest possible path, so its lateral edges are not worth their cost (documented).
    for (const t of SELF_FIRST) {
      const needs = t.required.filter((r) => r.action !== 'sts:AssumeRole');
      if (!needs.every((r) => maskHas(mask, r.action) || !ESCALATION_SET.has(r.action))) continue;
      if (t.kind === 'self') {
        this.selfEdges(s, t);
        if (this.out.get(s.arn)?.some((e) => e.grantsAdmin && e.conditions.length === 0)) return;
        continue;
      }
      const t0 = performance.now();
      const e0 = this.evaluations;
      this.runTechnique(s, t, mask);
      const st = (globalThis as { __escStats?: Map<string, number[]> }).__escStats;
      if (st) {
        const row = st.get(t.id) ?? [0, 0];
        row[0]! += performance.now() - t0;
        row[1]! += this.evaluations - e0;
        st.set(t.id, row);
      }
    }
  }

  private runTechnique(s: Subject, t: Technique, mask: number): void {
    switch (t.kind) {
      case 'user':
        this.userEdges(s, t);
        break;
      case 'group':
        this.groupEdges(s, t);
        break;
      case 'role':
        this.roleEdges(s, t, mask);
        break;
      case 'passrole':
        this.passRoleEdges(s, t);
        break;
    }
  }

  private selfEdges(s: Subject, t: Technique): void {
    const required = t.required[0]!;
    if (t.via === 'identity') {
      const wants = required.action.includes('Role') ? 'role' : 'user';
      if ((s.kind === 'role' ? 'role' : 'user') !== wants) return;
      const v = this.ask(
        s,
        required.action,
        s.caller,
        this.tagsOf(s, required.action.includes(':Attach') ? ATTACH : undefined),
      );
      if (v.allowed) this.addEdge(s, s.arn, t, v, this.adminAfterGrant(s), {});
      return;
    }
    if (t.via === 'group') {
      for (const g of s.groups) {
        const extra = required.action.includes(':Attach') ? ATTACH : undefined;
        const v = this.ask(s, required.action, g.arn, extra);
        if (v.allowed) {
          this.addEdge(s, s.arn, t, v, this.adminAfterGrant(s), { group: g.name });
          return;
        }
      }
      return;
    }
    for (const policyArn of s.customerPolicies) {
      const v = this.ask(s, required.action, policyArn);
      if (v.allowed) {
        this.addEdge(s, s.arn, t, v, this.adminAfterGrant(s), { policy: shortName(policyArn) });
        return;
      }
    }
  }

  private userEdges(s: Subject, t: Technique): void {
    const prefixes = resourcePrefixes(s, t.required[0]!.action);
    for (const user of s.account.users.values()) {
      if (user.arn === s.arn || !matchesPrefixes(user.arn, prefixes)) continue;
      if (!prerequisiteHolds(t.id, user)) continue;
      const target = this.subjects.get(user.arn);
      if (!target) continue;
      const v = this.askAll(s, t.required, () => user.arn, target);
      if (!v.allowed) continue;
      const conditions = [...v.conditions, ...prerequisiteDoubt(t.id, user)];
      const grants = t.grantsAdmin ? this.adminAfterGrant(target) : undefined;
      this.addEdge(s, user.arn, t, { allowed: true, conditions }, grants, {});
    }
  }

  private groupEdges(s: Subject, t: Technique): void {
    if (s.kind === 'role') return;
    const prefixes = resourcePrefixes(s, t.required[0]!.action);
    for (const group of s.account.groups.values()) {
      if (s.groups.some((g) => g.arn === group.arn) || !matchesPrefixes(group.arn, prefixes)) continue;
      const target = this.subjects.get(group.arn);
      if (!target) continue;
      const v = this.ask(s, t.required[0]!.action, group.arn);
      if (!v.allowed) continue;
      this.addEdge(s, group.arn, t, v, this.adminWithGroup(s, target), {});
    }
  }

  private assumeVerdict(s: Subject, role: RolePrincipal, trust: NamedPolicy | undefined): Verdict {
    if (!trust) return DENIED;
    const target = this.snapshot.accounts.get(role.accountId);
    const rcp =
      target && target.rcpState === 'known' && target.rcpLevels.length > 0 ? target.rcpLevels : undefined;
    const set: PolicySet<NamedPolicy> = {
      ...s.set,
      trust: [trust],
      ...(rcp ? { rcp } : {}),
    };
    if (!rcp) delete (set as { rcp?: unknown }).rcp;
    const compiled = compilePolicySet(set, options(this.snapshot));
    const tags = this.subjects.get(role.arn);
    return this.ask(s, 'sts:AssumeRole', role.arn, tags ? this.tagsOf(tags) : undefined, compiled, set);
  }

  private roleCandidates(s: Subject, t: Technique, mask: number): Iterable<RolePrincipal> {
    if (t.id === 'sts-001') {
      const out = new Set<RolePrincipal>();
      for (const r of this.trust.byPrincipal.get(s.caller) ?? []) out.add(r);
      for (const r of this.trust.anyone) out.add(r);
      if (maskHas(mask, 'sts:AssumeRole')) {
        const prefixes = resourcePrefixes(s, 'sts:AssumeRole');
        // A trust naming the account delegates to identity policies: ask those first, on the
        // subject's own (cached) set, before building the combined set for the role.
        for (const r of this.trust.byAccount.get(s.accountId) ?? []) {
          if (!matchesPrefixes(r.arn, prefixes) || out.has(r)) continue;
          if (r.accountId === s.accountId && !this.ask(s, 'sts:AssumeRole', r.arn).allowed) continue;
          out.add(r);
        }
      }
      return out;
    }
    const onRole = t.required.find((r) => r.resource === 'target' && r.action !== 'sts:AssumeRole');
    const prefixes = onRole ? resourcePrefixes(s, onRole.action) : 'all';
    const out: RolePrincipal[] = [];
    for (const r of s.account.roles.values()) {
      if (r.roleCategory !== 'service-linked' && r.arn !== s.arn && matchesPrefixes(r.arn, prefixes))
        out.push(r);
    }
    return out;
  }

  private roleEdges(s: Subject, t: Technique, mask: number): void {
    for (const role of this.roleCandidates(s, t, mask)) {
      if (role.arn === s.arn || role.roleCategory === 'service-linked') continue;
      const target = this.subjects.get(role.arn);
      if (!target) continue;
      let verdict: Verdict = { allowed: true, conditions: [] };
      let policy: string | undefined;
      for (const r of t.required) {
        let v: Verdict;
        if (r.action === 'sts:AssumeRole') v = this.assumeVerdict(s, role, role.trustPolicy);
        else if (r.resource === 'target-policy') {
          v = DENIED;
          for (const p of target.customerPolicies) {
            v = this.ask(s, r.action, p);
            if (v.allowed) {
              policy = shortName(p);
              break;
            }
          }
        } else {
          v = this.ask(
            s,
            r.action,
            role.arn,
            r.action.includes(':Attach') ? this.tagsOf(target, ATTACH) : this.tagsOf(target),
          );
        }
        verdict = both(verdict, v);
        if (!verdict.allowed) break;
      }
      if (!verdict.allowed) continue;
      if (t.become === 'rewrite-trust') {
        verdict = both(verdict, this.assumeVerdict(s, role, trustNaming(s.caller)));
        if (!verdict.allowed) continue;
      }
      const grants = t.grantsAdmin ? this.adminAfterGrant(target) : undefined;
      this.addEdge(s, role.arn, t, verdict, grants, policy ? { policy } : {});
    }
  }

  /** Does the role's trust policy let the service assume it, for a resource of the role's account? */
  private serviceTrusts(role: RolePrincipal, service: string): Verdict {
    const key = `${role.arn}|${service}`;
    let v = this.serviceTrust.get(key);
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
      this.serviceTrust.set(key, v);
    }
    return v;
  }

  /** The service actions of a passrole technique, on resources the principal would create. */
  private serviceActions(s: Subject, t: Technique): Verdict {
    let verdict: Verdict = { allowed: true, conditions: [] };
    for (const r of t.required) {
      if (r.action === 'iam:PassRole') continue;
      verdict = both(verdict, this.onCreatedResource(s, r));
      if (!verdict.allowed) return DENIED;
    }
    return verdict;
  }

  private onCreatedResource(s: Subject, r: RequiredAction): Verdict {
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
      const v = this.ask(s, r.action, resource, { 'aws:RequestedRegion': region });
      if (v.allowed && (!best.allowed || v.conditions.length < best.conditions.length)) best = v;
      if (best.allowed && best.conditions.length === 0) break;
    }
    return best;
  }

  private passRoleEdges(s: Subject, t: Technique): void {
    const actions = this.serviceActions(s, t);
    if (!actions.allowed) return;
    const prefixes = resourcePrefixes(s, 'iam:PassRole');
    const seen = new Set<string>();
    for (const service of t.services ?? []) {
      for (const role of this.trust.byService.get(`${s.accountId}|${service}`) ?? []) {
        if (seen.has(role.arn) || role.arn === s.arn || !matchesPrefixes(role.arn, prefixes)) continue;
        seen.add(role.arn);
        const target = this.subjects.get(role.arn);
        if (!target) continue;
        let v = this.serviceTrusts(role, service);
        if (!v.allowed) continue;
        v = both(
          v,
          this.ask(s, 'iam:PassRole', role.arn, this.tagsOf(target, { 'iam:PassedToService': service })),
        );
        if (!v.allowed) continue;
        if (t.needsInstanceProfile && role.instanceProfiles.length === 0) {
          const profile = `arn:${s.account.partition}:iam::${s.accountId}:instance-profile/leastpriv-probe`;
          v = both(
            v,
            both(
              this.ask(s, 'iam:CreateInstanceProfile', profile),
              this.ask(s, 'iam:AddRoleToInstanceProfile', profile),
            ),
          );
          if (!v.allowed) continue;
        }
        this.addEdge(s, role.arn, t, both(v, actions), undefined, { service });
      }
    }
  }
}

const NO_EXTRA = Object.freeze({});
const ATTACH = Object.freeze({ 'iam:PolicyARN': ADMIN_POLICY_ARN });

const SELF_FIRST: readonly Technique[] = [
  ...TECHNIQUES.filter((t) => t.kind === 'self'),
  ...TECHNIQUES.filter((t) => t.kind !== 'self'),
];

const ESCALATION_SET = new Set<string>([
  'iam:PassRole',
  'sts:AssumeRole',
  'iam:CreatePolicyVersion',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachUserPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachGroupPolicy',
  'iam:AddUserToGroup',
  'iam:CreateAccessKey',
  'iam:DeleteAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy',
]);

function keyCount(user: UserPrincipal): number | undefined {
  if (user.accessKeys) return user.accessKeys.length;
  const row = user.credentials;
  if (!row) return undefined;
  return row.accessKeys.filter((k) => k.active || k.lastRotated !== null).length;
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
function prerequisiteDoubt(technique: string, user: UserPrincipal): string[] {
  if ((technique === 'iam-004' || technique === 'iam-006') && user.credentials === undefined)
    return ['whether the user has a console password or MFA is not in the snapshot (no credential report)'];
  return [];
}
