/**
 * `who-can` for one catalog action, computing only what that action needs. The answer is the one
 * `whoCan` (analysis/access/query.ts) gives — same candidates, same engine decisions, same evidence —
 * and who-can-query.test.ts holds the two together; this path exists because `whoCan` serves every
 * kind of question and pays for that on a large organization:
 *
 * - the candidate test asks "does this statement name the action?" per pattern (a literal is one
 *   string compare, a wildcard one lookup in the catalog's expansion cache) instead of building every
 *   statement's full action set over the whole catalog;
 * - the engine compiles, per policy, only the statements that name the action. The engine itself
 *   only ever visits those for this action (`statementsForAction`), so the decision is the same, but
 *   resource matchers and conditions of the other statements are never built;
 * - principals with the same policies share one compiled set (and the engine's per-set state).
 *
 * An action the catalog does not know goes to `whoCan` unchanged: its statements are matched by
 * pattern, not by index, and that is `whoCan`'s business.
 */

import { mayPerformWith } from '../../analysis/access/effective-access.js';
import { type Grant, grantKind } from '../../analysis/access/evidence.js';
import { evaluationOptions } from '../../analysis/access/layers.js';
import { type AccessEntry, accessModel } from '../../analysis/access/model.js';
import {
  principalContext,
  requestPolicies,
  resourceHasPolicy,
  type WhoCanEntry,
  type WhoCanGrant,
  type WhoCanResult,
  whoCan,
  whoCanGrant,
  whoCanRow,
  withResourceEvidence,
} from '../../analysis/access/query.js';
import { readsCallerFor } from '../../analysis/escalation/scope.js';
import { getCatalog } from '../../catalog/index.js';
import type { Identity, OrgSnapshot, StoredPolicy } from '../../model/account.js';
import type { Policy, PrincipalSet, Statement } from '../../model/policy.js';
import type { AuthorizationRequest, Decision } from '../../model/request.js';
import {
  type CompiledPolicySet,
  compilePolicySet,
  evaluate,
  type PolicySet,
} from '../../policy/evaluate/index.js';

/** Distinct wildcard Action patterns remembered per query (the text is attacker-controlled). */
const WILDCARD_HITS_LIMIT = 65_536;

/** What one query remembers per policy object; dropped with the query. */
class ActionView {
  private readonly lower: string;
  private readonly wildcardHits = new Map<string, boolean>();
  private readonly policyFlags = new WeakMap<Policy, { allows: boolean; deniesAll: boolean }>();
  private readonly trimmedPolicies = new WeakMap<Policy, Policy>();
  private readonly trimmedStored = new WeakMap<StoredPolicy, StoredPolicy>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly flagsOf = (policy: Policy) => this.flags(policy);

  constructor(
    action: string,
    private readonly index: number,
    /** The resource asked about (`*` when none): contentId reads statements for it. */
    private readonly target: string,
  ) {
    this.lower = action.toLowerCase();
  }

  /** The same answer as the statement's catalog set (NotAction complemented) holding the action. */
  names(s: Statement): boolean {
    return s.action ? this.anyPattern(s.action) : s.notAction ? !this.anyPattern(s.notAction) : false;
  }

  private anyPattern(patterns: readonly string[]): boolean {
    for (const p of patterns) {
      // Without `*` or `?` a pattern expands to the one action of that name, case-insensitively.
      if (!p.includes('*') && !p.includes('?')) {
        if (p.length === this.lower.length && p.toLowerCase() === this.lower) return true;
      } else if (this.wildcardNames(p)) return true;
    }
    return false;
  }

  /** Wildcard patterns repeat across policies: the catalog's expansion is looked up once per text. */
  private wildcardNames(p: string): boolean {
    let hit = this.wildcardHits.get(p);
    if (hit === undefined) {
      hit = getCatalog().expandActionPattern(p).set.has(this.index);
      if (this.wildcardHits.size < WILDCARD_HITS_LIMIT) this.wildcardHits.set(p, hit);
    }
    return hit;
  }

  /** `policyAllowsOrDenies` for this action: an Allow naming it anywhere, a Deny on `*` without condition. */
  flags(policy: Policy): { allows: boolean; deniesAll: boolean } {
    let hit = this.policyFlags.get(policy);
    if (hit) return hit;
    let allows = false;
    let deniesAll = false;
    for (const s of policy.statements) {
      // A statement without Resource matches nothing in an identity-side evaluation.
      if (s.resource === undefined && s.notResource === undefined) continue;
      if (s.effect === 'Allow') {
        if (!allows && this.names(s)) allows = true;
      } else if (!deniesAll && s.conditions.length === 0 && s.resource?.includes('*') === true) {
        if (this.names(s)) deniesAll = true;
      }
    }
    hit = { allows, deniesAll };
    this.policyFlags.set(policy, hit);
    return hit;
  }

