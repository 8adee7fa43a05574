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
  type CompiledStatement,
  compileNamedPolicy,
} from '../../policy/evaluate/compile.js';
import { type CompiledPolicySet, compilePolicySet, type PolicySet } from '../../policy/evaluate/index.js';
import { groupsOf, policiesForPrincipal } from '../policy-set.js';
import { ADMIN_PROBES } from './admin.js';
import { TECHNIQUES } from './techniques.js';

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

/**
 * A user or role as a node. Most principals are ruled out by the could-allow bits alone, so what
 * only the engine's questions need (the compiled set, the request context, the customer policies
 * and groups) is made on first use.
 */
class IdentitySubject implements Subject {
  readonly arn: string;
  readonly caller: string;
  readonly kind: SubjectKind;
  readonly name: string;
  readonly accountId: string;
  readonly managementAccount?: string;
  #compiled: CompiledPolicySet | undefined;
  #context: Readonly<Record<string, string>> | undefined;
  #customerPolicies: readonly string[] | undefined;
  #groups: readonly GroupPrincipal[] | undefined;

  constructor(
    private readonly snapshot: OrgSnapshot,
    readonly account: Account,
    readonly identity: Identity,
    readonly set: PolicySet<StoredPolicy>,
    readonly missing: readonly string[],
  ) {
    this.arn = identity.arn;
    this.caller = identity.arn;
    this.kind = identity.kind === 'role' ? 'role' : 'user';
    this.name = identity.name;
    this.accountId = identity.accountId;
    const m = managementAccountOf(snapshot);
    if (m !== undefined) this.managementAccount = m;
  }

  get compiled(): CompiledPolicySet {
    this.#compiled ??= compilePolicySet(this.set, options(this.snapshot));
    return this.#compiled;
  }

  get context(): Readonly<Record<string, string>> {
    if (!this.#context) {
      const identity = this.identity;
      const userId =
        identity.id === undefined
          ? undefined
          : identity.kind === 'role'
            ? `${identity.id}:leastpriv`
            : identity.id;
      this.#context = baseContext(this.snapshot, identity.accountId, identity.tags, userId);
    }
    return this.#context;
  }

  get groups(): readonly GroupPrincipal[] {
    this.#groups ??= this.identity.kind === 'user' ? groupsOf(this.account, this.identity) : [];
    return this.#groups;
  }

  get customerPolicies(): readonly string[] {
    if (!this.#customerPolicies) {
      const identity = this.identity;
      const attached =
        identity.kind === 'root'
          ? []
          : [identity.attachedPolicies, ...this.groups.map((g) => g.attachedPolicies)];
      this.#customerPolicies = customerPoliciesOf(this.account, attached);
    }
    return this.#customerPolicies;
  }
}

