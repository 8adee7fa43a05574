import type { EvaluationResult } from '../../model/explanation.js';
import type { NamedPolicy } from '../../model/policy.js';
import type { AuthorizationRequest, Decision } from '../../model/request.js';
import {
  type CompiledPolicyData,
  compileNamedPolicy,
  type EvaluablePolicy,
  isCompiledPolicy,
} from './compile.js';
import { type EnginePolicies, runEvaluation } from './engine.js';

export type { CompiledStatement, EvaluablePolicy } from './compile.js';
export { derivedContextKeys } from './request-state.js';

/**
 * The policies that apply to one request, by type. SCP and RCP levels are ordered root first,
 * then each OU down the path, then the account itself.
 */
export interface PolicySet<P = NamedPolicy> {
  readonly identity?: readonly P[];
  readonly resource?: readonly P[];
  /**
   * A role's trust policy, for `sts:AssumeRole*` on that role. Resource policies given for an
   * `sts:AssumeRole*` request on a role ARN are treated as its trust policy too.
   */
  readonly trust?: readonly P[];
  readonly boundary?: readonly P[];
  readonly session?: readonly P[];
  readonly scp?: readonly (readonly P[])[];
  readonly rcp?: readonly (readonly P[])[];
  readonly endpoint?: readonly P[];
}

/** A policy compiled once (action sets, resource matchers, conditions) and reusable across policy sets. */
export interface CompiledPolicy {
  readonly name: string;
  readonly source?: string;
}

export interface EvaluationOptions {
  /** SCPs and RCPs do not restrict the organization's management account. */
  readonly managementAccount?: string;
}

export interface CompiledPolicySet {
  readonly policies: PolicySet<CompiledPolicy>;
  readonly options: EvaluationOptions;
}

/**
 * Compiles a policy once; the result is cached by the object's identity, so compiling the same
 * `NamedPolicy` again (or passing its compiled form to `compilePolicySet`) costs nothing. Pass the
 * parser's `issues` along (`EvaluablePolicy`) so that a policy with ERRORs yields `Unknown`
 * decisions instead of silently dropping the statements that could not be read.
 */
export function compilePolicy(policy: EvaluablePolicy): CompiledPolicy {
  return compileNamedPolicy(policy);
}

function compiled(p: NamedPolicy | CompiledPolicy): CompiledPolicyData {
  if (isCompiledPolicy(p)) return p;
  if (!('policy' in p))
    throw new TypeError(`policy "${p.name}" is neither a NamedPolicy nor compiled by compilePolicy`);
  return compileNamedPolicy(p);
}

function compileList(
  list: readonly (NamedPolicy | CompiledPolicy)[] | undefined,
): CompiledPolicyData[] | undefined {
  return list?.map(compiled);
}

export function compilePolicySet(
  set: PolicySet<NamedPolicy | CompiledPolicy>,
  options: EvaluationOptions = {},
): CompiledPolicySet {
  const policies: EnginePolicies = {
    ...(set.identity ? { identity: compileList(set.identity) } : {}),
    ...(set.resource ? { resource: compileList(set.resource) } : {}),
    ...(set.trust ? { trust: compileList(set.trust) } : {}),
    ...(set.boundary ? { boundary: compileList(set.boundary) } : {}),
    ...(set.session ? { session: compileList(set.session) } : {}),
    ...(set.scp ? { scp: set.scp.map((level) => level.map(compiled)) } : {}),
    ...(set.rcp ? { rcp: set.rcp.map((level) => level.map(compiled)) } : {}),
    ...(set.endpoint ? { endpoint: compileList(set.endpoint) } : {}),
  };
  return { policies, options: { ...options } };
}

/** The engine's view of a set: compiled sets built elsewhere (plain objects) are compiled here. */
function enginePolicies(set: CompiledPolicySet): EnginePolicies {
  return set.policies as EnginePolicies;
}

/** The decision only: the fast path for bulk analysis (no explanation objects are built). */
export function evaluate(compiledSet: CompiledPolicySet, request: AuthorizationRequest): Decision {
  return runEvaluation(enginePolicies(compiledSet), compiledSet.options, request, false) as Decision;
}

/** The same decision as `evaluate`, with its full explanation. */
export function explain(compiledSet: CompiledPolicySet, request: AuthorizationRequest): EvaluationResult {
  return runEvaluation(enginePolicies(compiledSet), compiledSet.options, request, true) as EvaluationResult;
}
