/**
 * AWS's policy evaluation logic: one implementation for `evaluate` (decision only) and `explain`
 * (the same run with a trace). Decisions are three-valued internally (true / false / unknown) so
 * an undecidable condition makes the result `Unknown` only when it could change the outcome.
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
import { getCatalog } from '../../catalog/index.js';
import type {
  ConditionExplanation,
  EvaluationResult,
  Explanation,
  LayerExplanation,
  PolicyExplanation,
  PolicyVerdict,
  StatementExplanation,
} from '../../model/explanation.js';
import type { PolicyType } from '../../model/policy.js';
import type { AuthorizationRequest, Decision } from '../../model/request.js';
import type { RequestContext } from '../conditions/index.js';
import {
  type Candidates,
  type CompiledPolicyData,
  type CompiledStatement,
  statementsForAction,
} from './compile.js';
import { type ContextPlan, PlannedContext, planContext } from './context-plan.js';
import {
  arnAccount,
  arnService,
  isExcludedByNotPrincipal,
  matchPrincipal,
  type PrincipalInfo,
  PrincipalMatch,
} from './principal.js';
import { rcpSupportedServices } from './rcp-services.js';
import { type PrincipalState, principalState } from './request-state.js';

export interface EngineOptions {
  readonly managementAccount?: string;
}

/** The compiled policies the engine works on (the public `CompiledPolicySet` holds exactly this). */
export interface EnginePolicies {
  readonly identity?: readonly CompiledPolicyData[];
  readonly resource?: readonly CompiledPolicyData[];
  readonly trust?: readonly CompiledPolicyData[];
  readonly boundary?: readonly CompiledPolicyData[];
  readonly session?: readonly CompiledPolicyData[];
  readonly scp?: readonly (readonly CompiledPolicyData[])[];
  readonly rcp?: readonly (readonly CompiledPolicyData[])[];
  readonly endpoint?: readonly CompiledPolicyData[];
}

// Three-valued logic (Kleene): 0 false, 1 true, 2 unknown.
type Tri = 0 | 1 | 2;
const F: Tri = 0;
const T: Tri = 1;
const U: Tri = 2;
function and(a: Tri, b: Tri): Tri {
  if (a === F || b === F) return F;
  return a === T && b === T ? T : U;
}
function or(a: Tri, b: Tri): Tri {
  if (a === T || b === T) return T;
  return a === F && b === F ? F : U;
}

// Per-policy / per-layer outcome bits. Allows are split by how the Principal element named the
// caller, because the same-account rules treat a grant to the session, the role and the account differently.
const DENY = 1;
const UDENY = 2;
const ALLOW_DIRECT = 4;
const UALLOW_DIRECT = 8;
const ALLOW_ROLE = 16;
const UALLOW_ROLE = 32;
const ALLOW_ACCOUNT = 64;
const UALLOW_ACCOUNT = 128;
const ANY_ALLOW = ALLOW_DIRECT | ALLOW_ROLE | ALLOW_ACCOUNT;
const ANY_UALLOW = UALLOW_DIRECT | UALLOW_ROLE | UALLOW_ACCOUNT;

function tri(flags: number, yes: number, maybe: number): Tri {
  if (flags & yes) return T;
  return flags & maybe ? U : F;
}

const STATEMENT_NO = 0;
const STATEMENT_MATCH = 1;
const STATEMENT_UNKNOWN = 2;

interface DecidingStatement {
  readonly layer: PolicyType;
  readonly level?: number;
  readonly policy: string;
  readonly statement: number;
  readonly sid?: string;
}

interface Trace {
  readonly layers: LayerExplanation[];
  readonly unknowns: string[];
  readonly notes: string[];
  statements: StatementExplanation[];
  firstDeny?: DecidingStatement;
  /** First matching Allow per layer key (`identity`, `resource`, ...). */
  readonly firstAllow: Map<string, DecidingStatement & { readonly how: number }>;
}

interface Run {
  readonly request: AuthorizationRequest;
  readonly who: PrincipalInfo;
  readonly principal: PrincipalState;
  readonly plan: ContextPlan;
  readonly actionIndex: number;
  /** Candidate statements per policy for a catalog action; undefined for an action it does not know. */
  readonly candidates: SetCandidates | undefined;
  /**
   * False once the request is known not to be allowed (an SCP, RCP or endpoint policy did not
   * allow it): from then on only Deny statements can change the decision. Never cleared when tracing.
   */
  allowMatters: boolean;
  readonly resourceAccount: string | undefined;
  /** A permissions boundary applies to the caller (changes NotPrincipal's meaning). */
  readonly hasBoundary: boolean;
  context: PlannedContext | undefined;
  readonly trace: Trace | undefined;
  /** The action lower-cased, made on first need (only actions the catalog does not know need it). */
  lowerAction?: string;
}

