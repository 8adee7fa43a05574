/**
 * Who outside the zone of trust can act through one resource policy or role trust policy, decided
 * by the policy engine: the policy is probed with representative external principals (anonymous,
 * an unknown account's role, each account, role, service and federated provider the policy names)
 * over the actions the resource type supports, each caller holding full permissions in its own
 * account (the worst case, as IAM Access Analyzer assumes), with request contexts an outsider could
 * present. Conditions the snapshot cannot know decide the class of the verdict: a grant that holds
 * only for our organization, our VPC endpoints or our own resources is not external; one that
 * needs a source IP range, an ExternalId or particular token claims is external but narrowed.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
import { getCatalog } from '../../catalog/index.js';
import type { ActionSet } from '../../catalog/types.js';
import type { StoredPolicy } from '../../model/account.js';
import type { PolicyEvidence } from '../../model/finding.js';
import type { Policy, Statement } from '../../model/policy.js';
import type { AuthorizationRequest } from '../../model/request.js';
import {
  type CompiledPolicySet,
  compilePolicySet,
  type EvaluablePolicy,
  evaluate,
  explain,
} from '../../policy/evaluate/index.js';
import { parsePolicy } from '../../policy/parse/index.js';
import { freeValues, instantiate, type KeyUse, keyClass, keyUses, OTHER_VALUE } from './condition-keys.js';
import { addressInside, addressOutside, type Ipv4Range, parseIpv4Range } from './ipv4.js';
import { orgInZone, type TrustZone } from './zone.js';

export type ExternalPrincipalClass = 'anyone' | 'any-account' | 'account' | 'service' | 'federated';

/** A condition the grant needs, with the values the policy names (IP ranges, ExternalIds, token claims). */
export interface Narrowing {
  readonly key: string;
  readonly values: readonly string[];
}

export interface ExternalGrant {
  readonly principalClass: ExternalPrincipalClass;
  /** `*`, an account id, a principal ARN, a service principal or a federated provider. */
  readonly principal: string;
  /** The outside account: the principal's, or for a service the account it acts for. */
  readonly account?: string;
  /** Inside the zone of trust (only named accounts and providers can be): kept for the third-party register. */
  readonly inZone: boolean;
  /** Actions the principal is allowed, sorted. */
  readonly actions: readonly string[];
  /** Conditions with values only some outsiders can meet; empty when any such principal can act. */
  readonly narrowedBy: readonly Narrowing[];
  readonly externalId: boolean;
  /** A service principal allowed with no aws:SourceAccount / aws:SourceArn / aws:SourceOrgID tying it to our resources. */
  readonly withoutSourceCondition: boolean;
  /** Some requests were undecidable (policy errors, unevaluable conditions): the grant may exist. */
  readonly uncertain: boolean;
  /** The statement that allowed the first request found. */
  readonly evidence?: PolicyEvidence;
}

export interface PolicyExposure {
  readonly grants: readonly ExternalGrant[];
  /** Actions probed per principal. */
  readonly actionsConsidered: number;
  /** The context search hit its bound somewhere: a grant could have been missed. */
  readonly truncated: boolean;
}

export interface ExposureTarget {
  /** The resource ARN (bucket, queue, key, …) or the role ARN for a trust policy. */
  readonly arn: string;
  readonly accountId: string;
  readonly kind: 'resource' | 'trust';
  /** The resource's service prefix (`s3`); `iam` for trust policies. */
  readonly service: string;
}

export interface ExposureOptions {
  /** The resource account's RCP levels (root first): they bind external callers too. */
  readonly rcp?: readonly (readonly StoredPolicy[])[];
  readonly managementAccount?: string;
}

/** The outside account used when the policy names none: it stands for "any AWS account". */
const UNKNOWN_ACCOUNTS = ['999999999999', '999999999998'];
const PROBE_ROLE = 'leastpriv-probe';
const PROBE_ORG = 'o-leastprivprb';
const PROBE_VPC = 'vpc-0leastprivprobe';
const PROBE_VPCE = 'vpce-0leastprivprobe';
const PROBE_USERID = 'AROALEASTPRIVPROBE0000:probe';
/** Bound on contexts tried per principal, action and phase. */
const CONTEXT_LIMIT = 256;
const NAMED_LIMIT = 32;

