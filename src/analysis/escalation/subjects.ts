/**
 * The graph's nodes as the engine sees them: for every user, role and group, the policy set that
 * governs it, compiled once, the request context the snapshot can fill in (tags, org id, unique
 * id), and cheap over-approximations used only to prune candidates (which escalation actions any
 * Allow statement names, and the resource prefixes those statements name).
 */
import { getCatalog } from '../../catalog/index.js';
import type {
  Account,
  GroupPrincipal,
  Identity,
  OrgSnapshot,
  PolicyAttachment,
  StoredPolicy,
} from '../../model/account.js';
import type { NamedPolicy } from '../../model/policy.js';
import {
  type CompiledPolicyData,
  compileNamedPolicy,
  statementsForAction,
} from '../../policy/evaluate/compile.js';
import { type CompiledPolicySet, compilePolicySet, type PolicySet } from '../../policy/evaluate/index.js';
import { groupsOf, policiesForPrincipal } from '../policy-set.js';

export type SubjectKind = 'user' | 'role' | 'group';

export interface Subject {
  /** The node's ARN (a group's ARN for a group). */
  readonly arn: string;
  /** The ARN requests are made as: for a group, a stand-in member holding only the group's policies. */
  readonly caller: string;
  readonly kind: SubjectKind;
  readonly name: string;
  readonly accountId: string;
  readonly account: Account;
  readonly identity?: Identity;
  readonly group?: GroupPrincipal;
  readonly set: PolicySet<StoredPolicy>;
  readonly compiled: CompiledPolicySet;
  /** Attachments whose document is missing: decisions may be incomplete. */
  readonly missing: readonly string[];
  readonly context: Readonly<Record<string, string>>;
  /** Customer-managed policies attached to the subject (directly or through its groups). */
  readonly customerPolicies: readonly string[];
  readonly groups: readonly GroupPrincipal[];
  /** The organization's management account, which SCPs do not restrict. */
  readonly managementAccount?: string;
}

/** Actions the techniques need, for the per-policy "could this allow it" flags. */
export const ESCALATION_ACTIONS: readonly string[] = [
  'iam:PassRole',
  'sts:AssumeRole',
  'iam:CreatePolicyVersion',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachUserPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachGroupPolicy',
  'iam:AddUserToGroup',
  'iam:CreateAccessKey',
  'iam:DeleteAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy',
];

export function managementAccountOf(snapshot: OrgSnapshot): string | undefined {
  return snapshot.organization?.managementAccountId;
}

function baseContext(
  snapshot: OrgSnapshot,
  accountId: string,
  tags: ReadonlyMap<string, string>,
  userId: string | undefined,
): Record<string, string> {
  const context: Record<string, string> = Object.create(null);
  for (const [k, v] of tags) context[`aws:PrincipalTag/${k}`] = v;
  const org = snapshot.organization;
  if (org?.id && (snapshot.accounts.get(accountId)?.orgPath.length ?? 0) > 0)
    context['aws:PrincipalOrgID'] = org.id;
  if (userId) context['aws:userid'] = userId;
  return context;
}

function customerPoliciesOf(account: Account, lists: readonly (readonly PolicyAttachment[])[]): string[] {
  const out = new Set<string>();
  for (const list of lists) {
    for (const a of list) {
      const m = account.managedPolicies.get(a.arn);
      if (m && !m.awsManaged) out.add(a.arn);
    }
  }
  return [...out];
}

export function identitySubject(snapshot: OrgSnapshot, account: Account, identity: Identity): Subject {
  const { set, missing } = policiesForPrincipal(snapshot, identity);
  const groups = identity.kind === 'user' ? groupsOf(account, identity) : [];
  const attached =
    identity.kind === 'root' ? [] : [identity.attachedPolicies, ...groups.map((g) => g.attachedPolicies)];
  const userId =
    identity.id === undefined
      ? undefined
      : identity.kind === 'role'
        ? `${identity.id}:leastpriv`
        : identity.id;
  return {
    arn: identity.arn,
    caller: identity.arn,
    kind: identity.kind === 'role' ? 'role' : 'user',
    name: identity.name,
    accountId: identity.accountId,
    account,
    identity,
    set,
    compiled: compilePolicySet(set, options(snapshot)),
    missing,
    context: baseContext(snapshot, identity.accountId, identity.tags, userId),
    customerPolicies: customerPoliciesOf(account, attached),
    groups,
    ...options(snapshot),
  };
}