  /**
   * `mayPerform`: the identity policies name the action, every boundary and SCP level allows it
   * somewhere, and no layer denies it on `*` unconditionally.
   */
  mayPerform(entry: AccessEntry): boolean {
    return mayPerformWith(entry.layers, this.flagsOf);
  }

  /**
   * The policy with only the statements that name the action; name, source and issues kept. Most
   * policies keep none: those without ERRORs all become one empty policy (the engine decides
   * nothing from a policy without statements but whether it is incomplete, and names appear only
   * in explanations, which this query does not ask for), so they are compiled once and principals
   * holding different such policies share a compiled set.
   */
  trim(stored: StoredPolicy): StoredPolicy {
    let hit = this.trimmedStored.get(stored);
    if (hit) return hit;
    const policy = this.kept(stored.policy);
    if (policy === stored.policy) hit = stored;
    else if (policy.statements.length === 0 && !stored.issues.some((i) => i.severity === 'ERROR'))
      hit = this.empty(stored);
    else hit = { ...stored, policy };
    this.trimmedStored.set(stored, hit);
    return hit;
  }

  /** The policy with only the statements that name the action (the policy itself when all do). */
  kept(policy: Policy): Policy {
    let kept = this.trimmedPolicies.get(policy);
    if (!kept) {
      const statements = policy.statements.filter((s) => this.names(s));
      kept = statements.length === policy.statements.length ? policy : { ...policy, statements };
      this.trimmedPolicies.set(policy, kept);
    }
    return kept;
  }

  private emptyPolicy: StoredPolicy | undefined;

  private empty(like: StoredPolicy): StoredPolicy {
    this.emptyPolicy ??= {
      kind: like.kind,
      type: like.type,
      name: `(no statement naming ${this.lower})`,
      source: '',
      issues: [],
      ok: true,
      readable: true,
      policy: { ...like.policy, statements: [], variablesEnabled: false },
    };
    return this.emptyPolicy;
  }

  private readonly contentIds = new WeakMap<StoredPolicy, string>();
  private readonly levelKeys = new WeakMap<object, string>();
  private readonly contentNumbers = new Map<string, number>();

  /**
   * What the engine reads of a trimmed policy for this action, as a small number: per statement
   * its effect, Resource/NotResource, conditions and Principal/NotPrincipal (every statement kept
   * names the action, so which patterns name it does not matter), whether variables are
   * substituted, and whether the policy is incomplete (ERROR issues). Stamped-out policies that
   * differ only elsewhere (other actions, names, Sids) get one number, so their principals share
   * one compiled set.
   */
  contentId(stored: StoredPolicy): string {
    let id = this.contentIds.get(stored);
    if (id === undefined) {
      const policy = this.trim(stored).policy;
      let text = policy.variablesEnabled ? 'v' : '-';
      if (stored.issues.some((i) => i.severity === 'ERROR')) text += '!';
      for (const st of policy.statements) text += `\n${statementMeaning(st, this.target)}`;
      let n = this.contentNumbers.get(text);
      if (n === undefined) {
        n = this.contentNumbers.size;
        this.contentNumbers.set(text, n);
      }
      id = String(n);
      this.contentIds.set(stored, id);
    }
    return id;
  }

  /** contentId over guardrail levels, kept per list (an account's levels are one shared list). */
  levelsKey(levels: readonly (readonly StoredPolicy[])[]): string {
    let key = this.levelKeys.get(levels);
    if (key === undefined) {
      key = levels.map((level) => level.map((p) => this.contentId(p)).join(',')).join('/');
      this.levelKeys.set(levels, key);
    }
    return key;
  }

  id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }
}

/**
 * A statement as the engine reads it for one request on `target` by an action the statement names
 * (see contentId). A Resource value that is a plain ARN (`arn:` and five more colons, no `?` or
 * variable, at most one `*` and that at the end of the resource part) matches a request's resource
 * exactly when it is that text, or starts with the text before the `*` (the engine's
 * plainArnTemplate). So values that do not match the target only say "something that does not
 * match": one role-specific statement reads like another, and their principals share a set.
 */
