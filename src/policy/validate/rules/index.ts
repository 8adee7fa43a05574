import type { LintRule } from '../types.js';
import { actionPatternMatchesNothing } from './action-pattern-matches-nothing.js';
import { allowWithNotAction } from './allow-with-not-action.js';
import { allowWithNotPrincipal } from './allow-with-not-principal.js';
import { allowWithNotResource } from './allow-with-not-resource.js';
import { conditionKeyNotSupportedByActions } from './condition-key-not-supported-by-actions.js';
import { conditionOperatorTypeMismatch } from './condition-operator-type-mismatch.js';
import { conditionValueInvalidForOperator } from './condition-value-invalid-for-operator.js';
import { equalityOperatorWithWildcard } from './equality-operator-with-wildcard.js';
import { forAllValuesSingleValuedKey } from './for-all-values-single-valued-key.js';
import { forAnyValueSingleValuedKey } from './for-any-value-single-valued-key.js';
import { invalidArn } from './invalid-arn.js';
import { mfaConditionBypassable } from './mfa-condition-bypassable.js';
import { nullWithIfExists } from './null-with-if-exists.js';
import { nullWithSetOperator } from './null-with-set-operator.js';
import { overlyBroadIpRange } from './overly-broad-ip-range.js';
import { passRoleWildcardResource } from './pass-role-wildcard-resource.js';
import { publicPrincipalWithoutCondition } from './public-principal-without-condition.js';
import { redundantAction } from './redundant-action.js';
import { redundantResource } from './redundant-resource.js';
import { redundantStatement } from './redundant-statement.js';
import { resourceMatchesNoAction } from './resource-matches-no-action.js';
import { stringOperatorOnArnKey } from './string-operator-on-arn-key.js';
import { trustPolicyUnsupportedAction } from './trust-policy-unsupported-action.js';
import { unknownAction } from './unknown-action.js';
import { unknownConditionKey } from './unknown-condition-key.js';
import { unknownConditionOperator } from './unknown-condition-operator.js';
import { unknownService } from './unknown-service.js';
import { variablesWithoutVersion } from './variables-without-version.js';
import { wildcardOnlyActionWithResource } from './wildcard-only-action-with-resource.js';

/** Every lint rule, listed explicitly (no directory scanning): the order is the report order. */
export const RULES: readonly LintRule[] = [
  actionPatternMatchesNothing,
  allowWithNotAction,
  allowWithNotPrincipal,
  allowWithNotResource,
  conditionKeyNotSupportedByActions,
  conditionOperatorTypeMismatch,
  conditionValueInvalidForOperator,
  equalityOperatorWithWildcard,
  forAllValuesSingleValuedKey,
  forAnyValueSingleValuedKey,
  invalidArn,
  mfaConditionBypassable,
  nullWithIfExists,
  nullWithSetOperator,
  overlyBroadIpRange,
  passRoleWildcardResource,
  publicPrincipalWithoutCondition,
  redundantAction,
  redundantResource,
  redundantStatement,
  resourceMatchesNoAction,
  stringOperatorOnArnKey,
  trustPolicyUnsupportedAction,
  unknownAction,
  unknownConditionKey,
  unknownConditionOperator,
  unknownService,
  variablesWithoutVersion,
  wildcardOnlyActionWithResource,
];
