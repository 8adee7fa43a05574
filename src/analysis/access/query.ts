/**
 * The precise questions, answered by the engine: "can P do A on R?" with every policy that applies
 * in the snapshot, and "who can do A (on R)?" with bitsets to pick candidates and `evaluate` to
 * confirm each one.
 */
import { getCatalog } from '../../catalog/index.js';
import type { Identity, OrgSnapshot, Resource, StoredPolicy } from '../../model/account.js';
import type { Explanation } from '../../model/explanation.js';
import type { PolicyEvidence } from '../../model/finding.js';
import type { AuthorizationRequest, ContextValueInput, Decision } from '../../model/request.js';
import {
  type CompiledPolicySet,
  compilePolicySet,
  evaluate,
  explain,
  type PolicySet,
} from '../../policy/evaluate/index.js';
import { policiesForPrincipal } from '../policy-set.js';
import { mayPerform } from './effective-access.js';
import { conditionText, type Grant, type GrantKind, grantsOf, policyEvidence } from './evidence.js';
import { evaluationOptions } from './layers.js';
import { type AccessEntry, accessModel } from './model.js';

export type PrincipalLookup =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly candidates: readonly string[] };

/**
 * A principal by ARN, by name (`alice`), or by `user/NAME` / `role/NAME` / `role/PATH/NAME`; names
 * are case-sensitive like IAM's ARNs. `ok: false` with no candidates: not found; with several: ambiguous.
 */
export function findPrincipal(snapshot: OrgSnapshot, text: string): PrincipalLookup {
  const model = accessModel(snapshot);
  const exact = model.byArn.get(text);
  if (exact && exact.subject.kind !== 'group') return { ok: true, identity: exact.subject };
  const matches: Identity[] = [];
  for (const e of model.principals) {
    const s = e.subject as Identity;
    if (namesPrincipal(text, s.arn, s.kind, s.name)) matches.push(s);
  }
  if (matches.length === 1) return { ok: true, identity: matches[0] as Identity };
  return { ok: false, candidates: matches.map((m) => m.arn).sort() };
}

/** Whether `text` names the principal other than by its ARN: its name, `KIND/NAME`, or its ARN's resource part. */
export function namesPrincipal(text: string, arn: string, kind: string, name: string): boolean {
  if (name === text || `${kind}/${name}` === text) return true;
  return arn.slice(arn.indexOf(':', 'arn:aws:iam::'.length) + 1) === text;
}

/**
 * The request context of a typical call by the principal: what AWS always sets and the snapshot
 * knows (principal tags, organization, a region the account uses, TLS, the collection time), so
 * region-restriction SCPs and tag conditions are judged as they would be. Caller values win.
 */
