/**
 * Findings about policy text (parse errors and lint results). Shape follows IAM Access
 * Analyzer's ValidatePolicy finding types so users can map one onto the other.
 */
export type IssueSeverity = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export const ISSUE_SEVERITIES: readonly IssueSeverity[] = ['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'];

/** 1-based line and column, 0-based character offset into the (decoded) policy text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Used when a policy was given as an object rather than text: there is no position to point at. */
export const NO_POSITION: SourcePosition = Object.freeze({ line: 0, column: 0, offset: -1 });

export interface PolicyIssue {
  /** Stable, kebab-case code (e.g. `duplicate-key`, `unknown-action`). Never renamed once published. */
  readonly code: string;
  readonly severity: IssueSeverity;
  /** Path into the policy document, e.g. `Statement[0].Condition.StringEquals.aws:SourceIp`. `` for the root. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  /** One sentence: what is wrong. */
  readonly message: string;
  /** One line: what to do about it. */
  readonly fix?: string;
}

/** Orders severities from most to least severe; used by `--fail-on`. */
export function severityRank(severity: IssueSeverity): number {
  return ISSUE_SEVERITIES.indexOf(severity);
}