function statementMeaning(s: Statement, target: string): string {
  const principal = (p: PrincipalSet | undefined) =>
    p && [p.wildcard, p.aws, p.service, p.federated, p.canonicalUser];
  return JSON.stringify([
    s.effect,
    resourcesMeaning(s.resource, target),
    resourcesMeaning(s.notResource, target),
    s.conditions.map((c) => [c.operator, c.key, c.values]),
    principal(s.principal) ?? null,
    principal(s.notPrincipal) ?? null,
  ]);
}

/** Stands for any number of plain ARNs that do not match the target (a value no policy text can be). */
const OTHER_ARNS = '\u0000plain ARNs not matching';

function resourcesMeaning(values: readonly string[] | undefined, target: string): readonly string[] | null {
  if (values === undefined) return null;
  let others = false;
  const kept: string[] = [];
  for (const v of values) {
    if (plainArnMatches(v, target) === false) others = true;
    else kept.push(v);
  }
  if (others) kept.push(OTHER_ARNS);
  return kept;
}

/**
 * Whether a plain ARN value matches the target, as the engine's plainArnTemplate decides it
 * (equality, or a prefix test for one trailing `*` after the fifth colon); undefined for any
 * other value, which is kept as written.
 */
function plainArnMatches(value: string, target: string): boolean | undefined {
  if (!value.startsWith('arn:') || value.includes('$') || value.includes('?')) return undefined;
  let colon = -1;
  for (let i = 0; i < 5; i++) {
    colon = value.indexOf(':', colon + 1);
    if (colon === -1) return undefined;
  }
  const star = value.indexOf('*');
  if (star === -1) return value === target;
  if (star === value.length - 1 && star > colon) return target.startsWith(value.slice(0, -1));
  return undefined;
}

/** One compiled set of trimmed policies, shared by the principals holding those policies. */
interface SharedSet {
  readonly compiled: CompiledPolicySet;
  /** The first principal asked on the set and its decision. */
  readonly first: Identity;
  readonly firstDecision: Decision;
  /**
   * Asked when a second principal comes (most sets have one): whether some statement that can
   * match the action reads something of the principal itself (its ARN, name, tags, or a Principal
   * element). If not, principals of one caller class get the same answer, kept here by class.
   */
  decisions?: Map<string, Decision> | null;
}

/**
 * The principals that can answer differently on a set that reads nothing of the caller: the
 * engine derives the principal's account, type and whether SCPs exempt it (service-linked roles)
 * from the ARN, and the request context adds the account's region. The service-linked test is
 * looser than the engine's (a class too many only costs an evaluation).
 */
function callerClass(identity: Identity): string {
  const arn = identity.arn;
  const slash = arn.indexOf('/');
  const linked = arn.includes('aws-service-role') || arn.includes('AWSServiceRoleFor');
  return `${identity.accountId}|${slash < 0 ? arn : arn.slice(0, slash)}|${linked ? 'slr' : ''}`;
}

