import type { EvaluationResult } from '../../model/explanation.js';
import type { NamedPolicy } from '../../model/policy.js';
import type { AuthorizationRequest, Decision } from '../../model/request.js';

/**
 * The policies that apply to one request, by type. SCP and RCP levels are ordered root first,
 * then each OU down the path, then the account itself.
 */
export interface PolicySet<P = NamedPolicy> {
  readonly identity?: readonly P[];
  readonly resource?: readonly P[];
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

export function compilePolicy(_policy: NamedPolicy): CompiledPolicy {
  throw new Error('not implemented yet (evaluate helper)');
}

export function compilePolicySet(
  _set: PolicySet<NamedPolicy | CompiledPolicy>,
  _options?: EvaluationOptions,
): CompiledPolicySet {
  throw new Error('not implemented yet (evaluate helper)');
}

/** The decision only: the fast path for bulk analysis (no explanation objects are built). */
export function evaluate(_compiled: CompiledPolicySet, _request: AuthorizationRequest): Decision {
  throw new Error('not implemented yet (evaluate helper)');
}

/** The same decision as `evaluate`, with its full explanation. */
export function explain(_compiled: CompiledPolicySet, _request: AuthorizationRequest): EvaluationResult {
  throw new Error('not implemented yet (evaluate helper)');
}