export function principalContext(
  snapshot: OrgSnapshot,
  identity: Identity,
  given: Readonly<Record<string, ContextValueInput>> = {},
): Record<string, ContextValueInput> {
  const out: Record<string, ContextValueInput> = Object.create(null);
  const account = snapshot.accounts.get(identity.accountId);
  out['aws:RequestedRegion'] = account?.regions[0] ?? 'us-east-1';
  out['aws:SecureTransport'] = 'true';
  out['aws:ViaAWSService'] = 'false';
  if (snapshot.organization?.id) out['aws:PrincipalOrgID'] = snapshot.organization.id;
  if (snapshot.collectedAt) {
    out['aws:CurrentTime'] = snapshot.collectedAt;
    const epoch = Date.parse(snapshot.collectedAt);
    if (Number.isFinite(epoch)) out['aws:EpochTime'] = String(Math.floor(epoch / 1000));
  }
  for (const [k, v] of identity.tags) out[`aws:PrincipalTag/${k}`] = v;
  const keys = Object.keys(given);
  // who-can asks this for thousands of principals with nothing given.
  if (keys.length === 0) return out;
  const lower = new Map<string, string>();
  for (const k of Object.keys(out)) lower.set(k.toLowerCase(), k);
  for (const k of keys) {
    const previous = lower.get(k.toLowerCase());
    if (previous !== undefined) delete out[previous];
    const v = given[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** `arn:PARTITION:s3:::BUCKET/KEY` (bucket names hold no `/`): the bucket's ARN. */
const S3_OBJECT = /^(arn:[^:]+:s3:::[^/]+)\//;

/**
 * The resource whose policy and account apply to a request on `arn`: the resource with that ARN,
 * or for an S3 object the bucket (same partition), whose bucket policy governs its objects
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html). Nothing else is
 * a sub-resource here: a Lambda version or alias ARN has a resource policy of its own, not the
 * function's (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html), and the snapshot holds only
 * the function's.
 */
export function findResource(snapshot: OrgSnapshot, arn: string): Resource | undefined {
  const exact = lookupResource(snapshot, arn);
  if (exact) return exact;
  const bucket = S3_OBJECT.exec(arn)?.[1];
  return bucket === undefined ? undefined : lookupResource(snapshot, bucket);
}

function lookupResource(snapshot: OrgSnapshot, arn: string): Resource | undefined {
  for (const account of snapshot.accounts.values()) {
    const r = account.resources.get(arn);
    if (r) return r;
  }
  return undefined;
}

function findRole(snapshot: OrgSnapshot, arn: string) {
  for (const account of snapshot.accounts.values()) {
    const r = account.roles.get(arn);
    if (r) return r;
  }
  return undefined;
}

const ASSUME = /^sts:assumerole(withsaml|withwebidentity)?$/i;

/** The policy set for one request: the principal's policies plus the resource's or the role's trust. */
export function requestPolicies(
  snapshot: OrgSnapshot,
  identity: Identity,
  action: string,
  resource: string,
  principalSet?: PolicySet<StoredPolicy>,
): { set: PolicySet<StoredPolicy>; resourceAccount?: string; notes: string[] } {
  const notes: string[] = [];
  let set: PolicySet<StoredPolicy>;
  if (principalSet) set = principalSet;
  else {
    const base = policiesForPrincipal(snapshot, identity);
    if (base.missing.length > 0) notes.push(`policies not in the snapshot: ${base.missing.join(', ')}`);
    if (base.guardrailsUnknown)
      notes.push("the account's SCPs are unknown (not collected): they may deny more");
    set = base.set;
  }
  let resourceAccount: string | undefined;
  if (ASSUME.test(action)) {
    const role = findRole(snapshot, resource);
    if (role?.trustPolicy) {
      set = { ...set, trust: [role.trustPolicy] };
      resourceAccount = role.accountId;
    }
  } else {
    const r = findResource(snapshot, resource);
    if (r) {
      resourceAccount = r.accountId;
      if (r.policy) set = { ...set, resource: [r.policy] };
    }
  }
  return { set, ...(resourceAccount !== undefined ? { resourceAccount } : {}), notes };
}

export interface CanQuery {
  readonly identity: Identity;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, ContextValueInput>>;
}

export function canRequest(
  snapshot: OrgSnapshot,
  q: CanQuery,
): { compiled: CompiledPolicySet; request: AuthorizationRequest; notes: string[] } {
  const { set, resourceAccount, notes } = requestPolicies(snapshot, q.identity, q.action, q.resource);
  const compiled = compilePolicySet(set, evaluationOptions(snapshot));
  const request: AuthorizationRequest = {
    principal: q.identity.arn,
    action: q.action,
    resource: q.resource,
    ...(resourceAccount !== undefined ? { resourceAccount } : {}),
    context: principalContext(snapshot, q.identity, q.context),
  };
  return { compiled, request, notes };
}

export function can(
  snapshot: OrgSnapshot,
  q: CanQuery,
): { decision: Decision; explanation: Explanation; request: AuthorizationRequest; notes: string[] } {
  const { compiled, request, notes } = canRequest(snapshot, q);
  const result = explain(compiled, request);
  return { decision: result.decision, explanation: result.explanation, request, notes };
}

export interface WhoCanEntry {
  readonly principal: string;
  readonly kind: 'user' | 'role';
  readonly account: string;
  /** `all`: the engine allows it on the resource (or `*`); `scoped`/`conditional`: only on named resources, or under a condition. */
  readonly grant: GrantKind;
  readonly decision: Decision;
  readonly how: readonly PolicyEvidence[];
  /** For conditional grants: the conditions, one line per statement. */
  readonly conditions?: readonly string[];
  /** `direct` today; escalation paths will add `escalation`. */
  readonly via: 'direct';
}

export interface WhoCanResult {
  readonly action: string;
  readonly resource: string;
  readonly principals: readonly WhoCanEntry[];
  readonly candidates: number;
  readonly total: number;
}

/**
 * Whether the resource asked about has a policy of its own (a role's trust policy for
 * `sts:AssumeRole*`): then it can grant what identity policies do not, and only guardrails filter.
 */
export function resourceHasPolicy(
  snapshot: OrgSnapshot,
  action: string,
  resource: string | undefined,
): boolean {
  return (
    resource !== undefined &&
    (ASSUME.test(action)
      ? findRole(snapshot, resource)?.trustPolicy
      : findResource(snapshot, resource)?.policy) !== undefined
  );
}

export function whoCan(snapshot: OrgSnapshot, action: string, resource?: string): WhoCanResult {
  const catalog = getCatalog();
  const info = catalog.lookupAction(action);
  const model = accessModel(snapshot);
  const target = resource ?? '*';
  const hasPolicy = resourceHasPolicy(snapshot, action, resource);
  const options = evaluationOptions(snapshot);
  const out: WhoCanEntry[] = [];
  let candidates = 0;
  for (const entry of model.principals) {
    // A resource policy can grant what identity policies do not: then only guardrails filter.
    if (info && !hasPolicy && !mayPerform(entry.layers, info.index)) continue;
    candidates++;
    const identity = entry.subject as Identity;
    const { set, resourceAccount } = requestPolicies(snapshot, identity, action, target, layerSet(entry));
    const compiled = compilePolicySet(set, options);
    const request: AuthorizationRequest = {
      principal: identity.arn,
      action,
      resource: target,
      ...(resourceAccount !== undefined ? { resourceAccount } : {}),
      context: principalContext(snapshot, identity),
    };
    const found = describeGrant(entry, action, evaluate(compiled, request), resource === undefined);
    if (found) out.push(hasPolicy ? withResourceEvidence(found, set, compiled, request) : found);
  }
  out.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
  return { action, resource: target, principals: out, candidates, total: model.principals.length };
}

/** The engine's policy set from the model's layers (already resolved once per principal). */
function layerSet(entry: AccessEntry): PolicySet<StoredPolicy> {
  const l = entry.layers;
  return {
    identity: l.identity,
    ...(l.boundary ? { boundary: l.boundary } : {}),
    ...(l.scp ? { scp: l.scp } : {}),
    ...(l.rcp ? { rcp: l.rcp } : {}),
  };
}

function describeGrant(
  entry: AccessEntry,
  action: string,
  decision: Decision,
  anyResource: boolean,
): WhoCanEntry | undefined {
  const info = getCatalog().lookupAction(action);
  const grants = grantsOf(
    entry.layers.identity,
    info ? info.index : getCatalog().expandActionPattern(action).set,
  );
  return whoCanEntry(entry.subject as Identity, decision, anyResource, grants);
}

/**
 * A row the engine allowed with no identity statement naming the action (the resource's policy or
 * the role's trust granted it: enough within one account) gets the statement that decided, as the
 * engine's explanation names it, instead of no evidence. Explained only for such rows (few).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function withResourceEvidence(
  row: WhoCanEntry,
  set: PolicySet<StoredPolicy>,
  compiled: CompiledPolicySet,
  request: AuthorizationRequest,
): WhoCanEntry {
  if (row.decision !== 'Allowed' || row.how.length > 0) return row;
  const decided = explain(compiled, request).explanation.decidedBy;
  if (!decided || (decided.layer !== 'resource' && decided.layer !== 'trust')) return row;
  const policy = (decided.layer === 'resource' ? set.resource : set.trust)?.find(
    (p) => p.name === decided.policy,
  );
  const statement = policy?.policy.statements.find((st) => st.index === decided.statement);
  return policy ? { ...row, how: [policyEvidence(policy, statement)] } : row;
}

/** What a who-can row says beyond who the principal is: how it is granted, and by what. */
export type WhoCanGrant = Pick<WhoCanEntry, 'grant' | 'decision' | 'how' | 'conditions'>;

/**
 * One principal's who-can row from the engine's decision and the Allow statements that name the
 * action: allowed outright, or (when no resource was asked about) granted only on named resources
 * or under a condition. Shared with the CLI's one-action query so both answer in the same words.
 */
export function whoCanEntry(
  identity: Identity,
  decision: Decision,
  anyResource: boolean,
  grants: readonly Grant[],
): WhoCanEntry | undefined {
  const grant = whoCanGrant(decision, anyResource, grants);
  return grant && whoCanRow(identity, grant);
}

/** The row for a principal and its grant (the grant part may be shared between rows). */
export function whoCanRow(identity: Identity, grant: WhoCanGrant): WhoCanEntry {
  return {
    principal: identity.arn,
    kind: identity.kind as 'user' | 'role',
    account: identity.accountId,
    via: 'direct',
    ...grant,
  };
}

/**
 * The grant part of `whoCanEntry`; it depends only on the decision and the grants, so principals
 * with the same identity policies and decision can share it.
 */
export function whoCanGrant(
  decision: Decision,
  anyResource: boolean,
  grants: readonly Grant[],
): WhoCanGrant | undefined {
  if (decision === 'Allowed') {
    const all = grants.filter((g) => g.kind === 'all');
    return {
      grant: 'all',
      decision,
      how: (all.length > 0 ? all : grants).map((g) => policyEvidence(g.policy, g.statement)),
    };
  }
  if (decision === 'ExplicitlyDenied' || !anyResource) return undefined;
  // Without a resource, a grant on named resources or under a condition still answers "who can".
  const scoped = grants.filter((g) => g.kind === 'scoped');
  if (scoped.length > 0)
    return { grant: 'scoped', decision, how: scoped.map((g) => policyEvidence(g.policy, g.statement)) };
  const conditional = grants.filter((g) => g.kind === 'conditional');
  if (conditional.length > 0)
    return {
      grant: 'conditional',
      decision,
      how: conditional.map((g) => policyEvidence(g.policy, g.statement)),
      conditions: conditional.map((g) => conditionText(g.statement)),
    };
  return undefined;
}
