/**
 * Which statements grant an action: the evidence a finding or a `who-can` answer cites (policy,
 * statement position, Sid, line). Statement action sets come from the catalog's pattern cache, so
 * looking them up for one principal is cheap.
 */
import type { ActionSet } from '../../catalog/types.js';
import type { StoredPolicy } from '../../model/account.js';
import type { PolicyEvidence } from '../../model/finding.js';
import type { Statement } from '../../model/policy.js';
import {
  policyWords,
  statementActions,
  statementIntersects,
  statementNamesAction,
  statementOnAllResources,
} from './policy-actions.js';
import { type PackedWords, packedIntersectsDense, WordAccumulator } from './word-sets.js';

export type GrantKind = 'all' | 'scoped' | 'conditional';

export interface Grant {
  readonly policy: StoredPolicy;
  readonly statement: Statement;
  readonly kind: GrantKind;
}

export function grantKind(statement: Statement): GrantKind {
  if (statement.conditions.length > 0) return 'conditional';
  return statementOnAllResources(statement) ? 'all' : 'scoped';
}

/**
 * The Allow statements of `policies` that name an action of `actions` (any member), or the one
 * catalog action `actions` when it is a number (no set is built: the fast path for queries).
 */
export function grantsOf(policies: readonly StoredPolicy[], actions: ActionSet | number): Grant[] {
  const out: Grant[] = [];
  for (const policy of policies) {
    for (const statement of policy.policy.statements) {
      if (statement.effect !== 'Allow') continue;
      if (statement.resource === undefined && statement.notResource === undefined) continue;
      const names =
        typeof actions === 'number'
          ? statementNamesAction(statement, actions)
          : statementActions(statement).intersects(actions);
      if (!names) continue;
      out.push({ policy, statement, kind: grantKind(statement) });
    }
  }
  return out;
}

/**
 * `grantsOf` for a packed set: the same statements, each tested pattern by pattern against the
 * set's words, so the checks citing evidence for thousands of principals build no set per statement.
 */
export function grantsOfWords(policies: readonly StoredPolicy[], actions: PackedWords): Grant[] {
  hits ??= new WordAccumulator();
  hits.reset();
  hits.or(actions);
  const out: Grant[] = [];
  for (const policy of policies) {
    // `allowAny` is the union of exactly the statements tested below: none of them can match if it
    // does not.
    if (!packedIntersectsDense(policyWords(policy.policy).allowAny, hits.dense)) continue;
    for (const statement of policy.policy.statements) {
      if (statement.effect !== 'Allow') continue;
      if (statement.resource === undefined && statement.notResource === undefined) continue;
      if (!statementIntersects(statement, hits.dense)) continue;
      out.push({ policy, statement, kind: grantKind(statement) });
    }
  }
  hits.reset();
  return out;
}

let hits: WordAccumulator | undefined;

export function policyEvidence(policy: StoredPolicy, statement?: Statement): PolicyEvidence {
  return {
    policy: policy.name,
    ...(policy.arn !== undefined ? { arn: policy.arn } : {}),
    source: policy.source,
    ...(statement
      ? {
          statement: statement.index,
          ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
          ...(statement.pos.line > 0 ? { line: statement.pos.line, column: statement.pos.column } : {}),
        }
      : {}),
  };
}

/** Evidence for the unconditional grants on `*` of any of `actions` (falling back to any grant). */
export function grantEvidence(policies: readonly StoredPolicy[], actions: ActionSet): PolicyEvidence[] {
  const grants = grantsOf(policies, actions);
  const onAll = grants.filter((g) => g.kind === 'all');
  return (onAll.length > 0 ? onAll : grants).map((g) => policyEvidence(g.policy, g.statement));
}

/** `grantEvidence` for a packed set. */
export function grantEvidenceWords(
  policies: readonly StoredPolicy[],
  actions: PackedWords,
): PolicyEvidence[] {
  const grants = grantsOfWords(policies, actions);
  const onAll = grants.filter((g) => g.kind === 'all');
  return (onAll.length > 0 ? onAll : grants).map((g) => policyEvidence(g.policy, g.statement));
}

/** Condition clauses of a statement as one line: `Bool aws:MultiFactorAuthPresent [true]`. */
export function conditionText(statement: Statement): string {
  return statement.conditions.map((c) => `${c.operator} ${c.key} [${c.values.join(', ')}]`).join('; ');
}