const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

/** The one `sts:AssumeRole*` call each kind of caller makes: AWS principals and services AssumeRole, SAML and OIDC providers their own. */
function trustActionFor(probe: Probe): string {
  if (probe.kind !== 'federated') return 'sts:AssumeRole';
  return probe.principal.includes(':saml-provider/')
    ? 'sts:AssumeRoleWithSAML'
    : 'sts:AssumeRoleWithWebIdentity';
}

/** The resource types a resource policy of each service governs (catalog names, lower-cased). */
const RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  s3: ['bucket', 'object'],
  sqs: ['queue'],
  sns: ['topic'],
  kms: ['key'],
  lambda: ['function', 'function alias', 'function version'],
  ecr: ['repository'],
  secretsmanager: ['secret'],
};

let fullAccess: EvaluablePolicy | undefined;
/** The outside caller's own identity policy: everything, as Access Analyzer assumes. */
function outsiderIdentity(): EvaluablePolicy {
  if (!fullAccess) {
    const parsed = parsePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      { type: 'identity' },
    );
    if (!parsed.policy) throw new Error('the built-in full-access policy did not parse');
    fullAccess = {
      name: 'outside caller (full access in its own account)',
      policy: parsed.policy,
      issues: parsed.issues,
    };
  }
  return fullAccess;
}

const supportedCache = new Map<string, ActionSet>();

function supportedActions(target: ExposureTarget): ActionSet {
  const key = target.kind === 'trust' ? 'trust' : target.service;
  let set = supportedCache.get(key);
  if (!set) {
    const catalog = getCatalog();
    let acc = catalog.emptySet();
    if (target.kind === 'trust') {
      for (const a of TRUST_ACTIONS) acc = acc.union(catalog.expandActionPattern(a).set);
    } else {
      const types = RESOURCE_TYPES[target.service];
      const all = catalog.expandActionPattern(`${target.service}:*`).set;
      if (!types) acc = all;
      else {
        for (const i of all.indices()) {
          const info = catalog.actionByIndex(i);
          if (info.resourceTypes.some((r) => types.includes(r.name.toLowerCase()))) {
            acc = acc.union(catalog.expandActionPattern(info.fullName).set);
          }
        }
      }
    }
    set = acc;
    supportedCache.set(key, set);
  }
  return set;
}

/**
 * Actions some Allow statement could grant, ascending: the only ones worth probing. Each supported
 * action is tested against the statements' pattern sets (a few dozen at most) instead of building
 * a catalog-wide set per pattern.
 */