/** Stands in where a static matcher ignores the context, so no context is built for it. */
const NO_CONTEXT: RequestContext = {
  get: () => undefined,
  has: () => false,
  keys: () => [],
};

function contextOf(run: Run): PlannedContext {
  run.context ??= new PlannedContext(run.plan, run.request.context, run.principal, run.resourceAccount);
  return run.context;
}

/** `aws:PrincipalArn` as the caller supplied it (carries a role's path the session ARN lacks). */
function roleArnOf(run: Run): string | undefined {
  return run.request.context === undefined ? undefined : contextOf(run).givenPrincipalArn;
}

type LayerCandidates = readonly Candidates[];

/** Candidate statements for one action, parallel to the set's policy lists. */
interface SetCandidates {
  readonly identity: LayerCandidates;
  readonly resource: LayerCandidates;
  readonly trust: LayerCandidates;
  readonly boundary: LayerCandidates;
  readonly session: LayerCandidates;
  readonly endpoint: LayerCandidates;
  readonly scp: readonly LayerCandidates[];
  readonly rcp: readonly LayerCandidates[];
}

/** What the engine keeps per policy set, made on its first request. */
interface SetState {
  readonly plan: ContextPlan;
  /** By catalog action index; bounded, since a bulk run may ask about every action once. */
  readonly byAction: Map<number, SetCandidates>;
}

const SET_ACTION_LIMIT = 4096;
const setStates = new WeakMap<EnginePolicies, SetState>();

function stateOf(policies: EnginePolicies): SetState {
  let state = setStates.get(policies);
  if (state === undefined) {
    const all: CompiledPolicyData[] = [];
    for (const list of [
      policies.identity,
      policies.resource,
      policies.trust,
      policies.boundary,
      policies.session,
      policies.endpoint,
      ...(policies.scp ?? []),
      ...(policies.rcp ?? []),
    ]) {
      if (list) all.push(...list);
    }
    state = { plan: planContext(all), byAction: new Map() };
    setStates.set(policies, state);
  }
  return state;
}

function candidatesOf(state: SetState, policies: EnginePolicies, actionIndex: number): SetCandidates {
  let found = state.byAction.get(actionIndex);
  if (found === undefined) {
    const layer = (list: readonly CompiledPolicyData[] | undefined): LayerCandidates =>
      list === undefined ? [] : list.map((p) => statementsForAction(p, actionIndex));
    found = {
      identity: layer(policies.identity),
      resource: layer(policies.resource),
      trust: layer(policies.trust),
      boundary: layer(policies.boundary),
      session: layer(policies.session),
      endpoint: layer(policies.endpoint),
      scp: (policies.scp ?? []).map(layer),
      rcp: (policies.rcp ?? []).map(layer),
    };
    if (state.byAction.size >= SET_ACTION_LIMIT) state.byAction.clear();
    state.byAction.set(actionIndex, found);
  }
  return found;
}

const RESOURCE_CACHE_LIMIT = 4096;
const resourceAccountCache = new Map<string, string | null>();

function resourceAccountOf(resource: string): string | undefined {
  let account = resourceAccountCache.get(resource);
  if (account === undefined) {
    if (resourceAccountCache.size >= RESOURCE_CACHE_LIMIT) resourceAccountCache.clear();
    account = arnAccount(resource) ?? null;
    resourceAccountCache.set(resource, account);
  }
  return account ?? undefined;
}

function actionMatches(s: CompiledStatement, run: Run): boolean {
  if (!s.hasAction) return false;
  let m = false;
  if (run.actionIndex >= 0) {
    m = s.actionBits.has(run.actionIndex);
  } else {
    run.lowerAction ??= run.request.action.toLowerCase();
    for (const matcher of s.actionMatchers) {
      if (matcher(run.lowerAction)) {
        m = true;
        break;
      }
    }
  }
  return s.notAction ? !m : m;
}

/**
 * Resource/NotResource. A value with a policy variable the request cannot fill never counts in the
 * statement's favour: under Resource it matches nothing, and under NotResource it keeps the
 * statement from applying, since we cannot tell that the resource is not the one it names. AWS:
 * "If AWS cannot resolve a variable this might cause the entire statement to be invalid."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * A value whose other ARN segments (service, account, ...) already differ cannot name the
 * resource whatever the variable holds; its matcher answers false, not the missing key.
 */