export function whoCanAction(snapshot: OrgSnapshot, action: string, resource?: string): WhoCanResult {
  const info = getCatalog().lookupAction(action);
  if (!info) return whoCan(snapshot, action, resource);
  const target = resource ?? '*';
  const view = new ActionView(action, info.index, target);
  const model = accessModel(snapshot);
  const anyResource = resource === undefined;
  const hasPolicy = resourceHasPolicy(snapshot, action, resource);
  const options = evaluationOptions(snapshot);
  const actions = [action];
  // What the resource adds to every request (its policy or trust, its account) does not depend on
  // the principal: requestPolicies reads only the given set and the resource.
  const first = model.principals[0]?.subject as Identity | undefined;
  const side = first && requestPolicies(snapshot, first, action, target, NO_POLICIES);
  const addsPolicies = side !== undefined && side.set !== NO_POLICIES;
  const resourceAccount = side?.resourceAccount;
  const requestFor = (identity: Identity): AuthorizationRequest => ({
    principal: identity.arn,
    action,
    resource: target,
    ...(resourceAccount !== undefined ? { resourceAccount } : {}),
    context: principalContext(snapshot, identity),
  });
  const ask = (compiled: CompiledPolicySet, identity: Identity): Decision =>
    evaluate(compiled, requestFor(identity));
  const sharedSets = new Map<string, SharedSet>();
  /** Grant parts by identity policies (as the trimmed key names them) and decision. */
  const grantParts = new Map<string, WhoCanGrant | null>();
  const out: WhoCanEntry[] = [];
  let candidates = 0;
  for (const entry of model.principals) {
    // A resource policy can grant what identity policies do not: then only guardrails filter.
    if (!hasPolicy && !view.mayPerform(entry)) continue;
    candidates++;
    const identity = entry.subject as Identity;
    const { key, identityKey } = trimmedKeys(view, entry);
    let decision: Decision | undefined;
    let resourceSide: { set: PolicySet<StoredPolicy>; compiled: CompiledPolicySet } | undefined;
    if (!addsPolicies) {
      // Principals whose trimmed policies say the same share the compiled set (names differ, but
      // the engine's decision does not read them).
      const shared = sharedSets.get(key);
      if (!shared) {
        const compiled = compilePolicySet(trimmedSet(view, entry), options);
        decision = ask(compiled, identity);
        sharedSets.set(key, { compiled, first: identity, firstDecision: decision });
      } else {
        if (shared.decisions === undefined)
          shared.decisions = readsCallerFor(shared.compiled, actions)
            ? null
            : new Map([[callerClass(shared.first), shared.firstDecision]]);
        if (shared.decisions === null) decision = ask(shared.compiled, identity);
        else {
          const classKey = callerClass(identity);
          decision = shared.decisions.get(classKey);
          if (decision === undefined) {
            decision = ask(shared.compiled, identity);
            shared.decisions.set(classKey, decision);
          }
        }
      }
    } else {
      const set = requestPolicies(snapshot, identity, action, target, trimmedSet(view, entry)).set;
      const compiled = compilePolicySet(set, options);
      decision = ask(compiled, identity);
      resourceSide = { set, compiled };
    }
    // The grant part depends on the identity policies' statements naming the action and the
    // decision only; the identity key names exactly those statements' policies.
    const partKey = `${decision}|${identityKey}`;
    let part = grantParts.get(partKey);
    if (part === undefined) {
      part = whoCanGrant(decision, anyResource, grantsOf(view, entry.layers.identity)) ?? null;
      grantParts.set(partKey, part);
    }
    if (part) {
      const row = whoCanRow(identity, part);
      // The resource's policy or the role's trust as evidence when no identity statement is (whoCan does the same).
      out.push(
        resourceSide
          ? withResourceEvidence(row, resourceSide.set, resourceSide.compiled, requestFor(identity))
          : row,
      );
    }
  }
  out.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
  return { action, resource: target, principals: out, candidates, total: model.principals.length };
}

const NO_POLICIES: PolicySet<StoredPolicy> = Object.freeze({});

/** The engine's policy set from the model's layers, trimmed to the action. */
function trimmedSet(view: ActionView, entry: AccessEntry): PolicySet<StoredPolicy> {
  const l = entry.layers;
  const list = (ps: readonly StoredPolicy[]) => ps.map((p) => view.trim(p));
  return {
    identity: list(l.identity),
    ...(l.boundary ? { boundary: list(l.boundary) } : {}),
    ...(l.scp ? { scp: l.scp.map(list) } : {}),
    ...(l.rcp ? { rcp: l.rcp.map(list) } : {}),
  };
}

/**
 * `key` names what the engine reads of the trimmed set (per layer, each policy's trimmed statements
 * and whether it is incomplete); `identityKey` names the trimmed identity policies themselves
 * (their names and sources are the evidence a row cites).
 */
function trimmedKeys(view: ActionView, entry: AccessEntry): { key: string; identityKey: string } {
  const l = entry.layers;
  let identityKey = '';
  let content = '';
  for (const p of l.identity) {
    identityKey += `${view.id(view.trim(p))},`;
    content += `${view.contentId(p)},`;
  }
  const key = `${content}|${l.boundary ? l.boundary.map((p) => view.contentId(p)).join(',') : '-'}|${l.scp ? view.levelsKey(l.scp) : '-'}|${l.rcp ? view.levelsKey(l.rcp) : '-'}`;
  return { key, identityKey };
}

/** `grantsOf` for the action: the Allow statements (with a Resource element) that name it. */
function grantsOf(view: ActionView, policies: readonly StoredPolicy[]): Grant[] {
  const out: Grant[] = [];
  for (const policy of policies) {
    // The statements that name the action, in document order, found once per policy document.
    for (const statement of view.kept(policy.policy).statements) {
      if (statement.effect !== 'Allow') continue;
      if (statement.resource === undefined && statement.notResource === undefined) continue;
      out.push({ policy, statement, kind: grantKind(statement) });
    }
  }
  return out;
}
