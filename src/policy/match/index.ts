/**
 * String, ARN and variable matching for the policy language. Every matcher is linear-time:
 * nothing here builds a regular expression from policy text.
 */
import type { RequestContext } from '../conditions/context.js';

export type StringMatcher = (value: string) => boolean;

/** `*` matches any run of characters (including `/` and `:`), `?` exactly one. */
export function compileWildcard(_pattern: string, _caseInsensitive: boolean): StringMatcher {
  throw new Error('not implemented yet (match helper)');
}

/** Matcher for a value of the `Action`/`NotAction` element (case-insensitive, `service:pattern`). */
export function compileActionPattern(_pattern: string): StringMatcher {
  throw new Error('not implemented yet (match helper)');
}

/** Matcher for a value of the `Resource`/`NotResource` element (variables already substituted). */
export function compileResourcePattern(_pattern: string): StringMatcher {
  throw new Error('not implemented yet (match helper)');
}

/** `ArnLike`/`ArnEquals` semantics: the six ARN segments are compared separately. */
export function compileArnPattern(_pattern: string): StringMatcher {
  throw new Error('not implemented yet (match helper)');
}

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(_arn: string): Arn | undefined {
  throw new Error('not implemented yet (match helper)');
}

export type VariableResolution =
  | { readonly ok: true; readonly value: string }
  /** A variable without a default named a key the request does not have (or a multi-valued key). */
  | { readonly ok: false; readonly missingKey: string };

/** True when the text holds a policy variable (`${...}`), so callers can skip substitution. */
export function hasVariables(_text: string): boolean {
  throw new Error('not implemented yet (match helper)');
}

/**
 * Substitutes `${key}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`. For Resource patterns and
 * string-like condition values; the caller skips this entirely under Version 2008-10-17.
 */
export function substituteVariables(_text: string, _context: RequestContext): VariableResolution {
  throw new Error('not implemented yet (match helper)');
}