/** A group as a node: a stand-in member that holds only the group's policies. */
export function groupSubject(snapshot: OrgSnapshot, account: Account, group: GroupPrincipal): Subject {
  const missing: string[] = [];
  const identityPolicies: StoredPolicy[] = [...group.inlinePolicies];
  for (const a of group.attachedPolicies) {
    const doc = account.managedPolicies.get(a.arn)?.document;
    if (doc) identityPolicies.push(doc);
    else missing.push(a.arn);
  }
  const set: PolicySet<StoredPolicy> = {
    identity: identityPolicies,
    ...(account.scpState === 'known' && account.scpLevels.length > 0 ? { scp: account.scpLevels } : {}),
    ...(account.rcpState === 'known' && account.rcpLevels.length > 0 ? { rcp: account.rcpLevels } : {}),
  };
  const caller = `arn:${account.partition}:iam::${account.id}:user/member-of-${group.name}`;
  return {
    arn: group.arn,
    caller,
    kind: 'group',
    name: group.name,
    accountId: group.accountId,
    account,
    group,
    set,
    compiled: compilePolicySet(set, options(snapshot)),
    missing,
    context: baseContext(snapshot, group.accountId, new Map(), undefined),
    customerPolicies: customerPoliciesOf(account, [group.attachedPolicies]),
    groups: [group],
    ...options(snapshot),
  };
}

export function options(snapshot: OrgSnapshot): { managementAccount?: string } {
  const m = managementAccountOf(snapshot);
  return m === undefined ? {} : { managementAccount: m };
}

/** The subject's policy set with extra identity policies (a policy the technique would add). */
export function withIdentity(
  subject: Subject,
  extra: readonly NamedPolicy[],
  snapshot: OrgSnapshot,
): CompiledPolicySet {
  return compilePolicySet(
    { ...subject.set, identity: [...(subject.set.identity ?? []), ...extra] },
    options(snapshot),
  );
}

// ---- pruning: which escalation actions could an Allow name, and on which resource prefixes ----

interface PolicyFacts {
  /** Bit i: some Allow statement could allow ESCALATION_ACTIONS[i] (conditions and resources ignored). */
  readonly mask: number;
}

const factsCache = new WeakMap<CompiledPolicyData, PolicyFacts>();
let actionIndices: readonly number[] | undefined;

function escalationIndices(): readonly number[] {
  if (!actionIndices) {
    const catalog = getCatalog();
    actionIndices = ESCALATION_ACTIONS.map((a) => catalog.lookupAction(a)?.index ?? -1);
  }
  return actionIndices;
}

function statementAllows(s: CompiledPolicyData['statements'][number], index: number): boolean {
  if (s.deny || !s.hasAction || index < 0) return false;
  return s.notAction ? !s.actionBits.has(index) : s.actionBits.has(index);
}

function factsOf(policy: StoredPolicy): PolicyFacts {
  const compiled = compileNamedPolicy(policy);
  let facts = factsCache.get(compiled);
  if (!facts) {
    const indices = escalationIndices();
    let mask = 0;
    for (const s of compiled.statements) {
      for (let i = 0; i < indices.length; i++) if (statementAllows(s, indices[i]!)) mask |= 1 << i;
    }
    // A policy with errors may hide any statement: assume it could allow everything.
    if (compiled.incomplete) mask = (1 << indices.length) - 1;
    facts = { mask };
    factsCache.set(compiled, facts);
  }
  return facts;
}

function anyAllows(policies: readonly StoredPolicy[]): number {
  let mask = 0;
  for (const p of policies) mask |= factsOf(p).mask;
  return mask;
}

const masks = new WeakMap<Subject, number>();

/**
 * Bit i set: ESCALATION_ACTIONS[i] could be allowed: an identity policy has an Allow that could
 * name it, and so do the permissions boundary (when there is one) and every SCP level (unless the
 * account is the management account). Missing documents count as "could".
 */
export function escalationMask(subject: Subject): number {
  let mask = masks.get(subject);
  if (mask === undefined) {
    mask = (1 << ESCALATION_ACTIONS.length) - 1;
    if (subject.missing.length === 0) {
      const { identity, boundary, scp } = subject.set;
      mask &= anyAllows(identity ?? []);
      // A boundary and the SCPs only ever take away: an action none of them can allow never is.
      if (boundary && boundary.length > 0 && subject.kind !== 'group') mask &= anyAllows(boundary);
      if (scp && subject.accountId !== subject.managementAccount)
        for (const level of scp) mask &= anyAllows(level);
    }
    masks.set(subject, mask);
  }
  return mask;
}

