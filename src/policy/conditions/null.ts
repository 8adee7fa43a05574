/**
 * Null: `true` matches when the key is absent, `false` when it is present. It takes no
 * `IfExists` and no policy variables.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
 */
import type { RequestContext } from './context.js';

/**
 * Whether the key counts as absent. An empty multi-valued key counts as absent: AWS recommends
 * `Null: false` to stop "missing context keys or context keys with empty values" from
 * satisfying `ForAllValues` (reference_policies_condition_examples-multi-valued-context-keys.html).
 */
export function keyIsNull(context: RequestContext, key: string): boolean {
  const value = context.get(key);
  return value === undefined || (typeof value !== 'string' && value.length === 0);
}

/** Parsed Null policy value: true, false, or undefined when it is neither. */
export function parseNullValue(raw: string): boolean | undefined {
  const lower = raw.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