export function identitySubject(snapshot: OrgSnapshot, account: Account, identity: Identity): Subject {
  const { set, missing } = policiesForPrincipal(snapshot, identity);
  return new IdentitySubject(snapshot, account, identity, set, missing);
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
  // Compiled on first use, like an identity's: most groups are ruled out by the could-allow bits.
  let compiled: CompiledPolicySet | undefined;
  return {
    arn: group.arn,
    caller,
    kind: 'group',
    name: group.name,
    accountId: group.accountId,
    account,
    group,
    set,
    get compiled(): CompiledPolicySet {
      compiled ??= compilePolicySet(set, options(snapshot));
      return compiled;
    },
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

function statementAllows(s: CompiledPolicyData['statements'][number], index: number): boolean {
  if (s.deny || !s.hasAction || index < 0) return false;
  return s.notAction ? !s.actionBits.has(index) : s.actionBits.has(index);
}

/**
 * Every action a technique needs and every admin probe, each with a bit in the per-policy "could
 * allow" words: a subject is then gated by a few integer ANDs instead of a pass over its statements.
 */
const GATED: readonly string[] = [
  ...new Set([...TECHNIQUES.flatMap((t) => t.required.map((r) => r.action)), ...ADMIN_PROBES]),
];
const WORDS = Math.ceil(GATED.length / 32);
const gatedSlot = new Map(GATED.map((a, i) => [a, i]));
let gatedIndices: readonly number[] | undefined;

/** The bits of a list of gated actions, for couldAllowAll. */
export function actionMask(actions: readonly string[]): Uint32Array {
  const mask = new Uint32Array(WORDS);
  for (const a of actions) {
    const slot = gatedSlot.get(a);
    if (slot === undefined) throw new Error(`${a} is not a gated action`);
    mask[slot >>> 5]! |= 1 << (slot & 31);
  }
  return mask;
}

const policyFlagsCache = new WeakMap<StoredPolicy, Uint32Array>();
/** Per lower-cased Action/NotAction pattern: the bits of the gated actions it names. */
const patternFlagsCache = new Map<string, Uint32Array>();
const PATTERN_FLAGS_LIMIT = 16_384;
let unknownFlags: Uint32Array | undefined;

function gatedIndexList(): readonly number[] {
  if (!gatedIndices) {
    const catalog = getCatalog();
    gatedIndices = GATED.map((a) => catalog.lookupAction(a)?.index ?? -1);
  }
  return gatedIndices;
}

/** Bits of the gated actions outside the catalog: any Allow may name them. */
function flagsOutsideCatalog(): Uint32Array {
  if (!unknownFlags) {
    unknownFlags = new Uint32Array(WORDS);
    const indices = gatedIndexList();
    for (let i = 0; i < GATED.length; i++) if (indices[i]! < 0) unknownFlags[i >>> 5]! |= 1 << (i & 31);
  }
  return unknownFlags;
}

/**
 * The gated catalog actions one pattern names: the bits the pattern's catalog expansion (what the
 * compiled statement's action set is the union of) holds. Patterns repeat across policies, so this
 * is a lookup for most statements and no policy is compiled just to be gated.
 */
function patternFlags(pattern: string): Uint32Array {
  const lower = pattern.toLowerCase();
  let flags = patternFlagsCache.get(lower);
  if (!flags) {
    const set = getCatalog().expandActionPattern(lower).set;
    const indices = gatedIndexList();
    flags = new Uint32Array(WORDS);
    for (let i = 0; i < GATED.length; i++) {
      const index = indices[i]!;
      if (index >= 0 && set.has(index)) flags[i >>> 5]! |= 1 << (i & 31);
    }
    if (patternFlagsCache.size >= PATTERN_FLAGS_LIMIT) patternFlagsCache.clear();
    patternFlagsCache.set(lower, flags);
  }
  return flags;
}

/**
 * Bit i is set when some Allow statement of the policy names GATED[i] (or the policy has an ERROR,
 * which the engine treats as possibly missing statements). Read from the statements' patterns as
 * the compiler reads them (Action, else NotAction; a statement with neither names nothing).
 */
function policyFlags(policy: StoredPolicy): Uint32Array {
  let flags = policyFlagsCache.get(policy);
  if (!flags) {
    if (policy.issues.some((i) => i.severity === 'ERROR')) flags = new Uint32Array(WORDS).fill(0xffffffff);
    else {
      // An action outside the catalog counts as named by every policy (index -1 is never ruled out).
      const outside = flagsOutsideCatalog();
      flags = Uint32Array.from(outside);
      const named = new Uint32Array(WORDS);
      for (const st of policy.policy.statements) {
        if (st.effect === 'Deny') continue;
        const patterns = st.action ?? st.notAction;
        if (patterns === undefined) continue;
        named.fill(0);
        for (const p of patterns) {
          const f = patternFlags(p);
          for (let w = 0; w < WORDS; w++) named[w]! |= f[w]!;
        }
        // NotAction names every action its set leaves out (catalog actions only: the rest are set).
        const not = st.action === undefined;
        for (let w = 0; w < WORDS; w++) flags[w]! |= not ? ~named[w]! & ~outside[w]! : named[w]!;
      }
    }
    policyFlagsCache.set(policy, flags);
  }
  return flags;
}

/** The union of the policies' flags. */
function anyFlags(policies: readonly StoredPolicy[]): Uint32Array {
  const out = new Uint32Array(WORDS);
  for (const p of policies) {
    const f = policyFlags(p);
    for (let w = 0; w < WORDS; w++) out[w]! |= f[w]!;
  }
  return out;
}

const subjectFlagsCache = new WeakMap<Subject, Uint32Array>();

function subjectFlags(subject: Subject): Uint32Array {
  let flags = subjectFlagsCache.get(subject);
  if (!flags) {
    if (subject.missing.length > 0) flags = new Uint32Array(WORDS).fill(0xffffffff);
    else {
      const { identity, boundary, scp } = subject.set;
      flags = anyFlags(identity ?? []);
      if (boundary && boundary.length > 0 && subject.kind !== 'group') {
        const l = anyFlags(boundary);
        for (let w = 0; w < WORDS; w++) flags[w]! &= l[w]!;
      }
      if (scp && subject.accountId !== subject.managementAccount)
        for (const level of scp) {
          const l = anyFlags(level);
          for (let w = 0; w < WORDS; w++) flags[w]! &= l[w]!;
        }
    }
    subjectFlagsCache.set(subject, flags);
  }
  return flags;
}

/**
 * Could the subject's own policies ever allow a technique's `action` (conditions and resources
 * aside)? An identity policy, the boundary (when there is one) and every SCP level (outside the
 * management account) must each have an Allow statement that names it. The subject's set holds no
 * resource policy, so nothing else can grant it there. Missing documents count as "could".
 */
export function couldAllow(subject: Subject, action: string): boolean {
  const slot = gatedSlot.get(action);
  return slot === undefined || (subjectFlags(subject)[slot >>> 5]! & (1 << (slot & 31))) !== 0;
}

/** couldAllow for every action of a mask (see actionMask). */
export function couldAllowAll(subject: Subject, mask: Uint32Array): boolean {
  return wordsCover(subjectFlags(subject), mask);
}

/** The subject's could-allow words, for a caller testing many masks (see wordsCover). */
export function couldAllowWords(subject: Subject): Uint32Array {
  return subjectFlags(subject);
}

/** couldAllowAll on words from couldAllowWords. */
export function wordsCover(flags: Uint32Array, mask: Uint32Array): boolean {
  for (let w = 0; w < WORDS; w++) if ((mask[w]! & ~flags[w]!) !== 0) return false;
  return true;
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
