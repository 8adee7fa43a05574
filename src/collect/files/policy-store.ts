import type { PolicyKind, StoredPolicy } from '../../model/account.js';
import { NO_POSITION, type PolicyIssue } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';
import { type ParseOptions, type ParseResult, parsePolicy } from '../../policy/parse/index.js';

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

/** Trust documents longer than this as JSON are parsed without being remembered. */
const MAX_SHARED_TRUST_CHARS = 16 * 1024;

/**
 * Parses policy documents once. AWS managed policies are the same document in every account, so
 * they are parsed once per ARN and version for the whole load. Role trust policies repeat too (most
 * roles trust one of a few services or accounts: 15,000 roles of the large synthetic organization
 * have 3,792 distinct ones), so each distinct trust document is parsed once and its `Policy` shared;
 * the engine and the trust summaries, cached per `Policy`, then work once per distinct document.
 * Other documents are mostly distinct, and keying them by their JSON costs more than it saves.
 */
export class PolicyStore {
  private readonly shared = new Map<string, StoredPolicy>();
  /** By attachment (the quota depends on it), then by the document's text or JSON (see documentKey). */
  private readonly trust = new Map<string, Map<string, ParseResult>>();
  errorCount = 0;

  parse(document: unknown, input: PolicyInput): StoredPolicy {
    const result = input.type === 'trust' ? this.parseTrust(document, input) : parseWith(document, input);
    // Counted per copy: the load summary counts policies, not distinct texts.
    if (!result.ok) this.errorCount++;
    const issues: readonly PolicyIssue[] = result.issues;
    // Two literals rather than a spread of the optional arn: one object per policy, no copy.
    const policy = result.policy ?? UNREADABLE;
    const readable = result.policy !== undefined;
    return input.arn !== undefined
      ? {
          name: input.name,
          kind: input.kind,
          type: input.type,
          source: input.source,
          arn: input.arn,
          policy,
          issues,
          ok: result.ok,
          readable,
        }
      : {
          name: input.name,
          kind: input.kind,
          type: input.type,
          source: input.source,
          policy,
          issues,
          ok: result.ok,
          readable,
        };
  }

  private parseTrust(document: unknown, input: PolicyInput): ParseResult {
    const key = documentKey(document);
    if (key === undefined || key.length > MAX_SHARED_TRUST_CHARS) return parseWith(document, input);
    // The parse depends on nothing but the document, its type and quota (the same for every role).
    // Maps within maps rather than one joined key: a joined key is a copy of the text to hash.
    const kind = `${typeof document === 'string' ? 't' : 'j'}${input.attachedTo ?? ''}`;
    let byText = this.trust.get(kind);
    if (byText === undefined) {
      byText = new Map();
      this.trust.set(kind, byText);
    }
    let result = byText.get(key);
    if (result === undefined) {
      result = parseWith(document, input);
      byText.set(key, result);
    }
    return result;
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

function parseWith(document: unknown, input: PolicyInput): ParseResult {
  return parsePolicy(document, {
    type: input.type,
    ...(input.attachedTo ? { attachedTo: input.attachedTo } : {}),
  });
}

/**
 * The document as a map key (texts and objects are kept apart by the caller): text as it is
 * (URL-encoded or JSON text), a value from `JSON.parse` as its JSON, which names the same tree
 * (same members in the same order) exactly when equal.
 */
function documentKey(document: unknown): string | undefined {
  if (typeof document === 'string') return document;
  if (typeof document !== 'object' || document === null) return undefined;
  try {
    return JSON.stringify(document);
  } catch {
    return undefined;
  }
}
