/**
 * What one action's requests depend on, for one compiled policy set: read from the compiled
 * statements that can match the action (their Resource/NotResource and the request keys their
 * conditions and policy variables read). When no such statement looks at the resource, the
 * engine's answer is the same for every resource of one account, so the graph asks once per
 * account instead of once per target; when none reads the target's tags, the tags are not put in
 * the request. Only ever an over-approximation of "depends on": answers never change, only how
 * often the engine is asked.
 */
import { getCatalog } from '../../catalog/index.js';
import {
  type CompiledPolicyData,
  isCompiledPolicy,
  statementsForAction,
} from '../../policy/evaluate/compile.js';
import type { CompiledPolicy, CompiledPolicySet } from '../../policy/evaluate/index.js';

export interface RequestScope {
  /** The answer is the same for every resource in one account (the extras being equal). */
  readonly anyResource: boolean;
  /** Some statement reads `aws:ResourceTag/*` or `iam:ResourceTag/*`. */
  readonly readsTags: boolean;
}

const DEPENDS: RequestScope = Object.freeze({ anyResource: false, readsTags: true });
const ANY_RESOURCE: RequestScope = Object.freeze({ anyResource: true, readsTags: false });
const NOT_TAGS: RequestScope = Object.freeze({ anyResource: false, readsTags: false });
const cache = new WeakMap<CompiledPolicySet, Map<string, RequestScope>>();

/** Every compiled policy of the set, every layer and level. */
export function* policiesOfSet(set: CompiledPolicySet): Iterable<CompiledPolicy> {
  const p = set.policies;
  for (const list of [p.identity, p.resource, p.trust, p.boundary, p.session, p.endpoint])
    if (list) yield* list;
  for (const level of p.scp ?? []) yield* level;
  for (const level of p.rcp ?? []) yield* level;
}

function isTagKey(key: string): boolean {
  return key.startsWith('aws:resourcetag/') || key.startsWith('iam:resourcetag/');
}

export function requestScope(set: CompiledPolicySet, action: string): RequestScope {
  let byAction = cache.get(set);
  if (!byAction) {
    byAction = new Map();
    cache.set(set, byAction);
  }
  let scope = byAction.get(action);
  if (!scope) {
    scope = computeScope(set, action);
    byAction.set(action, scope);
  }
  return scope;
}

function computeScope(set: CompiledPolicySet, action: string): RequestScope {
  const index = getCatalog().lookupAction(action)?.index ?? -1;
  // An action outside the catalog is matched by wildcard matchers the candidates do not cover.
  if (index < 0) return DEPENDS;
  let anyResource = true;
  let readsTags = false;
  for (const p of policiesOfSet(set)) {
    if (!isCompiledPolicy(p)) return DEPENDS;
    const data: CompiledPolicyData = p;
    // Statements that could not be read may name any resource.
    if (data.incomplete) return DEPENDS;
    for (const s of statementsForAction(data, index).all) {
      if (s.resourceMode === 2 || (s.resourceMode === 1 && !s.resourceAll)) anyResource = false;
      for (const k of s.contextKeys) if (isTagKey(k)) readsTags = true;
    }
  }
  return anyResource && !readsTags ? ANY_RESOURCE : readsTags ? DEPENDS : NOT_TAGS;
}

/** Request keys whose value differs between principals of one account and kind. */
export function isCallerKey(key: string): boolean {
  return (
    key === 'aws:principalarn' ||
    key === 'aws:username' ||
    key === 'aws:userid' ||
    key.startsWith('aws:principaltag/')
  );
}

/**
 * Does any statement that can match one of the actions (any layer) read a key of the principal
 * itself, or name principals other than `*`? Then an answer for one principal does not carry over to another of
 * the same account and kind holding the same policies.
 */
export function readsCallerFor(set: CompiledPolicySet, actions: readonly string[]): boolean {
  if (!allInCatalog(actions)) return true;
  for (const p of policiesOfSet(set)) if (policyReadsCaller(p, actions)) return true;
  return false;
}

const inCatalog = new Map<readonly string[], boolean>();

function allInCatalog(actions: readonly string[]): boolean {
  let all = inCatalog.get(actions);
  if (all === undefined) {
    const catalog = getCatalog();
    all = actions.every((a) => catalog.lookupAction(a) !== undefined);
    if (inCatalog.size < 64) inCatalog.set(actions, all);
  }
  return all;
}

/** Per policy and list of actions (by identity: the callers pass constant lists). */
const callerCache = new WeakMap<CompiledPolicy, Map<readonly string[], boolean>>();

/** readsCallerFor for one policy, kept per policy so sets sharing policies share the work. */
export function policyReadsCaller(p: CompiledPolicy, actions: readonly string[]): boolean {
  let byList = callerCache.get(p);
  if (!byList) {
    byList = new Map();
    callerCache.set(p, byList);
  }
  let reads = byList.get(actions);
  if (reads === undefined) {
    reads = computeReadsCaller(p, actions);
    byList.set(actions, reads);
  }
  return reads;
}

function computeReadsCaller(p: CompiledPolicy, actions: readonly string[]): boolean {
  if (!isCompiledPolicy(p) || p.incomplete) return true;
  const catalog = getCatalog();
  for (const action of actions) {
    const index = catalog.lookupAction(action)?.index ?? -1;
    if (index < 0) return true;
    for (const s of statementsForAction(p, index).all) {
      // `*` (RCPs) matches every principal alike; anything else may tell principals apart.
      if ((s.principal !== undefined && !s.principal.wildcard) || s.notPrincipal !== undefined) return true;
      for (const k of s.contextKeys) if (isCallerKey(k)) return true;
    }
  }
  return false;
}