function policyCouldAllow(policy: StoredPolicy, index: number): boolean {
  const compiled = compileNamedPolicy(policy);
  if (compiled.incomplete) return true;
  for (const st of statementsForAction(compiled, index).all) if (!st.deny) return true;
  return false;
}

const anyCouldAllow = (policies: readonly StoredPolicy[], index: number): boolean =>
  policies.some((p) => policyCouldAllow(p, index));

const couldCache = new WeakMap<Subject, Map<string, boolean>>();

/**
 * Could the subject's own policies ever allow `action` (conditions and resources aside)? An
 * identity policy, the boundary (when there is one) and every SCP level (outside the management
 * account) must each have an Allow statement that names it. The subject's set holds no resource
 * policy, so nothing else can grant it there. Missing documents count as "could".
 */
export function couldAllow(subject: Subject, action: string): boolean {
  let known = couldCache.get(subject);
  if (!known) {
    known = new Map();
    couldCache.set(subject, known);
  }
  let could = known.get(action);
  if (could === undefined) {
    const index = getCatalog().lookupAction(action)?.index ?? -1;
    const { identity, boundary, scp } = subject.set;
    could =
      subject.missing.length > 0 ||
      index < 0 ||
      (anyCouldAllow(identity ?? [], index) &&
        (!boundary || boundary.length === 0 || subject.kind === 'group' || anyCouldAllow(boundary, index)) &&
        (!scp ||
          subject.accountId === subject.managementAccount ||
          scp.every((level) => anyCouldAllow(level, index))));
    known.set(action, could);
  }
  return could;
}

export function maskHas(mask: number, action: string): boolean {
  const i = ESCALATION_ACTIONS.indexOf(action);
  return i >= 0 && (mask & (1 << i)) !== 0;
}

/**
 * Literal prefixes of the Resource values of the identity Allow statements that could allow
 * `action`, or `all` when one of them could match any ARN (`*`, a leading wildcard or variable,
 * NotResource, an unreadable policy). Used only to skip targets no statement can name.
 */
export function resourcePrefixes(subject: Subject, action: string): 'all' | readonly string[] {
  let known = prefixCache.get(subject);
  if (!known) {
    known = new Map();
    prefixCache.set(subject, known);
  }
  let prefixes = known.get(action);
  if (prefixes === undefined) {
    prefixes = computePrefixes(subject, action);
    known.set(action, prefixes);
  }
  return prefixes;
}

const prefixCache = new WeakMap<Subject, Map<string, 'all' | readonly string[]>>();

function computePrefixes(subject: Subject, action: string): 'all' | readonly string[] {
  if (subject.missing.length > 0) return 'all';
  const index = getCatalog().lookupAction(action)?.index ?? -1;
  const out: string[] = [];
  for (const p of subject.set.identity ?? []) {
    const compiled = compileNamedPolicy(p);
    if (compiled.incomplete) return 'all';
    const statements = p.policy.statements;
    for (let i = 0; i < compiled.statements.length; i++) {
      const s = compiled.statements[i]!;
      if (!statementAllows(s, index)) continue;
      const raw = statements[i];
      if (!raw || raw.notResource || !raw.resource) return 'all';
      for (const r of raw.resource) {
        const cut = firstSpecial(r);
        if (cut === 0) return 'all';
        out.push(cut < 0 ? r : r.slice(0, cut));
      }
    }
  }
  return out;
}

function firstSpecial(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '*' || c === '?') return i;
    if (c === '$' && value[i + 1] === '{') return i;
  }
  return -1;
}

export function matchesPrefixes(arn: string, prefixes: 'all' | readonly string[]): boolean {
  if (prefixes === 'all') return true;
  for (const p of prefixes) if (arn.startsWith(p)) return true;
  return false;
}

/** Resource values of the subject's Allow statements for `action`, wildcards filled in: probe ARNs. */
export function allowedResourceExamples(subject: Subject, action: string, limit: number): string[] {
  const index = getCatalog().lookupAction(action)?.index ?? -1;
  const out: string[] = [];
  for (const p of subject.set.identity ?? []) {
    const compiled = compileNamedPolicy(p);
    const statements = p.policy.statements;
    for (let i = 0; i < compiled.statements.length && out.length < limit; i++) {
      const s = compiled.statements[i]!;
      if (!statementAllows(s, index)) continue;
      for (const r of statements[i]?.resource ?? []) {
        if (r === '*' || r.includes('${') || out.length >= limit) continue;
        out.push(r.replaceAll('*', 'x').replaceAll('?', 'x'));
      }
    }
  }
  return out;
}