function resourceMatches(s: CompiledStatement, run: Run, where: string): boolean {
  if (s.resourceMode === 0) return true;
  const not = s.resourceMode === 2;
  if (s.resourceAll) return !not;
  for (const matcher of s.resourceMatchers) {
    const r = matcher.test(run.request.resource, matcher.hasVariables ? contextOf(run) : NO_CONTEXT);
    if (r === true) return !not;
    if (typeof r === 'string') {
      run.trace?.notes.push(
        not
          ? `${where}: a NotResource value needs \${${r}}, which the request does not have, so the statement does not apply`
          : `${where}: a Resource value needs \${${r}}, which the request does not have, so it does not match`,
      );
      if (not) return false;
    }
  }
  return not;
}

function isIamCaller(who: PrincipalInfo): boolean {
  return (
    who.kind === 'user' || who.kind === 'role' || who.kind === 'assumed-role' || who.kind === 'federated-user'
  );
}

function principalMatches(s: CompiledStatement, run: Run, principalLayer: boolean): number {
  if (!principalLayer) return PrincipalMatch.Direct;
  // Only a role session's match reads the role ARN from the context.
  const roleArn = run.who.kind === 'assumed-role' ? roleArnOf(run) : undefined;
  if (s.principal) return matchPrincipal(s.principal, run.who, roleArn);
  if (s.notPrincipal) {
    // A Deny with NotPrincipal always applies to an IAM user or role that has a permissions boundary.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    if (s.deny && run.hasBoundary && isIamCaller(run.who)) return PrincipalMatch.Direct;
    return isExcludedByNotPrincipal(s.notPrincipal, run.who, roleArn)
      ? PrincipalMatch.None
      : PrincipalMatch.Direct;
  }
  return PrincipalMatch.None;
}

/** Returns the statement verdict in the low two bits and the principal match above them. */
function evalStatement(s: CompiledStatement, run: Run, principalLayer: boolean, where: string): number {
  // A catalog action's candidates were chosen by its index already (statementsForAction).
  if (run.actionIndex < 0 && !actionMatches(s, run)) return STATEMENT_NO;
  if (!resourceMatches(s, run, where)) return STATEMENT_NO;
  const how = principalMatches(s, run, principalLayer);
  if (how === PrincipalMatch.None) return STATEMENT_NO;
  let verdict = STATEMENT_MATCH;
  const trace = run.trace;
  const explained: ConditionExplanation[] | undefined = trace ? [] : undefined;
  for (const condition of s.conditions) {
    const r = condition.evaluate(contextOf(run), trace !== undefined);
    if (explained && r.explanation) explained.push(r.explanation);
    if (r.verdict === 'no-match') {
      verdict = STATEMENT_NO;
      if (!trace) break;
    } else if (r.verdict === 'unknown') {
      if (verdict === STATEMENT_MATCH) verdict = STATEMENT_UNKNOWN;
      if (trace) {
        const c = condition.clause;
        const why = r.explanation?.reason ?? 'the condition cannot be evaluated';
        trace.unknowns.push(`${where}: ${c.operator} on ${c.key}: ${why}`);
      }
    }
  }
  if (trace && explained) {
    trace.statements.push({
      index: s.index,
      ...(s.sid !== undefined ? { sid: s.sid } : {}),
      effect: s.effect,
      verdict: verdict === STATEMENT_MATCH ? 'match' : verdict === STATEMENT_NO ? 'no-match' : 'unknown',
      action: true,
      resource: true,
      ...(principalLayer ? { principal: true } : {}),
      conditions: explained,
      ...(s.pos.line > 0 ? { pos: s.pos } : {}),
    });
  }
  return verdict | (how << 2);
}

function statementLabel(p: CompiledPolicyData, s: CompiledStatement): string {
  return `${p.name} statement ${s.sid !== undefined ? `"${s.sid}"` : `#${s.index}`}`;
}

