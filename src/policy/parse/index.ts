import type { PolicyIssue } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';

export interface ParseOptions {
  /** Where the policy is attached: decides the size quota and which elements are allowed. */
  readonly type?: PolicyType;
  /** For user/group/role inline identity policies, which quota applies (default: managed). */
  readonly attachedTo?: 'managed' | 'user-inline' | 'group-inline' | 'role-inline';
}

export interface ParseResult {
  /** Present whenever the text is JSON of roughly policy shape; statements that could not be read are left out. */
  readonly policy?: Policy;
  readonly issues: readonly PolicyIssue[];
  /** No ERROR issue. AWS would refuse to store a policy that is not ok. */
  readonly ok: boolean;
}

/**
 * Parses a policy from a JSON object, JSON text, or RFC 3986 URL-encoded JSON text (as the raw IAM
 * API returns it: decoded exactly once, `+` stays `+`). Never throws on bad input.
 */
export function parsePolicy(_input: unknown, _options?: ParseOptions): ParseResult {
  throw new Error('not implemented yet (parse helper)');
}
