import type { SourcePosition } from './issue.js';

/**
 * The normalised AWS policy document produced by `policy/parse`. Every single-or-array element
 * has been turned into an array; positions point back into the text the user gave.
 */
export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';

/** Where a policy is attached decides which elements it may contain and how it is evaluated. */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp' | 'rcp' | 'endpoint';

export const POLICY_TYPES: readonly PolicyType[] = [
  'identity',
  'resource',
  'trust',
  'boundary',
  'session',
  'scp',
  'rcp',
  'endpoint',
];

export type StatementElement =
  | 'Sid'
  | 'Effect'
  | 'Principal'
  | 'NotPrincipal'
  | 'Action'
  | 'NotAction'
  | 'Resource'
  | 'NotResource'
  | 'Condition';

/**
 * `Principal` / `NotPrincipal`. `"Principal": "*"` sets `wildcard`; `{"AWS": "*"}` puts `*` in `aws`
 * (AWS treats the two the same for evaluation, but lint distinguishes them).
 */
export interface PrincipalSet {
  readonly wildcard: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
  readonly pos: SourcePosition;
}

export type SetOperator = 'ForAnyValue' | 'ForAllValues';

/** One key under one operator: `"StringLike": {"aws:userid": ["AIDA*", "AROA*"]}` is one clause. */
export interface ConditionClause {
  /** The operator exactly as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The operator without set prefix and `IfExists` suffix, e.g. `StringLike`. Case as written. */
  readonly baseOperator: string;
  readonly setOperator?: SetOperator;
  readonly ifExists: boolean;
  /** The condition key as written (keys are case-insensitive; compare lower-cased). */
  readonly key: string;
  /** Values as strings: JSON booleans and numbers become their JSON text (`true`, `5`). */
  readonly values: readonly string[];
  readonly pos: SourcePosition;
  readonly keyPos: SourcePosition;
}

export interface Statement {
  /** Position of the statement in the document's `Statement` array (0 for a single object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: PrincipalSet;
  readonly notPrincipal?: PrincipalSet;
  readonly conditions: readonly ConditionClause[];
  readonly pos: SourcePosition;
  /** Position of each element's key. */
  readonly elementPos: Readonly<Partial<Record<StatementElement, SourcePosition>>>;
  /** Position of each value of the array elements (Action, NotAction, Resource, NotResource), same order. */
  readonly valuePos: Readonly<Partial<Record<'Action' | 'NotAction' | 'Resource' | 'NotResource', readonly SourcePosition[]>>>;
}

export interface Policy {
  /** The `Version` as written, or undefined when absent (AWS then behaves as 2008-10-17: no variables). */
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly Statement[];
  /** Whether policy variables (`${aws:username}`) are substituted: only under Version 2012-10-17. */
  readonly variablesEnabled: boolean;
  /** Characters counted the way IAM counts them for its size quotas (whitespace outside strings excluded). */
  readonly size: number;
  readonly pos: SourcePosition;
}

/** A policy with the name it is known by in explanations and reports. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: Policy;
  /** Where it came from (file path, ARN), for reports. */
  readonly source?: string;
}
