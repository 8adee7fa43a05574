import { policiesForPrincipal } from '../../analysis/policy-set.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { Identity, OrgSnapshot, StoredPolicy } from '../../model/account.js';
import type { Statement } from '../../model/policy.js';

/**
 * The actions a principal's identity-side policies can allow on some resource, as a catalogue
 * bitset: the union of Allow statements (conditions and resource scoping over-approximated: an
 * action counts as granted if some request could be allowed), minus unconditional Deny statements on
 * every resource, intersected with the permissions boundary and each SCP level. This is the
 * evaluation logic reduced to action level.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export interface GrantedActions {
  readonly set: ActionSet;
  /** Why the answer may be incomplete (missing or unreadable policies, unknown guardrails). */
  readonly incomplete: readonly string[];
}

function statementActions(s: Statement): ActionSet {
  const catalog = getCatalog();
  const patterns = s.action ?? s.notAction;
  if (!patterns) return catalog.emptySet();
  let bits = catalog.emptySet();
  for (const p of patterns) bits = bits.union(catalog.expandActionPattern(p).set);
  return s.action ? bits : bits.complement();
}

function allows(policies: readonly StoredPolicy[]): ActionSet {
  let set = getCatalog().emptySet();
  for (const p of policies)
    for (const s of p.policy.statements) if (s.effect === 'Allow') set = set.union(statementActions(s));
  return set;
}

/** Deny statements that deny the action everywhere: no condition, `Resource: "*"`. */
function unconditionalDenies(policies: readonly StoredPolicy[]): ActionSet {
  let set = getCatalog().emptySet();
  for (const p of policies)
    for (const s of p.policy.statements)
      if (s.effect === 'Deny' && s.conditions.length === 0 && s.resource?.includes('*'))
        set = set.union(statementActions(s));
  return set;
}

export function grantedActions(snapshot: OrgSnapshot, principal: Identity): GrantedActions {
  const catalog = getCatalog();
  const incomplete: string[] = [];
  if (principal.kind === 'root')
    return { set: catalog.fullSet(), incomplete: ['the root user is not governed by IAM policies'] };
  const { set, missing, guardrailsUnknown } = policiesForPrincipal(snapshot, principal);
  for (const m of missing) incomplete.push(`policy ${m} is not in the snapshot`);
  if (guardrailsUnknown) incomplete.push('the account’s SCPs are unknown');
  const identity = set.identity ?? [];
  const all = [...identity, ...(set.boundary ?? []), ...(set.scp ?? []).flat()];
  for (const p of all)
    if (!p.ok) incomplete.push(`policy ${p.name} has errors; its statements may be missing`);
  let granted = allows(identity);
  if (set.boundary) granted = granted.intersect(allows(set.boundary));
  const account = snapshot.accounts.get(principal.accountId);
  // SCPs do not restrict the management account.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
  if (set.scp && !account?.isManagementAccount)
    for (const level of set.scp) granted = granted.intersect(allows(level));
  granted = granted.difference(unconditionalDenies(all));
  return { set: granted, incomplete };
}