function evalPolicy(
  p: CompiledPolicyData,
  candidates: Candidates | undefined,
  run: Run,
  principalLayer: boolean,
  layer: PolicyType,
  level: number | undefined,
  allowKey: string,
  layerFlags: number,
): number {
  let flags = 0;
  const trace = run.trace;
  if (p.incomplete) {
    flags |= UDENY | UALLOW_DIRECT;
    trace?.unknowns.push(
      `${p.name}: the policy has errors, so statements may be missing (${p.incompleteReason ?? 'parse error'})`,
    );
  }
  // Without a trace, allows stop mattering once the layer has a definite one (a direct grant
  // outranks a grant to the role or account in every rule below) or the request cannot be allowed.
  const allowsMatter = trace !== undefined || (run.allowMatters && (layerFlags & ALLOW_DIRECT) === 0);
  const statements =
    candidates === undefined ? p.statements : allowsMatter ? candidates.all : candidates.deny;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    if (!trace) {
      // Once a policy has a definite answer of a kind, more statements of that kind change nothing.
      if (s.deny ? flags & DENY : !allowsMatter || flags & ALLOW_DIRECT) continue;
      // A candidate (its action already matched) that matches whatever the request needs no look.
      if (candidates !== undefined && (s.unconditional === 2 || (s.unconditional === 1 && !principalLayer))) {
        flags |= s.deny ? DENY : ALLOW_DIRECT;
        continue;
      }
    }
    const r = evalStatement(s, run, principalLayer, trace ? statementLabel(p, s) : '');
    const verdict = r & 3;
    if (verdict === STATEMENT_NO) continue;
    if (s.deny) {
      flags |= verdict === STATEMENT_MATCH ? DENY : UDENY;
      if (trace && verdict === STATEMENT_MATCH && !trace.firstDeny) {
        trace.firstDeny = deciding(layer, level, p, s);
      }
    } else {
      const how = r >> 2;
      const shift = how === PrincipalMatch.Role ? 4 : how === PrincipalMatch.Account ? 6 : 2;
      flags |= (verdict === STATEMENT_MATCH ? 1 : 2) << shift;
      if (trace && verdict === STATEMENT_MATCH) {
        const prev = trace.firstAllow.get(allowKey);
        if (!prev || how < prev.how) trace.firstAllow.set(allowKey, { ...deciding(layer, level, p, s), how });
      }
    }
  }
  return flags;
}

function deciding(
  layer: PolicyType,
  level: number | undefined,
  p: CompiledPolicyData,
  s: CompiledStatement,
): DecidingStatement {
  return {
    layer,
    ...(level !== undefined ? { level } : {}),
    policy: p.name,
    statement: s.index,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
  };
}

function policyVerdict(flags: number): PolicyVerdict {
  if (flags & DENY) return 'Deny';
  if (flags & UDENY) return 'Unknown';
  if (flags & ANY_ALLOW) return 'Allow';
  if (flags & ANY_UALLOW) return 'Unknown';
  return 'NoMatch';
}

function evalLayer(
  policies: readonly CompiledPolicyData[],
  candidates: LayerCandidates | undefined,
  run: Run,
  layer: PolicyType,
  principalLayer: boolean,
  level?: number,
): number {
  let flags = 0;
  const trace = run.trace;
  const explained: PolicyExplanation[] | undefined = trace ? [] : undefined;
  const allowKey = trace === undefined || level === undefined ? layer : `${layer}:${level}`;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i]!;
    if (trace) trace.statements = [];
    const f = evalPolicy(p, candidates?.[i], run, principalLayer, layer, level, allowKey, flags);
    flags |= f;
    // An explicit deny decides the request: nothing else needs looking at.
    if (!trace && flags & DENY) return flags;
    if (trace && explained) {
      explained.push({
        name: p.name,
        ...(p.source !== undefined ? { source: p.source } : {}),
        verdict: policyVerdict(f),
        statements: trace.statements,
      });
    }
  }
  if (trace && explained) {
    trace.layers.push({
      type: layer,
      ...(level !== undefined ? { level } : {}),
      applies: true,
      verdict: policyVerdict(flags),
      policies: explained,
    });
  }
  return flags;
}

function skipLayer(run: Run, layer: PolicyType, note: string, level?: number): void {
  run.trace?.layers.push({
    type: layer,
    ...(level !== undefined ? { level } : {}),
    applies: false,
    verdict: 'NoMatch',
    policies: [],
    note,
  });
}

const ASSUME_ACTIONS = new Set([
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]);

function isRoleArn(resource: string): boolean {
  return resource.startsWith('arn:') && arnService(resource) === 'iam' && resource.includes(':role/');
}

function actionService(action: string): string {
  const colon = action.indexOf(':');
  return (colon === -1 ? action : action.slice(0, colon)).toLowerCase();
}

interface Outcome {
  readonly decision: Decision;
  readonly reasonCode: string;
  readonly reason: string;
}

