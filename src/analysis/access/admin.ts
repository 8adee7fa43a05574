/**
 * Administrators: principals that can do everything (every action on `*` after boundary and SCPs,
 * apart from what a guardrail denies outright), or can make themselves able to (an IAM write on
 * `*` that changes their own permissions). The general escalation graph lives in
 * analysis/escalation; this is the direct case.
 */
import { getCatalog } from '../../catalog/index.js';
import { iamPermissionsManagement, SELF_ESCALATION_ACTIONS } from './categories.js';
import type { EffectiveAccess } from './effective-access.js';
import type { AccessSubject } from './layers.js';

export interface AdminStatus {
  /** `full`: every action on `*`; `iam-write`: can change its own permissions (so, any of them). */
  readonly kind: 'full' | 'iam-write';
  /** The grant only holds under a condition (e.g. MFA, source IP). */
  readonly conditional: boolean;
  /** For `iam-write`: the self-escalation actions allowed on `*`. */
  readonly actions: readonly string[];
  /** Actions a layer denies on `*` outright (guardrail carve-outs). */
  readonly carvedOut: number;
}

function coversEverything(
  allowed: EffectiveAccess['onAll'],
  denied: EffectiveAccess['deniedOnAll'],
): boolean {
  return (
    allowed.union(denied).equals(getCatalog().fullSet()) && iamPermissionsManagement().isSubsetOf(allowed)
  );
}

export function adminStatus(subject: AccessSubject, access: EffectiveAccess): AdminStatus | undefined {
  const carvedOut = access.deniedOnAll.count();
  if (coversEverything(access.onAll, access.deniedOnAll))
    return { kind: 'full', conditional: false, actions: [], carvedOut };
  if (coversEverything(access.possible, access.deniedOnAll) && access.scoped.isEmpty())
    return { kind: 'full', conditional: true, actions: [], carvedOut };
  const catalog = getCatalog();
  const kind = subject.kind === 'root' ? 'user' : subject.kind;
  const actions = SELF_ESCALATION_ACTIONS[kind].filter((name) => {
    const info = catalog.lookupAction(name);
    return info !== undefined && access.onAll.has(info.index);
  });
  if (actions.length > 0) return { kind: 'iam-write', conditional: false, actions, carvedOut };
  return undefined;
}
