import type { PolicyIssue } from '../../model/issue.js';
import { NO_POSITION } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';
import { decodePolicyText } from './decode.js';
import { jsonValueFromObject } from './from-object.js';
import { plainPolicy } from './from-plain.js';
import { describeError, makeIssue } from './issues.js';
import type { JsonValue } from './json-value.js';
import { DEFAULT_MAX_DEPTH, parseJsonWithPositions } from './json-with-positions.js';
import { normalisePolicy } from './normalise.js';
import { type AttachedTo, sizeQuotaFor } from './size.js';
import { rulesFor } from './type-rules.js';

export { PARSE_ISSUE_CODES, type ParseIssueCode } from './issues.js';

export interface ParseOptions {
  /**
   * Where the policy is attached: decides the size quota and which elements are allowed. When
   * absent only the rules common to every policy are checked (no Principal/Resource requirements).
   */
  readonly type?: PolicyType;
  /**
   * For user/group/role inline identity policies, which quota applies (default: managed).
   * `aws-managed` is an AWS managed policy, which AWS does not hold to the customer quotas.
   */
  readonly attachedTo?: AttachedTo;
}

export interface ParseResult {
  /** Present whenever the text is JSON of roughly policy shape; statements that could not be read are left out. */
  readonly policy?: Policy;
  readonly issues: readonly PolicyIssue[];
  /** No ERROR issue. AWS would refuse to store a policy that is not ok. */
  readonly ok: boolean;
}

/** Policy text beyond this is refused unread: the largest AWS policy quota is a few tens of KB. */
export const MAX_POLICY_TEXT_CHARS = 1024 * 1024;
/** Nesting beyond this is refused: a policy needs 6 levels (root, Statement, statement, Condition, operator, values). */
export const MAX_POLICY_DEPTH = DEFAULT_MAX_DEPTH;

/**
 * Parses a policy from a JSON object, JSON text, or RFC 3986 URL-encoded JSON text (as the raw IAM
 * API returns it: decoded exactly once, `+` stays `+`). Never throws on bad input.
 */
export function parsePolicy(input: unknown, options?: ParseOptions): ParseResult {
  const issues: PolicyIssue[] = [];
  let policy: Policy | undefined;
  try {
    policy = parseInto(input, options ?? {}, issues);
  } catch (error) {
    // A bug, not bad input; reported rather than thrown because callers parse untrusted text in bulk.
    issues.push(
      makeIssue(
        'internal-error',
        'ERROR',
        '',
        NO_POSITION,
        `The policy parser failed: ${describeError(error)}`,
      ),
    );
    policy = undefined;
  }
  const ok = !issues.some((issue) => issue.severity === 'ERROR');
  return policy === undefined ? { issues, ok } : { policy, issues, ok };
}

function parseInto(input: unknown, options: ParseOptions, issues: PolicyIssue[]): Policy | undefined {
  let root: JsonValue;
  let size: number;
  let totalChars: number;
  let hasDuplicates = false;
  const rules = rulesFor(options.type);

  if (typeof input === 'string') {
    if (input.length > MAX_POLICY_TEXT_CHARS) {
      issues.push(tooLarge(input.length));
      return undefined;
    }
    const decoded = decodePolicyText(input);
    if (!decoded.ok) {
      issues.push(
        makeIssue('invalid-url-encoding', 'ERROR', '', { line: 1, column: 1, offset: 0 }, decoded.message),
      );
      return undefined;
    }
    const parsed = parseJsonWithPositions(decoded.text, { maxDepth: MAX_POLICY_DEPTH });
    if (parsed.value === undefined) {
      const problem = parsed.problem;
      if (problem !== undefined) {
        issues.push(makeIssue(problem.code, 'ERROR', '', problem.pos, problem.message));
      }
      return undefined;
    }
    root = parsed.value;
    hasDuplicates = parsed.hasDuplicates;
    totalChars = decoded.text.length;
    size = totalChars - parsed.whitespace;
  } else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    // Documents inside a loaded export are objects, nearly all of them clean: read those directly.
    const plain = plainPolicy(input, rules, MAX_POLICY_TEXT_CHARS);
    if (plain !== undefined) return checkQuota(plain.policy, plain.size, plain.size, options, issues);
    const converted = jsonValueFromObject(input, {
      maxDepth: MAX_POLICY_DEPTH,
      maxNodes: MAX_POLICY_TEXT_CHARS,
      maxChars: MAX_POLICY_TEXT_CHARS,
    });
    if (!converted.ok) {
      issues.push(makeIssue(converted.code, 'ERROR', '', NO_POSITION, converted.message));
      return undefined;
    }
    root = converted.value;
    size = converted.compactSize;
    totalChars = converted.compactSize;
  } else {
    issues.push(
      makeIssue(
        'not-an-object',
        'ERROR',
        '',
        NO_POSITION,
        `A policy must be JSON text or an object, not ${input === null ? 'null' : Array.isArray(input) ? 'an array' : `a ${typeof input}`}`,
      ),
    );
    return undefined;
  }

  const policy = normalisePolicy({ root, rules, hasDuplicates, size }, issues);
  if (policy === undefined) return undefined;
  return checkQuota(policy, size, totalChars, options, issues);
}

function checkQuota(
  policy: Policy,
  size: number,
  totalChars: number,
  options: ParseOptions,
  issues: PolicyIssue[],
): Policy {
  const quota = sizeQuotaFor(options.type, options.attachedTo);
  if (quota !== undefined) {
    const counted = quota.countsWhitespace ? totalChars : size;
    if (counted > quota.limit) {
      issues.push(
        makeIssue(
          'policy-too-large',
          'ERROR',
          '',
          policy.pos,
          `The policy has ${counted} characters${quota.countsWhitespace ? '' : ' (not counting whitespace)'}; AWS allows at most ${quota.limit} for ${quota.description}`,
          quota.countsWhitespace
            ? 'Remove whitespace outside strings, or split the policy'
            : 'Split the policy or use wildcards to shorten it',
        ),
      );
    }
  }
  return policy;
}

function tooLarge(length: number) {
  return makeIssue(
    'too-large',
    'ERROR',
    '',
    NO_POSITION,
    `The policy text has ${length} characters; more than ${MAX_POLICY_TEXT_CHARS} is refused without parsing`,
  );
}
