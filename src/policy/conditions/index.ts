import type { ConditionExplanation } from '../../model/explanation.js';
import type { ConditionClause } from '../../model/policy.js';
import type { RequestContext } from './context.js';

export { createRequestContext, type RequestContext } from './context.js';

export interface ConditionResult {
  readonly verdict: 'match' | 'no-match' | 'unknown';
  /** Only built when asked for (`explain`), so bulk evaluation allocates nothing. */
  readonly explanation?: ConditionExplanation;
}

export interface CompiledCondition {
  readonly clause: ConditionClause;
  evaluate(context: RequestContext, explain: boolean): ConditionResult;
}

export interface CompileConditionOptions {
  /** Version 2012-10-17: substitute policy variables in values. */
  readonly variablesEnabled: boolean;
}

/**
 * Compiles one condition clause (one operator, one key, its values) once; evaluation does no
 * re-parsing. An unknown operator compiles to a condition that always yields `unknown`.
 */
export function compileCondition(_clause: ConditionClause, _options: CompileConditionOptions): CompiledCondition {
  throw new Error('not implemented yet (conditions helper)');
}
