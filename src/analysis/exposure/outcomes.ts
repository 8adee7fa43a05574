import type { Evidence, PolicyEvidence } from '../../model/finding.js';
import type { ExternalGrant } from './analyze-policy.js';
import type { ExposedTarget } from './snapshot.js';

/** How a grant's principal reads in a one-line message. */
export function describePrincipal(g: ExternalGrant): string {
  switch (g.principalClass) {
    case 'anyone':
      return 'anyone (including unauthenticated callers)';
    case 'any-account':
      return 'any AWS account';
    case 'service':
      return g.account
        ? `${g.principal} acting for account ${g.account}`
        : `${g.principal} acting for any account's resource`;
    case 'federated':
      return `identities of ${g.principal}`;
    default:
      return g.principal === g.account
        ? `account ${g.principal}`
        : `${g.principal} (account ${g.account ?? '?'})`;
  }
}

function summariseActions(actions: readonly string[]): string {
  if (actions.length <= 4) return actions.join(', ');
  return `${actions.slice(0, 3).join(', ')} and ${actions.length - 3} more`;
}

export function grantMessage(target: ExposedTarget, grants: readonly ExternalGrant[]): string {
  const who = grants.map(describePrincipal).join('; ');
  const actions = [...new Set(grants.flatMap((g) => g.actions))].sort();
  const narrowed = grants.flatMap((g) => g.narrowedBy.map((n) => `${n.key} ${n.values.join(', ')}`));
  const where =
    target.kind === 'trust'
      ? `can assume ${target.arn}`
      : `can ${summariseActions(actions)} on ${target.arn}`;
  return `${who} ${where}${narrowed.length > 0 ? ` (only with ${[...new Set(narrowed)].join('; ')})` : ''}`;
}

/** Evidence for a finding: the deciding statements, the external principals, the actions, the conditions. */
export function grantEvidence(target: ExposedTarget, grants: readonly ExternalGrant[]): Evidence {
  const policies: PolicyEvidence[] = [];
  const seen = new Set<string>();
  for (const g of grants) {
    if (!g.evidence) continue;
    const key = `${g.evidence.policy}#${g.evidence.statement ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    policies.push(g.evidence);
  }
  if (policies.length === 0) {
    const policy = target.kind === 'trust' ? target.role?.trustPolicy : target.resource?.policy;
    if (policy) policies.push({ policy: policy.name, source: policy.source });
  }
  const facts: Record<string, string | number | boolean | null> = Object.create(null);
  facts.kind = target.kind;
  if (target.blockedBy) facts.blockedBy = target.blockedBy;
  const narrowing = grants.flatMap((g) => g.narrowedBy);
  for (const n of narrowing) facts[n.key] = n.values.join(', ');
  if (grants.some((g) => g.uncertain)) facts.undecidable = true;
  return {
    policies,
    externalPrincipals: [...new Set(grants.map((g) => g.principal))].sort(),
    actions: [...new Set(grants.flatMap((g) => g.actions))].sort(),
    facts,
  };
}