/** Every intermediate verdict of one run: what the explanation is built from. */
interface Verdicts {
  readonly who: PrincipalInfo;
  readonly principalAccount: string | undefined;
  readonly resourceAccount: string | undefined;
  readonly hasAccount: boolean;
  readonly crossAccount: boolean;
  readonly isTrust: boolean;
  readonly isKms: boolean;
  readonly scp: Tri;
  readonly scpFailedLevel: number;
  readonly rcp: Tri;
  readonly rcpFailedLevel: number;
  readonly endpoint: Tri;
  readonly identity: Tri;
  readonly boundary: Tri;
  readonly session: Tri;
  readonly idSide: Tri;
  readonly resDirect: Tri;
  readonly resRole: Tri;
  readonly resAny: Tri;
  readonly explicitDeny: Tri;
  readonly allowed: Tri;
}

interface ActionInfo {
  /** The catalog index, or -1 for an action the catalog does not know. */
  readonly index: number;
  /** The service prefix, lower-cased. */
  readonly service: string;
  /** One of the `sts:AssumeRole*` family a trust policy governs. */
  readonly assume: boolean;
  /** RCPs restrict the service's resources (true when the supported list cannot be read). */
  readonly rcpApplies: boolean;
}

const actionCache = new Map<string, ActionInfo>();
const ACTION_CACHE_LIMIT = 8192;

/** What the engine needs to know about an action, cached by the action string as written. */
function actionInfoOf(action: string): ActionInfo {
  let info = actionCache.get(action);
  if (info === undefined) {
    if (actionCache.size >= ACTION_CACHE_LIMIT) actionCache.clear();
    const service = actionService(action);
    info = {
      index: getCatalog().lookupAction(action)?.index ?? -1,
      service,
      assume: ASSUME_ACTIONS.has(action.toLowerCase()),
      rcpApplies: rcpSupportedServices()?.has(service) ?? true,
    };
    actionCache.set(action, info);
  }
  return info;
}

/**
 * SCPs and RCPs do not restrict service-linked roles. A session's ARN lacks the role's path, so
 * for a role session the path is read from the role ARN the context supplies.
 */
function isServiceLinked(run: Run): boolean {
  if (run.who.serviceLinked) return true;
  return run.who.kind === 'assumed-role' && (roleArnOf(run)?.includes(':role/aws-service-role/') ?? false);
}

function decisionOf(explicitDeny: Tri, allowed: Tri): Decision {
  if (explicitDeny === T) return 'ExplicitlyDenied';
  if (allowed === F) return 'ImplicitlyDenied';
  if (allowed === T && explicitDeny === F) return 'Allowed';
  return 'Unknown';
}

function evalLevels(
  levels: readonly (readonly CompiledPolicyData[])[],
  candidates: readonly LayerCandidates[] | undefined,
  run: Run,
  layer: 'scp' | 'rcp',
  skipNote: string | undefined,
): { flags: number; verdict: Tri; failedLevel: number } {
  let flags = 0;
  let verdict: Tri = T;
  let failedLevel = -1;
  for (let index = 0; index < levels.length; index++) {
    if (skipNote !== undefined) {
      skipLayer(run, layer, skipNote, index);
      continue;
    }
    // SCP statements have no Principal element; RCP statements do.
    const f = evalLayer(levels[index] ?? [], candidates?.[index], run, layer, layer === 'rcp', index);
    flags |= f;
    const t = layer === 'scp' ? tri(f, ALLOW_DIRECT, UALLOW_DIRECT) : tri(f, ANY_ALLOW, ANY_UALLOW);
    if (t === F && failedLevel === -1) failedLevel = index;
    verdict = and(verdict, t);
    if (!run.trace) {
      if (flags & DENY) break;
      if (verdict === F) run.allowMatters = false;
    }
  }
  return { flags, verdict, failedLevel };
}

