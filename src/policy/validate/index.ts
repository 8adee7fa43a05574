import { getCatalog } from '../../catalog/index.js';
import type { PolicyIssue } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';
import { type ParseOptions, parsePolicy } from '../parse/index.js';
import { RULES } from './rules/index.js';
import { computeStatementFacts, type StatementFacts } from './support/statement-facts.js';
import type { LintRule, RuleContext } from './types.js';

export { RULES } from './rules/index.js';
export type { LintRule, RuleContext } from './types.js';

export interface ValidateOptions {
  /** Where the policy is attached. Without it only the rules that hold for every policy type run. */
  readonly type?: PolicyType;
  readonly attachedTo?: ParseOptions['attachedTo'];
}

export interface ValidationResult {
  readonly policy?: Policy;
  /** Parser issues first, then lint issues in rule order. */
  readonly issues: readonly PolicyIssue[];
}

/** Rule metadata without the check: what SARIF `rules`, docs and `--list-rules` need. */
export interface LintRuleInfo {
  readonly code: string;
  readonly severity: LintRule['severity'];
  readonly title: string;
  readonly description: string;
  readonly fix: string;
  readonly docs: string;
  readonly accessAnalyzerCode?: string;
  readonly relatedAccessAnalyzerCodes?: readonly string[];
  readonly appliesTo?: readonly PolicyType[];
}

export const lintRules: readonly LintRuleInfo[] = RULES.map(({ check: _check, ...info }) => info);

function ruleApplies(rule: LintRule, type: PolicyType | undefined): boolean {
  if (!rule.appliesTo) return true;
  return type !== undefined && rule.appliesTo.includes(type);
}

function makeContext(policy: Policy, type: PolicyType | undefined): RuleContext {
  const catalog = getCatalog();
  const facts = new Map<number, StatementFacts>();
  return {
    ...(type === undefined ? {} : { type }),
    catalog,
    facts(statementIndex) {
      let f = facts.get(statementIndex);
      if (!f) {
        const statement = policy.statements.find((s) => s.index === statementIndex);
        if (!statement) throw new Error(`no statement with index ${statementIndex}`);
        f = computeStatementFacts(catalog, statement);
        facts.set(statementIndex, f);
      }
      return f;
    },
  };
}

/** Runs the lint rules over an already-parsed policy (no parser issues). */
export function lintPolicy(policy: Policy, options: Pick<ValidateOptions, 'type'> = {}): PolicyIssue[] {
  const context = makeContext(policy, options.type);
  const issues: PolicyIssue[] = [];
  for (const rule of RULES) {
    if (ruleApplies(rule, options.type)) issues.push(...rule.check(policy, context));
  }
  return issues;
}

/**
 * An offline counterpart of IAM Access Analyzer's ValidatePolicy: parses the policy (JSON text,
 * URL-encoded text or an object) and lints what could be read. Never throws on bad input.
 */
export function validatePolicy(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const parseOptions: ParseOptions = {
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(options.attachedTo === undefined ? {} : { attachedTo: options.attachedTo }),
  };
  const parsed = parsePolicy(input, parseOptions);
  if (!parsed.policy) return { issues: parsed.issues };
  return { policy: parsed.policy, issues: [...parsed.issues, ...lintPolicy(parsed.policy, options)] };
}
