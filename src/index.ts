/**
 * leastpriv as a library: `import { parsePolicy, compilePolicySet, explain } from 'leastpriv'`.
 * Everything exported here is public API; the CLI is a thin layer over it.
 */
export { type Catalog, getCatalog } from './catalog/index.js';
export { formatInputError, InputError, type InputErrorDetails } from './model/errors.js';
export type {
  ConditionExplanation,
  EvaluationResult,
  Explanation,
  LayerExplanation,
  PolicyExplanation,
  StatementExplanation,
} from './model/explanation.js';
export type { IssueSeverity, PolicyIssue, SourcePosition } from './model/issue.js';
export type { ConditionClause, NamedPolicy, Policy, PolicyType, PrincipalSet, Statement } from './model/policy.js';
export type { AuthorizationRequest, ContextValueInput, Decision } from './model/request.js';
export {
  type CompiledPolicy,
  type CompiledPolicySet,
  compilePolicy,
  compilePolicySet,
  type EvaluationOptions,
  evaluate,
  explain,
  type PolicySet,
} from './policy/evaluate/index.js';
export { renderExplanationText } from './policy/evaluate/render-text.js';
export { type ParseOptions, type ParseResult, parsePolicy } from './policy/parse/index.js';
export { parseSimulationFile, type SimulationCase } from './policy/simulation/request-file.js';
export { lintRules, validatePolicy, type ValidationResult } from './policy/validate/index.js';
