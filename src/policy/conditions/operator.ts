import type { RequestContext } from './context.js';

/** What a policy value of an operator is compared as (used in explanations and lint). */
export type OperatorValueType = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn';

/**
 * One comparison a condition operator makes, as data. `matches` is always the positive sense
 * ("equals", "is in"); a negated operator shares it and sets `negated`, and compile.ts turns the
 * policy values into an AND of negations (reference_policies_elements_condition_operators.html).
 *
 * `R` is the request value after parsing, `P` a policy value after compiling: both are worked
 * out once (policy values at compile time, request values once per evaluation).
 */
export interface ConditionOperator<R = unknown, P = unknown> {
  /** Canonical spelling, e.g. `StringNotEquals`. */
  readonly name: string;
  readonly valueType: OperatorValueType;
  readonly negated: boolean;
  /** Whether policy variables are substituted in this operator's values. */
  readonly variables: boolean;
  /** Undefined when the policy value cannot be interpreted (not a number, not a CIDR, ...). */
  compileValue(raw: string, variablesEnabled: boolean): P | undefined;
  /** Undefined when the request value cannot be interpreted. */
  parseRequest(raw: string): R | undefined;
  /** true/false, or the name of a key a policy variable needed and the request lacks. */
  matches(request: R, policy: P, rawRequest: string, context: RequestContext): boolean | string;
  /** Words for explanations: `aws:SourceIp 1.2.3.4 is in 1.2.3.0/24`. */
  readonly phrase: { readonly yes: string; readonly no: string };
  /** What an uninterpretable policy value is, for explanations (`a CIDR`, `a number`). */
  readonly expects: string;
}

/** The negated twin of a positive operator: same comparison, opposite sense. */
export function negate<R, P>(op: ConditionOperator<R, P>, name: string): ConditionOperator<R, P> {
  return { ...op, name, negated: true };
}