function allowedByStatements(policy: Policy, supported: ActionSet): number[] {
  const catalog = getCatalog();
  const allows: { readonly not: boolean; readonly sets: readonly ActionSet[] }[] = [];
  for (const s of policy.statements) {
    if (s.effect !== 'Allow') continue;
    // NotAction: what its patterns leave out; neither element: nothing.
    if (!s.notAction && !s.action) continue;
    const sets = (s.action ?? s.notAction ?? []).map((p) => catalog.expandActionPattern(p).set);
    allows.push({ not: s.notAction !== undefined, sets });
  }
  const out: number[] = [];
  for (const i of supported.indices()) {
    for (const a of allows) {
      const named = a.sets.some((set) => set.has(i));
      if (a.not ? !named : named) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

type ProbeKind = 'anonymous' | 'iam' | 'service' | 'federated';

interface Probe {
  readonly principal: string;
  readonly kind: ProbeKind;
  readonly cls: ExternalPrincipalClass;
  readonly account?: string;
  readonly inZone: boolean;
}

function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  const account = parts[4];
  return parts[0] === 'arn' && account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

function isAccountId(text: string): boolean {
  return /^\d{12}$/.test(text);
}

/** The principals to probe: anyone, any account, and every outside identity the policy names. */
function probesFor(
  policy: Policy,
  target: ExposureTarget,
  zone: TrustZone,
  uses: Map<string, KeyUse>,
): Probe[] {
  const probes: Probe[] = [];
  const seen = new Set<string>();
  const add = (p: Probe): void => {
    if (seen.has(p.principal) || probes.length >= NAMED_LIMIT) return;
    seen.add(p.principal);
    probes.push(p);
  };
  add({ principal: 'anonymous', kind: 'anonymous', cls: 'anyone', inZone: false });
  const unknown = UNKNOWN_ACCOUNTS.find((a) => !zone.accounts.has(a)) ?? '999999999999';
  add({
    principal: `arn:aws:iam::${unknown}:role/${PROBE_ROLE}`,
    kind: 'iam',
    cls: 'any-account',
    account: unknown,
    inZone: false,
  });
  const addAccount = (account: string): void => {
    if (account === target.accountId) return;
    add({
      principal: `arn:aws:iam::${account}:role/${PROBE_ROLE}`,
      kind: 'iam',
      cls: 'account',
      account,
      inZone: zone.accounts.has(account),
    });
  };
  const addArn = (arn: string): void => {
    const account = accountOfArn(arn);
    if (!account || account === target.accountId) return;
    const kind = arn.split(':')[5] ?? '';
    const named = kind.startsWith('role/') || kind.startsWith('user/') || kind.startsWith('assumed-role/');
    if (!named) {
      addAccount(account);
      return;
    }
    add({ principal: arn, kind: 'iam', cls: 'account', account, inZone: zone.accounts.has(account) });
  };
  let wildcard = false;
  let sourceService: string | undefined;
  for (const s of policy.statements) {
    const p = s.principal ?? s.notPrincipal;
    if (!p) continue;
    if (s.notPrincipal || p.wildcard || p.aws.includes('*')) wildcard = true;
    for (const v of p.aws) {
      if (v === '*') continue;
      if (isAccountId(v)) addAccount(v);
      else if (v.startsWith('arn:')) addArn(v);
    }
    for (const svc of p.service) {
      if (svc === '*') continue;
      add({ principal: svc, kind: 'service', cls: 'service', inZone: false });
    }
    for (const f of p.federated) {
      const account = accountOfArn(f);
      const saml = f.includes(':saml-provider/');
      const inZone =
        (zone.federated?.has(f) ?? false) || (saml && account !== undefined && zone.accounts.has(account));
      add({ principal: f, kind: 'federated', cls: 'federated', ...(account ? { account } : {}), inZone });
    }
  }
  for (const key of ['aws:principalaccount', 'kms:calleraccount']) {
    for (const v of uses.get(key)?.values ?? []) {
      const value = instantiate(v);
      if (isAccountId(value)) addAccount(value);
    }
  }
  for (const v of uses.get('aws:principalarn')?.values ?? []) {
    const value = instantiate(v).replace(/^arn:aws:iam::probe:/, `arn:aws:iam::${unknown}:`);
    if (value.startsWith('arn:')) addArn(value);
  }
  const sourceUse = uses.get('aws:sourcearn');
  if (sourceUse) {
    const svc = sourceUse.values[0]?.split(':')[2];
    if (svc && /^[a-z0-9-]+$/.test(svc)) sourceService = `${svc}.amazonaws.com`;
  }
  const readsSource = [
    'aws:sourceaccount',
    'aws:sourcearn',
    'aws:sourceowner',
    'aws:sourceorgid',
    'aws:sourceorgpaths',
  ].some((k) => uses.has(k));
  // A wildcard principal also matches AWS services acting for some account's resource.
  if (wildcard && readsSource) {
    add({
      principal: sourceService ?? 'leastpriv-probe.amazonaws.com',
      kind: 'service',
      cls: 'service',
      inZone: false,
    });
  }
  return probes;
}

type Ctx = Record<string, string | string[]>;

interface Option {
  readonly set: readonly (readonly [string, string | string[]])[];
  /** A narrowing key the option fills with a value the policy names. */
  readonly narrow?: Narrowing;
  /** For service probes: the account the service acts for (`undefined`: no source keys at all). */
  readonly sourceAccount?: string;
  readonly sourceGeneric?: boolean;
}

const NONE: Option = { set: [] };

function ipRanges(use: KeyUse | undefined): Ipv4Range[] {
  const out: Ipv4Range[] = [];
  for (const v of use?.values ?? []) {
    const r = parseIpv4Range(v);
    if (r) out.push(r);
  }
  return out;
}

function ipInside(value: string): string {
  const r = parseIpv4Range(value);
  if (r) return addressInside(r);
  // IPv6: the network address with a host part, good enough for a representative.
  const slash = value.indexOf('/');
  const base = slash === -1 ? value : value.slice(0, slash);
  return base.endsWith('::') ? `${base}1` : base;
}

interface Dimensions {
  /** Without narrowing values (phase 1). */
  readonly plain: Option[][];
  /** Narrowing dimensions with their narrowing options added (phase 2); empty when nothing narrows. */
  readonly narrowed: Option[][] | undefined;
  /** Service probes: the source options, searched one at a time. */
  readonly sources: Option[];
}

function dimensionsFor(
  probe: Probe,
  uses: Map<string, KeyUse>,
  zone: TrustZone,
  target: ExposureTarget,
): Dimensions {
  const plain: Option[][] = [];
  const narrowing: { plain: Option[]; extra: Option[] }[] = [];
  const sources: Option[] = [NONE];
  const has = (k: string): boolean => uses.has(k);
  const valuesOf = (k: string): readonly string[] => uses.get(k)?.values ?? [];

  // The caller's organization: an outsider is in no organization, some other one, or one the policy names that we do not trust.
  if (probe.kind === 'iam' && (has('aws:principalorgid') || has('aws:principalorgpaths'))) {
    if (probe.inZone) {
      const org = [...zone.organizations][0];
      plain.push([
        org
          ? {
              set: [
                ['aws:PrincipalOrgID', org],
                ['aws:PrincipalOrgPaths', [`${org}/`]],
              ],
            }
          : NONE,
      ]);
    } else {
      const options: Option[] = [
        NONE,
        {
          set: [
            ['aws:PrincipalOrgID', PROBE_ORG],
            ['aws:PrincipalOrgPaths', [`${PROBE_ORG}/r-prb0/`]],
          ],
        },
      ];
      for (const v of [...valuesOf('aws:principalorgid'), ...valuesOf('aws:principalorgpaths')]) {
        const value = instantiate(v);
        const org = value.split('/')[0] ?? value;
        if (orgInZone(zone, org) || !org.startsWith('o-')) continue;
        options.push({
          set: [
            ['aws:PrincipalOrgID', org],
            ['aws:PrincipalOrgPaths', [value.includes('/') ? value : `${org}/r-prb0/`]],
          ],
        });
      }
      plain.push(options);
    }
  }

  // The source of a service request: none, any other account's resource, or a named outside one.
  const sourceKeys = [
    'aws:sourceaccount',
    'aws:sourcearn',
    'aws:sourceowner',
    'aws:sourceorgid',
    'aws:sourceorgpaths',
  ];
  if (probe.kind === 'service' && sourceKeys.some(has)) {
    const svc = probe.principal.split('.')[0] ?? 'service';
    const sourceFor = (account: string, arn?: string): Option => ({
      set: [
        ['aws:SourceAccount', account],
        ['aws:SourceOwner', account],
        ['aws:SourceArn', arn ?? `arn:aws:${svc}:us-east-1:${account}:${PROBE_ROLE}`],
        ['aws:SourceOrgID', PROBE_ORG],
        ['aws:SourceOrgPaths', [`${PROBE_ORG}/r-prb0/`]],
      ],
      sourceAccount: account,
    });
    const unknown = UNKNOWN_ACCOUNTS.find((a) => !zone.accounts.has(a)) ?? '999999999999';
    sources.push({ ...sourceFor(unknown), sourceGeneric: true });
    const named = new Set<string>();
    for (const v of [...valuesOf('aws:sourceaccount'), ...valuesOf('aws:sourceowner')]) {
      const value = instantiate(v);
      if (isAccountId(value) && !zone.accounts.has(value) && !named.has(value)) {
        named.add(value);
        sources.push(sourceFor(value));
      }
    }
    for (const v of valuesOf('aws:sourcearn')) {
      const value = instantiate(v);
      const account = accountOfArn(value);
      if (account && !zone.accounts.has(account)) sources.push(sourceFor(account, value));
      else if (!account && value.split(':')[4] === 'probe') {
        // `arn:aws:sns:*:*:topic`: any account's resource of that name.
        const arn = value.split(':');
        arn[4] = unknown;
        sources.push({ ...sourceFor(unknown, arn.join(':')), sourceGeneric: true });
      }
    }
  }

  // The network: no VPC, the outsider's own endpoint, or a named one we know is not ours.
  if (
    probe.kind !== 'service' &&
    (has('aws:sourcevpc') || has('aws:sourcevpce') || has('aws:sourcevpcarn'))
  ) {
    const options: Option[] = [
      NONE,
      {
        set: [
          ['aws:SourceVpc', PROBE_VPC],
          ['aws:SourceVpce', PROBE_VPCE],
        ],
      },
    ];
    if (zone.vpcs)
      for (const v of valuesOf('aws:sourcevpc'))
        if (!zone.vpcs.has(v)) options.push({ set: [['aws:SourceVpc', instantiate(v)]] });
    if (zone.vpces)
      for (const v of valuesOf('aws:sourcevpce'))
        if (!zone.vpces.has(v)) options.push({ set: [['aws:SourceVpce', instantiate(v)]] });
    plain.push(options);
  }

  // The resource's organization is a fact of the resource; unknown, any value the policy names may hold.
  if (has('aws:resourceorgid') || has('aws:resourceorgpaths')) {
    if (zone.resourceOrgId) {
      plain.push([
        {
          set: [
            ['aws:ResourceOrgID', zone.resourceOrgId],
            ['aws:ResourceOrgPaths', [`${zone.resourceOrgId}/`]],
          ],
        },
      ]);
    } else {
      const options: Option[] = [NONE];
      for (const v of valuesOf('aws:resourceorgid'))
        options.push({ set: [['aws:ResourceOrgID', instantiate(v)]] });
      for (const v of valuesOf('aws:resourceorgpaths'))
        options.push({ set: [['aws:ResourceOrgPaths', [instantiate(v)]]] });
      plain.push(options);
    }
  }

  if (has('kms:calleraccount') && probe.account)
    plain.push([{ set: [['kms:CallerAccount', probe.account]] }]);
  if (has('aws:userid') && probe.kind === 'iam') plain.push([{ set: [['aws:userid', PROBE_USERID]] }]);

  // Narrowing keys: phase 1 without the policy's values, phase 2 with them.
  const ipUse = uses.get('aws:sourceip');
  if (ipUse && probe.kind !== 'service') {
    const outside: Option = { set: [['aws:SourceIp', addressOutside(ipRanges(ipUse))]] };
    const extra = ipUse.values.map(
      (v): Option => ({
        set: [['aws:SourceIp', ipInside(v)]],
        narrow: { key: 'aws:SourceIp', values: ipUse.values },
      }),
    );
    narrowing.push({ plain: [outside], extra });
  }
  const extUse = uses.get('sts:externalid');
  if (extUse && target.kind === 'trust' && probe.kind === 'iam') {
    narrowing.push({
      plain: [NONE, { set: [['sts:ExternalId', OTHER_VALUE]] }],
      extra: extUse.values.map(
        (v): Option => ({
          set: [['sts:ExternalId', instantiate(v)]],
          narrow: { key: 'sts:ExternalId', values: extUse.values },
        }),
      ),
    });
  }

  for (const [key, use] of uses) {
    const cls = keyClass(key);
    if (cls === 'claim') {
      if (probe.kind !== 'federated') continue;
      narrowing.push({
        plain: [NONE, { set: [[key, OTHER_VALUE]] }],
        extra: freeValues(use)
          .filter((v) => v !== OTHER_VALUE)
          .map((v): Option => ({ set: [[key, v]], narrow: { key, values: use.values } })),
      });
    } else if (cls === 'free') {
      plain.push([NONE, ...freeValues(use).map((v): Option => ({ set: [[key, v]] }))]);
    } else if (cls === 'network' && probe.kind === 'service') {
      // Services calling on their own behalf come from no VPC.
    }
  }
  const narrowedDims =
    narrowing.length > 0 ? [...narrowing.map((n) => [...n.plain, ...n.extra]), ...plain] : undefined;
  return {
    plain: [...narrowing.map((n) => n.plain), ...plain],
    narrowed: narrowedDims,
    sources,
  };
}

interface SearchResult {
  readonly decision: 'allowed' | 'unknown' | 'denied';
  readonly narrows: readonly Narrowing[];
  readonly request?: AuthorizationRequest;
  readonly truncated: boolean;
}

/** Tries contexts (the product of the dimensions' options, bounded) until one is allowed. */
function search(
  set: CompiledPolicySet,
  base: Omit<AuthorizationRequest, 'context'>,
  fixed: Option,
  dims: readonly Option[][],
): SearchResult {
  const counters = new Array<number>(dims.length).fill(0);
  let unknown = false;
  let tried = 0;
  for (;;) {
    if (tried >= CONTEXT_LIMIT)
      return { decision: unknown ? 'unknown' : 'denied', narrows: [], truncated: true };
    tried++;
    const ctx: Ctx = Object.create(null);
    const narrows: Narrowing[] = [];
    for (const [k, v] of fixed.set) ctx[k] = v;
    for (let d = 0; d < dims.length; d++) {
      const option = dims[d]?.[counters[d] ?? 0];
      if (!option) continue;
      for (const [k, v] of option.set) ctx[k] = v;
      if (option.narrow) narrows.push(option.narrow);
    }
    const request: AuthorizationRequest = { ...base, context: ctx };
    const decision = evaluate(set, request);
    if (decision === 'Allowed') return { decision: 'allowed', narrows, request, truncated: false };
    if (decision === 'Unknown') unknown = true;
    // Next combination (odometer).
    let d = 0;
    for (; d < dims.length; d++) {
      const c = (counters[d] ?? 0) + 1;
      if (c < (dims[d]?.length ?? 1)) {
        counters[d] = c;
        break;
      }
      counters[d] = 0;
    }
    if (d === dims.length) return { decision: unknown ? 'unknown' : 'denied', narrows: [], truncated: false };
  }
}

/** Resource ARNs to ask about for an action: the resource itself, or objects under a bucket. */
function resourcesFor(target: ExposureTarget, actionIndex: number, policy: Policy): string[] {
  if (target.service !== 's3' || target.kind !== 'resource') return [target.arn];
  const info = getCatalog().actionByIndex(actionIndex);
  const types = info.resourceTypes.map((r) => r.name.toLowerCase());
  if (types.includes('bucket') || !types.includes('object')) return [target.arn];
  const out = [`${target.arn}/${PROBE_ROLE}`];
  for (const s of policy.statements) {
    for (const r of s.resource ?? []) {
      if (out.length >= 4) break;
      if (r.startsWith(`${target.arn}/`)) {
        const v = instantiate(r);
        if (!out.includes(v)) out.push(v);
      }
    }
  }
  return out;
}

function evidenceOf(
  set: CompiledPolicySet,
  request: AuthorizationRequest,
  policy: EvaluablePolicy,
): PolicyEvidence | undefined {
  const decided = explain(set, request).explanation.decidedBy;
  if (!decided || (decided.layer !== 'resource' && decided.layer !== 'trust')) return undefined;
  const stmt = policy.policy.statements.find((s) => s.index === decided.statement);
  const stored = policy as Partial<StoredPolicy>;
  return {
    policy: policy.name,
    ...(stored.arn ? { arn: stored.arn } : {}),
    ...(stored.source ? { source: stored.source } : {}),
    statement: decided.statement,
    ...(decided.sid !== undefined ? { sid: decided.sid } : {}),
    ...(stmt && stmt.pos.line > 0 ? { line: stmt.pos.line, column: stmt.pos.column } : {}),
  };
}

interface Accumulator {
  readonly probe: Probe;
  readonly key: string;
  account?: string;
  withoutSource: boolean;
  readonly actions: Set<string>;
  readonly narrows: Map<string, Set<string>>;
  uncertain: boolean;
  evidence?: PolicyEvidence;
  request?: AuthorizationRequest;
  narrowed: boolean;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The external grants of one resource or trust policy. Pure and deterministic; callers memoise per
 * snapshot (see `externalAccess`).
 */
export function analyzePolicyExposure(
  policy: EvaluablePolicy,
  target: ExposureTarget,
  zone: TrustZone,
  options: ExposureOptions = {},
): PolicyExposure {
  // Organizations repeat the same documents (service trusts, vendor trusts): analyse each text once per zone.
  const key = `${target.kind}|${target.service}|${target.accountId}|${target.kind === 'resource' ? target.arn : ''}|${idOf(options.rcp)}|${options.managementAccount ?? ''}|${contentKey(policy)}`;
  let byZone = memo.get(zone);
  if (!byZone) {
    byZone = new Map();
    memo.set(zone, byZone);
  }
  const hit = byZone.get(key);
  if (hit) return withEvidenceOf(hit, policy);
  const result = analyzeUncached(policy, target, zone, options);
  if (byZone.size >= MEMO_LIMIT) byZone.clear();
  byZone.set(key, result);
  return result;
}

const MEMO_LIMIT = 4096;
const memo = new WeakMap<TrustZone, Map<string, PolicyExposure>>();
const ids = new WeakMap<object, number>();
let nextId = 1;

function idOf(value: object | undefined): number {
  if (!value) return 0;
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

/** Everything evaluation reads from a document; positions and names left out. */
function contentKey(policy: EvaluablePolicy): string {
  const errors = (policy.issues ?? []).filter((i) => i.severity === 'ERROR').length;
  return JSON.stringify([
    errors,
    policy.policy.version ?? null,
    policy.policy.statements.map((s) => [
      s.effect,
      s.action ?? null,
      s.notAction ?? null,
      s.resource ?? null,
      s.notResource ?? null,
      principalKey(s.principal),
      principalKey(s.notPrincipal),
      s.conditions.map((c) => [c.operator, c.key, c.values]),
    ]),
  ]);
}

function principalKey(p: Statement['principal']): unknown {
  return p ? [p.wildcard, p.aws, p.service, p.federated, p.canonicalUser] : null;
}

/** A memoised result told about the policy it is reused for (same statements, other name and source). */
function withEvidenceOf(result: PolicyExposure, policy: EvaluablePolicy): PolicyExposure {
  const stored = policy as Partial<StoredPolicy>;
  return {
    ...result,
    grants: result.grants.map((g) => {
      if (!g.evidence) return g;
      const stmt = policy.policy.statements.find((s) => s.index === g.evidence?.statement);
      const { policy: _name, arn: _arn, source: _source, line: _line, column: _column, ...rest } = g.evidence;
      return {
        ...g,
        evidence: {
          ...rest,
          policy: policy.name,
          ...(stored.arn ? { arn: stored.arn } : {}),
          ...(stored.source ? { source: stored.source } : {}),
          ...(stmt && stmt.pos.line > 0 ? { line: stmt.pos.line, column: stmt.pos.column } : {}),
        },
      };
    }),
  };
}

function analyzeUncached(
  policy: EvaluablePolicy,
  target: ExposureTarget,
  zone: TrustZone,
  options: ExposureOptions,
): PolicyExposure {
  const doc = policy.policy;
  const supported = supportedActions(target);
  const candidates = allowedByStatements(doc, supported);
  const incomplete = (policy.issues ?? []).some((i) => i.severity === 'ERROR');
  // A policy with errors may have lost statements: probe every action the resource supports.
  const actions = incomplete ? [...supported.indices()] : candidates;
  const uses = keyUses(doc);
  const probes = probesFor(doc, target, zone, uses);
  const layer = target.kind === 'trust' ? 'trust' : 'resource';
  const set = compilePolicySet(
    {
      identity: [outsiderIdentity()],
      [layer]: [policy],
      ...(options.rcp && options.rcp.length > 0 ? { rcp: options.rcp } : {}),
    },
    options.managementAccount ? { managementAccount: options.managementAccount } : {},
  );
  const catalog = getCatalog();
  const accs = new Map<string, Accumulator>();
  let truncated = false;
  for (const probe of probes) {
    const dims = dimensionsFor(probe, uses, zone, target);
    for (const source of dims.sources) {
      for (const index of actions) {
        const action = catalog.actionByIndex(index).fullName;
        if (target.kind === 'trust' && action !== trustActionFor(probe)) continue;
        for (const resource of resourcesFor(target, index, doc)) {
          const base = { principal: probe.principal, action, resource, resourceAccount: target.accountId };
          let r = search(set, base, source, dims.plain);
          let narrowed = false;
          if (r.decision !== 'allowed' && dims.narrowed) {
            const r2 = search(set, base, source, dims.narrowed);
            if (r2.decision === 'allowed' || r2.decision === 'unknown') {
              r = r2;
              narrowed = r2.decision === 'allowed';
            }
          }
          truncated ||= r.truncated;
          if (r.decision === 'denied') continue;
          const cls = probe.kind === 'service' ? 'service' : probe.cls;
          const acctKey = source.sourceAccount && !source.sourceGeneric ? source.sourceAccount : '';
          const key = `${probe.principal}|${acctKey}|${narrowed ? 'n' : 'p'}`;
          let acc = accs.get(key);
          if (!acc) {
            const account = probe.kind === 'service' ? acctKey || undefined : probe.account;
            acc = {
              probe: { ...probe, cls },
              key,
              ...(account ? { account } : {}),
              withoutSource: probe.kind === 'service' && (source === NONE || source.sourceGeneric === true),
              actions: new Set(),
              narrows: new Map(),
              uncertain: false,
              narrowed,
            };
            accs.set(key, acc);
          }
          acc.actions.add(action);
          if (r.decision === 'unknown') acc.uncertain = true;
          else if (!acc.request && r.request) acc.request = r.request;
          for (const n of r.narrows) {
            const values = acc.narrows.get(n.key) ?? new Set<string>();
            acc.narrows.set(n.key, values);
            for (const v of n.values) values.add(v);
          }
          break;
        }
      }
    }
  }
  const grants: ExternalGrant[] = [];
  for (const acc of accs.values()) {
    // A grant the search only found Unknown for every action stays uncertain; one with any allowed request is not.
    const uncertain = acc.request === undefined;
    const narrowedBy = [...acc.narrows]
      .map(([key, values]) => ({ key, values: [...values].sort(compareStrings) }))
      .sort((a, b) => compareStrings(a.key, b.key));
    const evidence = acc.request ? evidenceOf(set, acc.request, policy) : undefined;
    grants.push({
      principalClass: acc.probe.cls,
      principal:
        acc.probe.cls === 'anyone' || acc.probe.cls === 'any-account'
          ? '*'
          : acc.probe.principal.endsWith(`:role/${PROBE_ROLE}`) && acc.probe.account
            ? acc.probe.account
            : acc.probe.principal,
      ...(acc.account ? { account: acc.account } : {}),
      inZone: acc.probe.inZone,
      actions: [...acc.actions].sort(compareStrings),
      narrowedBy,
      externalId: narrowedBy.some((n) => n.key === 'sts:ExternalId'),
      withoutSourceCondition: acc.withoutSource,
      uncertain,
      ...(evidence ? { evidence } : {}),
    });
  }
  grants.sort(
    (a, b) =>
      compareStrings(a.principalClass, b.principalClass) ||
      compareStrings(a.principal, b.principal) ||
      compareStrings(a.account ?? '', b.account ?? '') ||
      a.narrowedBy.length - b.narrowedBy.length,
  );
  return { grants, actionsConsidered: actions.length, truncated };
}
