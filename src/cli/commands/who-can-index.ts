/**
 * `who-can` answered from a query index (src/query-index) instead of the loaded snapshot: the same
 * code (`whoCanAction`, the escalation searches) over a partial snapshot that holds only the users
 * and roles whose identity policies can name the action, and over the stored escalation graph.
 * Every principal left out could not have been a candidate (whoCanAction asks the identity
 * policies first), so the answer is the full snapshot's; `total` is the index's count.
 *
 * Questions where a resource policy could grant the action (a RESOURCE with a policy, or a role's
 * trust for sts:AssumeRole*) make every principal a candidate; those, and actions the catalog does
 * not know (whoCan checks every principal for them), return undefined: the caller loads the snapshot.
 */
import { resourceHasPolicy, type WhoCanResult } from '../../analysis/access/query.js';
import {
  type EscalationNode,
  type EscalationPath,
  reachingHoldersOver,
} from '../../analysis/escalation/index.js';
import { getCatalog } from '../../catalog/index.js';
import type { QueryIndex } from '../../query-index/read.js';
import { whoCanAction } from './who-can-query.js';

const ASSUME = /^sts:assumerole(withsaml|withwebidentity)?$/i;

export interface IndexedAnswer {
  /** The direct grants (whoCanAction over the partial snapshot, with the index's total). */
  direct(): WhoCanResult;
  /** Paths to holders over the stored graph. */
  escalation(holders: readonly string[]): {
    readonly paths: readonly EscalationPath[];
    readonly nodeOf: (arn: string) => EscalationNode | undefined;
  };
}

export function whoCanFromIndex(
  index: QueryIndex,
  action: string,
  resource: string | undefined,
): IndexedAnswer | undefined {
  if (!getCatalog().lookupAction(action)) return undefined;
  if (resource !== undefined && ASSUME.test(action)) {
    const role = index.principalIndex(resource);
    // The trust policy is a resource policy here: every principal would be a candidate.
    if (role !== undefined) {
      const identity = index.identity(role);
      if (identity.kind === 'role' && identity.trustPolicy) return undefined;
    }
  }
  const partial = index.partialSnapshot(index.mayName(action), action);
  if (resourceHasPolicy(partial, action, resource)) return undefined;
  return {
    direct: () => ({ ...whoCanAction(partial, action, resource), total: index.principalCount }),
    escalation(holders) {
      const { into, nodeOf } = index.storedGraph();
      return { paths: reachingHoldersOver(into, nodeOf, holders), nodeOf };
    },
  };
}
