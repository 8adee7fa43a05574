/**
 * String, ARN and variable matching for the policy language. Every matcher is linear-time:
 * nothing here builds a regular expression from policy text.
 */
export { type Arn, parseArn } from './arn.js';
export {
  compileActionPattern,
  compileArnPattern,
  compileArnTemplate,
  compileLiteralTemplate,
  compileLowerActionPattern,
  compileResourcePattern,
  compileResourceTemplate,
  compileWildcard,
  compileWildcardTemplate,
  isArnPattern,
  type StringMatcher,
  type TemplateMatcher,
  type TemplateOptions,
} from './patterns.js';
export {
  hasVariables,
  substituteVariables,
  type VariableResolution,
  variableKeysIn,
} from './variables.js';