export function runEvaluation(
  policies: EnginePolicies,
  options: EngineOptions,
  request: AuthorizationRequest,
  withTrace: boolean,
): EvaluationResult | Decision {
  const principal = principalState(request.principal);
  const who = principal.info;
  const action = actionInfoOf(request.action);
  const state = stateOf(policies);
  const trace: Trace | undefined = withTrace
    ? { layers: [], unknowns: [], notes: [], statements: [], firstAllow: new Map() }
    : undefined;

  const principalAccount = who.account;
  let resourceAccount = request.resourceAccount ?? resourceAccountOf(request.resource);
  if (resourceAccount === undefined && principalAccount !== undefined) {
    // An ARN without an account (S3 buckets, `*`) and no resourceAccount given: AWS would know the
    // owner; we assume the caller's own account and say so.
    resourceAccount = principalAccount;
    trace?.notes.push(
      `The resource account is not in the resource ARN and was not given; assumed to be the principal's account ${principalAccount}.`,
    );
  }
  const hasAccount = principalAccount !== undefined && who.kind !== 'service' && who.kind !== 'anonymous';
  const crossAccount = hasAccount && resourceAccount !== undefined && resourceAccount !== principalAccount;
  const iamCaller = isIamCaller(who) || (who.kind === 'other' && hasAccount);
  const boundaryGiven = policies.boundary !== undefined && policies.boundary.length > 0;
  const run: Run = {
    request,
    who,
    principal,
    plan: state.plan,
    actionIndex: action.index,
    candidates: action.index >= 0 ? candidatesOf(state, policies, action.index) : undefined,
    allowMatters: true,
    resourceAccount,
    hasBoundary: boundaryGiven && iamCaller,
    context: undefined,
    trace,
  };

  const management = options.managementAccount;
  let allFlags = 0;

  // SCPs: the principal's account's organization path; every level must allow.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
  let scp: Tri = T;
  let scpFailedLevel = -1;
  if (policies.scp !== undefined && policies.scp.length > 0) {
    let why: string | undefined;
    if (!hasAccount) why = 'SCPs restrict principals in member accounts; this caller is not one.';
    else if (management !== undefined && principalAccount === management)
      why = `SCPs do not restrict the management account (${management}).`;
    else if (isServiceLinked(run)) why = 'SCPs do not restrict service-linked roles.';
    const r = evalLevels(policies.scp, run.candidates?.scp, run, 'scp', why);
    allFlags |= r.flags;
    scp = r.verdict;
    scpFailedLevel = r.failedLevel;
    if (!trace && allFlags & DENY) return 'ExplicitlyDenied';
  }

  // RCPs: the resource account's organization path; every level must allow.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
  let rcp: Tri = T;
  let rcpFailedLevel = -1;
  if (policies.rcp !== undefined && policies.rcp.length > 0) {
    let why: string | undefined;
    if (management !== undefined && resourceAccount === management)
      why = `RCPs do not restrict resources in the management account (${management}).`;
    else if (isServiceLinked(run)) why = 'RCPs do not restrict service-linked roles.';
    else if (!action.rcpApplies)
      why = `RCPs do not apply to ${action.service} (not an RCP-supported service).`;
    if (trace && rcpSupportedServices() === undefined)
      trace.notes.push('The list of RCP-supported services could not be read; RCPs were applied.');
    const r = evalLevels(policies.rcp, run.candidates?.rcp, run, 'rcp', why);
    allFlags |= r.flags;
    rcp = r.verdict;
    rcpFailedLevel = r.failedLevel;
    if (!trace && allFlags & DENY) return 'ExplicitlyDenied';
  }

  // VPC endpoint policy: when the request goes through an endpoint, its policy must allow too.
  // https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
  let endpoint: Tri = T;
  if (policies.endpoint !== undefined && policies.endpoint.length > 0) {
    const f = evalLayer(policies.endpoint, run.candidates?.endpoint, run, 'endpoint', true);
    allFlags |= f;
    endpoint = tri(f, ANY_ALLOW, ANY_UALLOW);
    if (!trace) {
      if (allFlags & DENY) return 'ExplicitlyDenied';
      if (endpoint === F) run.allowMatters = false;
    }
  }

  // The resource side: a role's trust policy, a KMS key policy, or any other resource policy.
  const trustGiven = policies.trust !== undefined && policies.trust.length > 0;
  const resourceGiven = policies.resource !== undefined && policies.resource.length > 0;
  let isTrust = trustGiven;
  let isKms = false;
  let resFlags = 0;
  if (trustGiven || resourceGiven) {
    if (!isTrust) isTrust = action.assume && isRoleArn(request.resource);
    isKms = !isTrust && action.service === 'kms' && arnService(request.resource) === 'kms';
    const list = (trustGiven ? policies.trust : policies.resource) ?? [];
    const candidates = trustGiven ? run.candidates?.trust : run.candidates?.resource;
    resFlags = evalLayer(list, candidates, run, isTrust ? 'trust' : 'resource', true);
    allFlags |= resFlags;
    if (!trace && allFlags & DENY) return 'ExplicitlyDenied';
  } else if (trace && action.service === 'kms' && arnService(request.resource) === 'kms') {
    trace.notes.push(
      'No key policy was given: AWS KMS requires the key policy to allow every request, so this evaluation covers only the policies given.',
    );
  }
  const resDirect = tri(resFlags, ALLOW_DIRECT, UALLOW_DIRECT);
  const resRole = tri(resFlags, ALLOW_ROLE, UALLOW_ROLE);
  const resAccount = tri(resFlags, ALLOW_ACCOUNT, UALLOW_ACCOUNT);
  const resAny = or(or(resDirect, resRole), resAccount);

  // The identity side: identity policies ∩ permissions boundary ∩ session policy.
  let identity: Tri = F;
  let boundary: Tri = T;
  let session: Tri = T;
  const idGiven = policies.identity !== undefined && policies.identity.length > 0;
  const sessionGiven = policies.session !== undefined && policies.session.length > 0;
  if (who.kind === 'root') {
    // The root user has full access in its own account; only SCPs/RCPs and explicit denies limit it.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
    identity = T;
    if (idGiven)
      allFlags |= evalLayer(policies.identity ?? [], run.candidates?.identity, run, 'identity', false);
    else skipLayer(run, 'identity', 'The account root user needs no identity policy.');
  } else if (iamCaller) {
    if (idGiven) {
      const f = evalLayer(policies.identity ?? [], run.candidates?.identity, run, 'identity', false);
      allFlags |= f;
      identity = tri(f, ALLOW_DIRECT, UALLOW_DIRECT);
    } else {
      skipLayer(run, 'identity', 'No identity policies were given.');
    }
    if (boundaryGiven) {
      const f = evalLayer(policies.boundary ?? [], run.candidates?.boundary, run, 'boundary', false);
      allFlags |= f;
      boundary = tri(f, ALLOW_DIRECT, UALLOW_DIRECT);
    }
    if (sessionGiven) {
      const f = evalLayer(policies.session ?? [], run.candidates?.session, run, 'session', false);
      allFlags |= f;
      session = tri(f, ALLOW_DIRECT, UALLOW_DIRECT);
    }
  } else if (trace) {
    const kind =
      who.kind === 'service'
        ? 'service principal'
        : who.kind === 'anonymous'
          ? 'anonymous caller'
          : 'caller of this kind';
    const note = `A ${kind} has no identity policies; only resource-based policies can grant it access.`;
    if (idGiven) skipLayer(run, 'identity', note);
    if (boundaryGiven) skipLayer(run, 'boundary', note);
    if (sessionGiven) skipLayer(run, 'session', note);
  }

  const idSide = and(and(identity, boundary), session);
  const limits = and(boundary, session);
  let core: Tri;
  if (!hasAccount) {
    core = resAny;
  } else if (crossAccount) {
    // Cross-account: the caller's account must allow (identity side) and the resource policy must allow.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
    core = and(idSide, resAny);
  } else if (isTrust) {
    // Same account: a trust policy naming the caller lets it assume the role without an identity
    // policy, but its boundary must still allow sts:AssumeRole; naming the account delegates to identity policies.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
    core = or(and(or(resDirect, resRole), limits), and(resAccount, idSide));
  } else if (isKms) {
    // The key policy must allow: directly, or by delegating to the account's IAM policies.
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
    core = or(or(resDirect, and(resRole, limits)), and(resAccount, idSide));
  } else {
    // Same account: identity OR resource policy. A grant to the user or the role session itself is
    // not limited by boundary/session implicit denies; a grant to the role ARN is.
    core = or(or(idSide, resDirect), and(resRole, limits));
  }
  const allowed = and(and(and(scp, rcp), endpoint), core);
  const explicitDeny = tri(allFlags, DENY, UDENY);
  const decision = decisionOf(explicitDeny, allowed);
  if (!trace) return decision;
  return explainRun(trace, {
    who,
    principalAccount,
    resourceAccount,
    hasAccount,
    crossAccount,
    isTrust,
    isKms,
    scp,
    scpFailedLevel,
    rcp,
    rcpFailedLevel,
    endpoint,
    identity,
    boundary,
    session,
    idSide,
    resDirect,
    resRole,
    resAny,
    explicitDeny,
    allowed,
  });
}

