export {
  type CompileConditionOptions,
  type CompiledCondition,
  type ConditionResult,
  compileCondition,
} from './compile.js';
export { createRequestContext, type RequestContext } from './context.js';
export type { ConditionOperator, OperatorValueType } from './operator.js';
export { findOperator, OPERATORS } from './registry.js';
