import type { PolicyKind, StoredPolicy } from '../../model/account.js';
import { NO_POSITION, type PolicyIssue } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';
import { type ParseOptions, parsePolicy } from '../../policy/parse/index.js';

export interface PolicyInput {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly type: PolicyType;
  readonly source: string;
  readonly arn?: string;
  readonly attachedTo?: ParseOptions['attachedTo'];
}

/** Stands in for a document that could not be read: no statements, so nothing is ever allowed by it. */
const UNREADABLE: Policy = Object.freeze({
  statements: Object.freeze([]),
  variablesEnabled: false,
  size: 0,
  pos: NO_POSITION,
}) as Policy;

/**
 * Parses policy documents once. AWS managed policies are the same document in every account, so
 * they are parsed once per ARN and version for the whole load.
 */
export class PolicyStore {
  private readonly shared = new Map<string, StoredPolicy>();
  errorCount = 0;

  parse(document: unknown, input: PolicyInput): StoredPolicy {
    const result = parsePolicy(document, {
      type: input.type,
      ...(input.attachedTo ? { attachedTo: input.attachedTo } : {}),
    });
    if (!result.ok) this.errorCount++;
    const issues: readonly PolicyIssue[] = result.issues;
    return {
      name: input.name,
      kind: input.kind,
      type: input.type,
      source: input.source,
      ...(input.arn !== undefined ? { arn: input.arn } : {}),
      policy: result.policy ?? UNREADABLE,
      issues,
      ok: result.ok,
      readable: result.policy !== undefined,
    };
  }

  /** An AWS managed policy version: parsed the first time, shared after. */
  parseShared(key: string, document: unknown, input: PolicyInput): StoredPolicy {
    const hit = this.shared.get(key);
    if (hit) return hit;
    const stored = this.parse(document, input);
    this.shared.set(key, stored);
    return stored;
  }
}
