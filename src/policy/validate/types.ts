import type { Catalog } from '../../catalog/index.js';
import type { IssueSeverity, PolicyIssue } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';
import type { StatementFacts } from './support/statement-facts.js';

/** What a rule may look at besides the policy: the catalogue and per-statement facts computed once. */
export interface RuleContext {
  /** Undefined when the caller did not say where the policy is attached: only type-independent rules run. */
  readonly type?: PolicyType;
  readonly catalog: Catalog;
  facts(statementIndex: number): StatementFacts;
}

/**
 * One lint rule, as data plus a pure check. The metadata is what SARIF and docs read without running
 * the check; `code` is stable and equals the rule's file name.
 */
export interface LintRule {
  readonly code: string;
  readonly severity: IssueSeverity;
  readonly title: string;
  /** Why this matters, in a few sentences. */
  readonly description: string;
  /** Default one-line fix; an issue may carry a more specific one. */
  readonly fix: string;
  /** The AWS documentation page that backs the rule. */
  readonly docs: string;
  /** The IAM Access Analyzer ValidatePolicy issue code this rule corresponds to, when there is one. */
  readonly accessAnalyzerCode?: string;
  /** Further Access Analyzer codes covered by the same rule (e.g. NotAction/NotResource variants). */
  readonly relatedAccessAnalyzerCodes?: readonly string[];
  /** Policy types the rule applies to; absent means every type (and policies of unknown type). */
  readonly appliesTo?: readonly PolicyType[];
  check(policy: Policy, context: RuleContext): readonly PolicyIssue[];
}
