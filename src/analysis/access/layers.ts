/**
 * The policy layers that decide what a principal (user, role or group) can do, as the engine sees
 * them: identity policies (a user's include its groups'), the permissions boundary, and the SCP and
 * RCP levels when they apply. SCPs and RCPs do not restrict the management account or
 * service-linked roles, so the layers leave them out there, exactly as `evaluate` does.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
import type { Account, GroupPrincipal, Identity, OrgSnapshot, StoredPolicy } from '../../model/account.js';
import type { EvaluationOptions } from '../../policy/evaluate/index.js';
import { policiesForPrincipal } from '../policy-set.js';

export type AccessSubject = Identity | GroupPrincipal;

export interface AccessLayers {
  readonly identity: readonly StoredPolicy[];
  readonly boundary?: readonly StoredPolicy[];
  /** Root first; absent when SCPs do not apply (management account, service-linked role, SCPs off). */
  readonly scp?: readonly (readonly StoredPolicy[])[];
  readonly rcp?: readonly (readonly StoredPolicy[])[];
  /** Attached policies whose document the snapshot lacks. */
  readonly missing: readonly string[];
  /** Some policy could not be read completely (ERROR issues): the engine answers Unknown there. */
  readonly unreadable: readonly string[];
  /** The account's SCPs could not be read: guardrails may restrict more than we know. */
  readonly guardrailsUnknown: boolean;
}

export function isServiceLinkedRole(subject: AccessSubject): boolean {
  return subject.kind === 'role' && subject.path?.startsWith('/aws-service-role/') === true;
}

export function isManagementAccount(snapshot: OrgSnapshot, account: Account | undefined): boolean {
  if (!account) return false;
  return account.isManagementAccount || snapshot.organization?.managementAccountId === account.id;
}

/** The engine options every analysis passes (`managementAccount`), so SCPs are skipped where AWS skips them. */
export function evaluationOptions(snapshot: OrgSnapshot): EvaluationOptions {
  const management = snapshot.organization?.managementAccountId;
  return management ? { managementAccount: management } : {};
}

function resolveAttached(
  account: Account,
  arns: readonly { readonly arn: string }[],
  missing: string[],
): StoredPolicy[] {
  const out: StoredPolicy[] = [];
  for (const a of arns) {
    const doc = account.managedPolicies.get(a.arn)?.document;
    if (doc) out.push(doc);
    else missing.push(a.arn);
  }
  return out;
}

export function accessLayers(snapshot: OrgSnapshot, subject: AccessSubject): AccessLayers {
  const account = snapshot.accounts.get(subject.accountId);
  let identity: readonly StoredPolicy[];
  let boundary: readonly StoredPolicy[] | undefined;
  let missing: readonly string[];
  let guardrailsUnknown: boolean;
  if (subject.kind === 'group') {
    const m: string[] = [];
    identity = account
      ? [...subject.inlinePolicies, ...resolveAttached(account, subject.attachedPolicies, m)]
      : [];
    missing = account ? m : [`account ${subject.accountId}`];
    guardrailsUnknown = account?.scpState !== 'known' && account?.scpState !== 'disabled';
  } else {
    const p = policiesForPrincipal(snapshot, subject);
    identity = p.set.identity ?? [];
    boundary = p.set.boundary;
    missing = p.missing;
    guardrailsUnknown = p.guardrailsUnknown;
  }
  const exempt = isManagementAccount(snapshot, account) || isServiceLinkedRole(subject);
  const scp =
    !exempt && account?.scpState === 'known' && account.scpLevels.length > 0 ? account.scpLevels : undefined;
  const rcp =
    !exempt && account?.rcpState === 'known' && account.rcpLevels.length > 0 ? account.rcpLevels : undefined;
  const unreadable: string[] = [];
  const note = (list: readonly StoredPolicy[]): void => {
    for (const p of list) if (!p.ok || !p.readable) unreadable.push(p.arn ?? p.name);
  };
  note(identity);
  if (boundary) note(boundary);
  for (const level of scp ?? []) note(level);
  for (const level of rcp ?? []) note(level);
  // Built field by field, absent layers left out (not undefined), keys in the documented order.
  const layers: {
    identity: readonly StoredPolicy[];
    boundary?: readonly StoredPolicy[];
    scp?: readonly (readonly StoredPolicy[])[];
    rcp?: readonly (readonly StoredPolicy[])[];
    missing?: readonly string[];
    unreadable?: readonly string[];
    guardrailsUnknown?: boolean;
  } = { identity };
  if (boundary) layers.boundary = boundary;
  if (scp) layers.scp = scp;
  if (rcp) layers.rcp = rcp;
  layers.missing = missing;
  layers.unreadable = unreadable;
  layers.guardrailsUnknown = exempt ? false : guardrailsUnknown;
  return layers as AccessLayers;
}