function outcomeOf(v: Verdicts): Outcome {
  const decision = decisionOf(v.explicitDeny, v.allowed);
  switch (decision) {
    case 'ExplicitlyDenied':
      return {
        decision,
        reasonCode: 'explicit-deny',
        reason: 'An explicit Deny statement matched the request.',
      };
    case 'Allowed':
      return { decision, reasonCode: 'allowed', reason: allowedReason(v) };
    case 'ImplicitlyDenied': {
      const [reasonCode, reason] = implicitDenyReason(v);
      const extra =
        v.explicitDeny === U
          ? ' A Deny statement that could not be evaluated could only make the denial explicit.'
          : '';
      return { decision, reasonCode, reason: reason + extra };
    }
    default:
      return {
        decision,
        reasonCode: 'unknown',
        reason: 'The outcome depends on policy content the engine cannot evaluate (see unknowns).',
      };
  }
}

function allowedReason(v: Verdicts): string {
  if (v.who.kind === 'root' && v.hasAccount)
    return 'The account root user is allowed unless an explicit Deny, SCP or RCP stops it.';
  if (!v.hasAccount) return 'A resource-based policy allows this caller.';
  if (v.crossAccount)
    return 'Cross-account access: both the caller’s identity policies and the resource policy allow the request.';
  if (v.isTrust) return 'The role trust policy allows the caller to assume the role.';
  if (v.isKms) return 'The key policy allows the request.';
  return v.idSide === T
    ? 'An identity-based policy allows the request.'
    : 'A resource-based policy allows the request.';
}

