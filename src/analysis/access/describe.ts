/**
 * Messages and evidence for access findings, shared by the checks so that every admin or
 * category finding cites the granting statements the same way.
 */
import { ActionSetBuilder } from '../../catalog/action-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { Evidence } from '../../model/finding.js';
import type { AdminStatus } from './admin.js';
import { iamPermissionsManagement } from './categories.js';
import { grantEvidence } from './evidence.js';
import type { AccessEntry } from './model.js';

/** One builder, not a union per name: findings list hundreds of actions each, for thousands of principals. */
function setOfNames(names: readonly string[]): ActionSet {
  const catalog = getCatalog();
  const builder = new ActionSetBuilder(catalog.actionCount);
  for (const n of names) {
    const info = n.includes('*') || n.includes('?') ? undefined : catalog.lookupAction(n);
    if (info) builder.add(info.index);
    else builder.addSet(catalog.expandActionPattern(n).set);
  }
  return builder.build();
}

export function adminMessage(entry: AccessEntry, admin: AdminStatus): string {
  const who = `${entry.subject.kind} ${entry.subject.name}`;
  if (admin.kind === 'iam-write')
    return `${who} can change its own permissions (${admin.actions.join(', ')} on *), so it can make itself an administrator`;
  const how = admin.conditional ? ' when its policy conditions hold' : '';
  const carved = admin.carvedOut > 0 ? ` (except ${admin.carvedOut} actions a guardrail denies)` : '';
  return `${who} has full administrator access: every action on every resource${how}${carved}`;
}

export function adminEvidence(entry: AccessEntry, admin: AdminStatus): Evidence {
  const witness = admin.kind === 'iam-write' ? setOfNames(admin.actions) : iamPermissionsManagement();
  return {
    policies: grantEvidence(entry.layers.identity, witness),
    ...(admin.kind === 'iam-write' ? { actions: admin.actions } : { actions: ['*'] }),
    facts: {
      adminKind: admin.kind,
      conditional: admin.conditional,
      guardrailDeniedActions: admin.carvedOut,
      guardrailsUnknown: entry.layers.guardrailsUnknown,
    },
  };
}

/** Evidence for a list of actions granted on `*`: the statements that grant them. */
export function actionsEvidence(entry: AccessEntry, actions: readonly string[]): Evidence {
  return {
    policies: grantEvidence(
      entry.layers.identity.filter((p) => p.kind !== 'aws-managed'),
      setOfNames(actions),
    ),
    actions,
  };
}

/** `a, b, c and 12 more`. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
