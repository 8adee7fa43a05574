import type { SourcePosition } from './issue.js';
import type { Effect, PolicyType } from './policy.js';
import type { Decision } from './request.js';

/**
 * Why the engine decided what it decided. Pure data: text is produced by the renderers.
 * The JSON form of this object is part of `leastpriv simulate --format json`'s contract.
 */
export type ConditionVerdict = 'match' | 'no-match' | 'unknown';

export interface ConditionExplanation {
  readonly operator: string;
  readonly key: string;
  /** Policy values after variable substitution. */
  readonly policyValues: readonly string[];
  /** The request's value(s) for the key; absent when the key is missing from the request. */
  readonly requestValues?: readonly string[];
  readonly verdict: ConditionVerdict;
  /** One sentence, e.g. `aws:SourceIp 198.51.100.7 is not in 203.0.113.0/24`. */
  readonly reason: string;
  /** Where the condition is in the policy text; absent when the policy was given as an object. */
  readonly pos?: SourcePosition;
}

export type StatementVerdict = 'match' | 'no-match' | 'unknown';

export interface StatementExplanation {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly verdict: StatementVerdict;
  readonly action: boolean;
  readonly resource: boolean;
  /** Only for policies with a Principal element. */
  readonly principal?: boolean;
  readonly conditions: readonly ConditionExplanation[];
  /** Where the statement is in the policy text; absent when the policy was given as an object. */
  readonly pos?: SourcePosition;
}

/** The outcome of one policy: explicit deny, allow, or nothing matched. */
export type PolicyVerdict = 'Deny' | 'Allow' | 'NoMatch' | 'Unknown';

export interface PolicyExplanation {
  readonly name: string;
  readonly source?: string;
  readonly verdict: PolicyVerdict;
  /** Statements whose action/resource/principal matched (decisive or not); non-matching ones are omitted for size. */
  readonly statements: readonly StatementExplanation[];
}

export interface LayerExplanation {
  readonly type: PolicyType;
  /** For SCP/RCP: 0 is the root, then each OU, then the account. */
  readonly level?: number;
  /** `false` when the layer does not apply (management account for SCPs, service-linked role, no policies given). */
  readonly applies: boolean;
  readonly verdict: PolicyVerdict;
  readonly policies: readonly PolicyExplanation[];
  readonly note?: string;
}

export interface Explanation {
  readonly decision: Decision;
  /** Stable machine code for the deciding rule, e.g. `explicit-deny`, `no-allow-in-identity`, `scp-implicit-deny`. */
  readonly reasonCode: string;
  /** One sentence a person reads. */
  readonly reason: string;
  readonly principalAccount?: string;
  readonly resourceAccount?: string;
  readonly crossAccount: boolean;
  /** The policy and statement that decided, when one did. */
  readonly decidedBy?: {
    readonly layer: PolicyType;
    readonly level?: number;
    readonly policy: string;
    readonly statement: number;
    readonly sid?: string;
  };
  readonly layers: readonly LayerExplanation[];
  /** Why the decision is Unknown, one entry per undecidable construct. */
  readonly unknowns?: readonly string[];
  /** Assumptions the engine made and facts worth knowing (e.g. the resource account was assumed). */
  readonly notes?: readonly string[];
}

export interface EvaluationResult {
  readonly decision: Decision;
  readonly explanation: Explanation;
}