function identitySideFailure(v: Verdicts): [string, string] {
  if (v.identity === F) return ['no-allow', 'No identity-based policy allows the request.'];
  if (v.boundary === F) return ['boundary-no-allow', 'The permissions boundary does not allow the request.'];
  if (v.session === F) return ['session-no-allow', 'The session policy does not allow the request.'];
  return ['no-allow', 'No policy allows the request.'];
}

function implicitDenyReason(v: Verdicts): [string, string] {
  if (v.rcp === F)
    return ['rcp-no-allow', `No RCP at organization level ${v.rcpFailedLevel} allows the request.`];
  if (v.scp === F)
    return ['scp-no-allow', `No SCP at organization level ${v.scpFailedLevel} allows the request.`];
  if (v.endpoint === F) return ['endpoint-no-allow', 'The VPC endpoint policy does not allow the request.'];
  if (!v.hasAccount) return ['no-allow', 'No resource-based policy allows this caller.'];
  if (v.resAny === F && v.isTrust)
    return ['trust-policy-no-allow', 'The role trust policy does not allow this caller.'];
  if (v.resAny === F && v.isKms)
    return ['kms-key-policy-no-allow', 'The key policy does not allow this caller.'];
  if (v.crossAccount) {
    if (v.resAny === F) {
      return [
        'cross-account-resource-no-allow',
        `Cross-account request: no resource-based policy in account ${v.resourceAccount} allows the caller.`,
      ];
    }
    if (v.identity === F) {
      return [
        'cross-account-identity-no-allow',
        `Cross-account request: no identity-based policy in account ${v.principalAccount} allows the request.`,
      ];
    }
    return identitySideFailure(v);
  }
  // A grant to the role (or, for a trust policy, to the caller) that the boundary or session policy cuts off.
  const limitedGrant = v.isTrust ? or(v.resDirect, v.resRole) === T : v.resRole === T;
  if (limitedGrant) {
    if (v.boundary === F)
      return ['boundary-no-allow', 'The permissions boundary does not allow the request.'];
    if (v.session === F) return ['session-no-allow', 'The session policy does not allow the request.'];
  }
  if (!v.isTrust && !v.isKms && v.identity === F) {
    return ['no-allow', 'No identity-based or resource-based policy allows the request.'];
  }
  return identitySideFailure(v);
}

function explainRun(trace: Trace, v: Verdicts): EvaluationResult {
  const outcome = outcomeOf(v);
  let found: (DecidingStatement & { readonly how?: number }) | undefined;
  if (outcome.decision === 'ExplicitlyDenied') {
    found = trace.firstDeny;
  } else if (outcome.decision === 'Allowed') {
    const resourceKey = v.isTrust ? 'trust' : 'resource';
    const byIdentity = v.idSide === T && v.hasAccount && !v.crossAccount && !v.isTrust && !v.isKms;
    found = byIdentity
      ? trace.firstAllow.get('identity')
      : (trace.firstAllow.get(resourceKey) ?? trace.firstAllow.get('identity'));
  }
  let decidedBy: DecidingStatement | undefined;
  if (found) {
    const { how: _how, ...plain } = found;
    decidedBy = plain;
  }
  const explanation: Explanation = {
    decision: outcome.decision,
    reasonCode: outcome.reasonCode,
    reason: outcome.reason,
    ...(v.principalAccount !== undefined ? { principalAccount: v.principalAccount } : {}),
    ...(v.resourceAccount !== undefined ? { resourceAccount: v.resourceAccount } : {}),
    crossAccount: v.crossAccount,
    ...(decidedBy ? { decidedBy } : {}),
    layers: trace.layers,
    ...(outcome.decision === 'Unknown' ? { unknowns: trace.unknowns } : {}),
    ...(trace.notes.length > 0 ? { notes: trace.notes } : {}),
  };
  return { decision: outcome.decision, explanation };
}
