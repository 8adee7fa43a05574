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
  type WhoCanResult,
  whoCan,
  whoCanEntry,
} from '../../analysis/access/query.js';
import { getCatalog } from '../../catalog/index.js';
import type { Identity, OrgSnapshot, StoredPolicy } from '../../model/account.js';
import type { Policy, Statement } from '../../model/policy.js';
import type { Decision } from '../../model/request.js';
import {
  type CompiledPolicySet,
  compilePolicySet,
  evaluate,
  type PolicySet,
} from '../../policy/evaluate/index.js';

/** What one query remembers per policy object; dropped with the query. */
class ActionView {
  private readonly lower: string;
  private readonly statementNames = new WeakMap<Statement, boolean>();
  private readonly policyFlags = new WeakMap<Policy, { allows: boolean; deniesAll: boolean }>();
  private readonly trimmedPolicies = new WeakMap<Policy, Policy>();
  private readonly trimmedStored = new WeakMap<StoredPolicy, StoredPolicy>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  constructor(
    action: string,
    private readonly index: number,
  ) {
    this.lower = action.toLowerCase();
  }

  /** The same answer as the statement's catalog set (NotAction complemented) holding the action. */
  names(s: Statement): boolean {
    let hit = this.statementNames.get(s);
    if (hit === undefined) {
      hit = s.action ? this.anyPattern(s.action) : s.notAction ? !this.anyPattern(s.notAction) : false;
      this.statementNames.set(s, hit);
    }
    return hit;
  }

  private anyPattern(patterns: readonly string[]): boolean {
    const catalog = getCatalog();
    for (const p of patterns) {
      // Without `*` or `?` a pattern expands to the one action of that name, case-insensitively.
      if (!p.includes('*') && !p.includes('?')) {
        if (p.length === this.lower.length && p.toLowerCase() === this.lower) return true;
      } else if (catalog.expandActionPattern(p).set.has(this.index)) return true;
    }
    return false;
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
    return mayPerformWith(entry.layers, (policy) => this.flags(policy));
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
    let policy = this.trimmedPolicies.get(stored.policy);
    if (!policy) {
      const kept = stored.policy.statements.filter((s) => this.names(s));
      policy =
        kept.length === stored.policy.statements.length
          ? stored.policy
          : { ...stored.policy, statements: kept };
      this.trimmedPolicies.set(stored.policy, policy);
    }
    if (policy === stored.policy) hit = stored;
    else if (policy.statements.length === 0 && !stored.issues.some((i) => i.severity === 'ERROR'))
      hit = this.empty(stored);
    else hit = { ...stored, policy };
    this.trimmedStored.set(stored, hit);
    return hit;
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

  id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }
}

export function whoCanAction(snapshot: OrgSnapshot, action: string, resource?: string): WhoCanResult {
  const info = getCatalog().lookupAction(action);
  if (!info) return whoCan(snapshot, action, resource);
  const view = new ActionView(action, info.index);
  const model = accessModel(snapshot);
  const target = resource ?? '*';
  const hasPolicy = resourceHasPolicy(snapshot, action, resource);
  const options = evaluationOptions(snapshot);
  const compiledSets = new Map<string, CompiledPolicySet>();
  const out: WhoCanEntry[] = [];
  let candidates = 0;
  for (const entry of model.principals) {
    // A resource policy can grant what identity policies do not: then only guardrails filter.
    if (!hasPolicy && !view.mayPerform(entry)) continue;
    candidates++;
    const identity = entry.subject as Identity;
    const { set, key } = trimmedSet(view, entry);
    const request = requestPolicies(snapshot, identity, action, target, set);
    let compiled: CompiledPolicySet;
    if (request.set === set) {
      // Nothing added for the resource: principals with the same policies share the compiled set.
      let hit = compiledSets.get(key);
      if (!hit) {
        hit = compilePolicySet(set, options);
        compiledSets.set(key, hit);
      }
      compiled = hit;
    } else compiled = compilePolicySet(request.set, options);
    const decision = evaluate(compiled, {
      principal: identity.arn,
      action,
      resource: target,
      ...(request.resourceAccount !== undefined ? { resourceAccount: request.resourceAccount } : {}),
      context: principalContext(snapshot, identity),
    });
    const found = describeGrant(view, entry, decision, resource === undefined);
    if (found) out.push(found);
  }
  out.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
  return { action, resource: target, principals: out, candidates, total: model.principals.length };
}

/** The engine's policy set from the model's layers, trimmed to the action, and a key naming its policies. */
function trimmedSet(view: ActionView, entry: AccessEntry): { set: PolicySet<StoredPolicy>; key: string } {
  const l = entry.layers;
  const list = (ps: readonly StoredPolicy[]) => ps.map((p) => view.trim(p));
  const ids = (ps: readonly StoredPolicy[] | undefined) =>
    ps === undefined ? '-' : ps.map((p) => view.id(view.trim(p))).join(',');
  const set: PolicySet<StoredPolicy> = {
    identity: list(l.identity),
    ...(l.boundary ? { boundary: list(l.boundary) } : {}),
    ...(l.scp ? { scp: l.scp.map(list) } : {}),
    ...(l.rcp ? { rcp: l.rcp.map(list) } : {}),
  };
  const key = [
    ids(l.identity),
    ids(l.boundary),
    l.scp ? l.scp.map(ids).join('/') : '-',
    l.rcp ? l.rcp.map(ids).join('/') : '-',
  ].join('|');
  return { set, key };
}

/** `grantsOf` for the action: the Allow statements (with a Resource element) that name it. */
function grantsOf(view: ActionView, policies: readonly StoredPolicy[]): Grant[] {
  const out: Grant[] = [];
  for (const policy of policies) {
    for (const statement of policy.policy.statements) {
      if (statement.effect !== 'Allow') continue;
      if (statement.resource === undefined && statement.notResource === undefined) continue;
      if (!view.names(statement)) continue;
      out.push({ policy, statement, kind: grantKind(statement) });
    }
  }
  return out;
}

function describeGrant(
  view: ActionView,
  entry: AccessEntry,
  decision: Decision,
  anyResource: boolean,
): WhoCanEntry | undefined {
  return whoCanEntry(entry.subject as Identity, decision, anyResource, grantsOf(view, entry.layers.identity));
}
