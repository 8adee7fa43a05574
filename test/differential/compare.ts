/**
 * One differential comparison: our decision against the oracle's, with every disagreement put in
 * a class. A class is "explained" only when a documented divergence (docs/divergences.md) is
 * confirmed by a counterfactual: rewriting the one construct the divergence is about makes the two
 * engines agree. Everything else is `unexplained` and fails the test.
 */
import type { Decision } from '../../src/model/request.js';
import { rcpSupportedServices } from '../../src/policy/evaluate/rcp-services.js';
import {
  accountOfArn,
  allDocuments,
  mapPolicies,
  type PolicyDocument,
  resourceAccountOf,
  type SimulateRequest,
} from './case.js';
import { engineDecision, PolicyParseError } from './engine.js';
import { type OracleDecision, runOracle, withoutContextKeys } from './oracle.js';

export type Outcome =
  | { readonly kind: 'agree'; readonly decision: Decision }
  /** The oracle refused the input (validation); nothing to compare. */
  | { readonly kind: 'oracle-refused'; readonly error: string }
  /** Our parser refused a policy the oracle accepted. */
  | { readonly kind: 'engine-refused'; readonly error: string; readonly oracle: OracleDecision }
  | {
      readonly kind: 'disagree';
      readonly ours: Decision;
      readonly oracle: OracleDecision;
      /** A documented divergence id (docs/divergences.md anchor), or `unexplained`. */
      readonly divergence: string;
      /** The request as both engines saw it (context keys the oracle ignores removed). */
      readonly request: SimulateRequest;
    };

/**
 * A counterfactual: a rewrite that removes exactly one documented divergence. Two kinds:
 * - `oracle-reading`: the rewrite spells out how the oracle reads the construct; the divergence is
 *   confirmed when our engine, given the rewrite, decides what the oracle decided on the original.
 * - `supply-missing`: the rewrite removes or completes the construct that AWS would ignore or always
 *   have (an RCP on a service RCPs do not cover, a KMS key's default key policy); confirmed when our
 *   decision does not change and the oracle, given the rewrite, agrees with it.
 */
interface DivergenceCheck {
  /** Anchor in docs/divergences.md. */
  readonly id: string;
  readonly mode: 'oracle-reading' | 'supply-missing';
  /** Whether the construct occurs in the request at all (cheap filter). */
  applies(request: SimulateRequest): boolean;
  rewrite(request: SimulateRequest): SimulateRequest;
}

const serviceOf = (action: string) => action.split(':')[0]?.toLowerCase() ?? '';

const CHECKS: readonly DivergenceCheck[] = [
  {
    // AWS: under Version 2008-10-17 `${...}` is literal text; the oracle substitutes variables
    // whatever the Version. docs/divergences.md#v2008-variables
    id: 'v2008-variables',
    mode: 'oracle-reading',
    applies: (r) =>
      allDocuments(r).some((d) => d.Version !== '2012-10-17' && JSON.stringify(d).includes('${')),
    rewrite: (r) => mapPolicies(r, (d) => (d.Version === '2012-10-17' ? d : { ...d, Version: '2012-10-17' })),
  },
  {
    // AWS: RCPs restrict only the services on the RCP-supported list; the oracle applies them to
    // every service. docs/divergences.md#rcp-unsupported-service
    id: 'rcp-unsupported-service',
    mode: 'supply-missing',
    applies: (r) =>
      r.policies.rcp !== undefined && !(rcpSupportedServices()?.has(serviceOf(r.action)) ?? true),
    rewrite: (r) => {
      const { rcp: _dropped, ...rest } = r.policies;
      return { ...r, policies: rest };
    },
  },
  {
    // AWS: every KMS key has a key policy; a request file that omits it is evaluated by us as if
    // the default key policy (which enables IAM policies) were attached, by the oracle as if none
    // allowed anything. docs/divergences.md#kms-no-key-policy
    id: 'kms-no-key-policy',
    mode: 'supply-missing',
    applies: (r) =>
      r.policies.resource === undefined &&
      serviceOf(r.action) === 'kms' &&
      r.resource.startsWith('arn:aws:kms:'),
    rewrite: (r) => ({
      ...r,
      policies: { ...r.policies, resource: defaultKeyPolicy(resourceAccountOf(r) ?? '') },
    }),
  },
  {
    // The docs give two rules that disagree for a missing key under `ForAnyValue:...IfExists`;
    // the oracle (and a reported observation of AWS) makes the condition false, we make it true.
    // docs/divergences.md#foranyvalue-ifexists-missing-key
    id: 'foranyvalue-ifexists-missing-key',
    mode: 'oracle-reading',
    applies: (r) => allDocuments(r).some((d) => /ForAnyValue:[A-Za-z]+IfExists/i.test(JSON.stringify(d))),
    rewrite: (r) =>
      mapPolicies(r, (d) =>
        JSON.parse(JSON.stringify(d).replace(/(ForAnyValue:[A-Za-z]+?)IfExists/gi, '$1')),
      ),
  },
  {
    // AWS puts aws:ResourceAccount in the request context; our engine derives it from the
    // request's resource account, the oracle only reads what the context lists.
    // docs/divergences.md#derived-context-keys
    id: 'derived-context-keys',
    mode: 'supply-missing',
    applies: (r) => r.context?.['aws:ResourceAccount'] === undefined && resourceAccountOf(r) !== undefined,
    rewrite: (r) => ({ ...r, context: { ...r.context, 'aws:ResourceAccount': resourceAccountOf(r) ?? '' } }),
  },
  {
    // A Resource/NotResource value that is neither `*` nor an ARN (a template placeholder such as
    // `<third-party-resource>`): AWS refuses to store such a policy, so there is no AWS answer. We
    // read it as a pattern that matches nothing; the oracle ignores the statement.
    // docs/divergences.md#invalid-resource-value
    id: 'invalid-resource-value',
    mode: 'oracle-reading',
    applies: (r) => allDocuments(r).some((d) => statementList(d).some(hasInvalidResourceValue)),
    rewrite: (r) =>
      mapPolicies(r, (d) => ({
        ...d,
        Statement: statementList(d).map((st) =>
          hasInvalidResourceValue(st)
            ? { Effect: 'Deny', Action: 'madeup:Never', Resource: 'arn:aws:s3:::no-such-bucket-anywhere' }
            : st,
        ),
      })),
  },
  {
    // Date operators take epoch times in seconds; the oracle misreads an epoch policy value
    // compared with an ISO 8601 request time. Rewriting the value to the same instant in ISO 8601
    // keeps our decision and makes the oracle agree. docs/divergences.md#date-epoch-seconds
    id: 'date-epoch-seconds',
    mode: 'supply-missing',
    applies: (r) =>
      allDocuments(r).some((d) => /"[A-Za-z:]*Date[A-Za-z]*":\{[^}]*"\d{9,10}"/.test(JSON.stringify(d))),
    rewrite: (r) =>
      mapPolicies(r, (d) => ({
        ...d,
        Statement: statementList(d).map((st) => {
          const s = st as Record<string, unknown>;
          const cond = s.Condition as Record<string, Record<string, unknown>> | undefined;
          if (!cond) return st;
          const fixed: Record<string, Record<string, unknown>> = {};
          for (const [op, byKey] of Object.entries(cond)) {
            if (!/date/i.test(op)) {
              fixed[op] = byKey;
              continue;
            }
            const out: Record<string, unknown> = {};
            for (const [key, v] of Object.entries(byKey)) {
              const iso = (x: unknown) =>
                typeof x === 'string' && /^\d{9,10}$/.test(x)
                  ? new Date(Number(x) * 1000).toISOString().replace('.000Z', 'Z')
                  : x;
              out[key] = Array.isArray(v) ? v.map(iso) : iso(v);
            }
            fixed[op] = out;
          }
          return { ...s, Condition: fixed };
        }),
      })),
  },
  {
    // An IPv6 caller and IPv4-only ranges: NotIpAddress is true (the address is in none of the
    // ranges); the oracle makes it false. Rewriting the address to an IPv4 one outside every range
    // keeps our verdict and makes the oracle agree. docs/divergences.md#ip-family-mismatch
    id: 'ip-family-mismatch',
    mode: 'supply-missing',
    applies: (r) => String(r.context?.['aws:SourceIp'] ?? '').includes(':'),
    rewrite: (r) => ({ ...r, context: { ...r.context, 'aws:SourceIp': '192.0.2.77' } }),
  },
  {
    // AWS: a resource-based policy that grants to the session itself is not limited by the session
    // policy; the oracle lets a session policy's implicit deny override every resource-policy grant.
    // docs/divergences.md#session-policy-resource-grant
    id: 'session-policy-resource-grant',
    mode: 'oracle-reading',
    applies: (r) =>
      r.policies.session !== undefined &&
      r.policies.resource !== undefined &&
      accountOfArn(r.principal) === resourceAccountOf(r),
    rewrite: (r) => {
      const { resource: _dropped, ...rest } = r.policies;
      return { ...r, policies: rest };
    },
  },
  {
    // AWS: a Deny with NotPrincipal that lists the caller but not the caller's account still
    // denies it (the account is checked too); the oracle exempts the caller if any listed
    // principal matches it. docs/divergences.md#notprincipal-deny-account
    id: 'notprincipal-deny-account',
    mode: 'oracle-reading',
    applies: (r) => allDocuments(r).some((d) => JSON.stringify(d).includes('NotPrincipal')),
    rewrite: (r) => {
      const account = accountOfArn(r.principal);
      if (account === undefined) return r;
      return mapPolicies(r, (d) => ({
        ...d,
        Statement: statementList(d).map((st) => withCallerAccountExempt(st, r.principal, account)),
      }));
    },
  },
  {
    // Decided (formerly the suspected bug `bug:trust-policy-boundary`): a same-account trust
    // policy naming the user does not get past the user's permissions boundary, which must allow
    // sts:AssumeRole (id_roles_update-role-trust-policy.html); the oracle lets the trust policy
    // grant alone. Dropping the boundary makes our engine decide as the oracle.
    // docs/divergences.md#trust-policy-boundary
    id: 'trust-policy-boundary',
    mode: 'oracle-reading',
    applies: (r) => r.policies.boundary !== undefined && /^sts:assumerole/i.test(r.action),
    rewrite: (r) => {
      const { boundary: _dropped, ...rest } = r.policies;
      return { ...r, policies: rest };
    },
  },
];

function hasInvalidResourceValue(statement: unknown): boolean {
  const st = statement as Record<string, unknown>;
  const values = [st.Resource, st.NotResource].flat().filter((v) => v !== undefined);
  return values.some((v) => typeof v === 'string' && v !== '*' && !v.startsWith('arn:'));
}

function statementList(doc: PolicyDocument): unknown[] {
  const st = doc.Statement;
  return Array.isArray(st) ? st : st === undefined ? [] : [st];
}

/** Identities AWS checks for a caller: the session/user itself and, for a session, its role. */
function callerIdentities(principal: string): string[] {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal);
  return m ? [principal, `arn:aws:iam::${m[1]}:role/${m[2]}`] : [principal];
}

/**
 * The oracle exempts the caller when any listed principal matches it, its role or its account; AWS
 * exempts it only when the caller and its account are both listed. Completes the list accordingly.
 */
function withCallerAccountExempt(statement: unknown, principal: string, account: string): unknown {
  const st = statement as Record<string, unknown>;
  const np = st.NotPrincipal as { AWS?: string | string[] } | undefined;
  if (st.Effect !== 'Deny' || !np || typeof np !== 'object' || np.AWS === undefined) return statement;
  const list = Array.isArray(np.AWS) ? np.AWS : [np.AWS];
  const identities = callerIdentities(principal);
  const names = [...identities, account, `arn:aws:iam::${account}:root`];
  if (!list.some((p) => names.includes(p))) return statement;
  return { ...st, NotPrincipal: { ...np, AWS: [...list, ...identities, account] } };
}

/** The default key policy AWS attaches when none is given: the account may use IAM policies. */
export function defaultKeyPolicy(account: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

function safeDecision(request: SimulateRequest): Decision | PolicyParseError {
  try {
    return engineDecision(request);
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
}

/** Explains a disagreement by the first check whose counterfactual makes the two engines agree. */
export async function classifyDisagreement(
  request: SimulateRequest,
  ours: Decision,
  oracle: OracleDecision,
): Promise<string> {
  for (const check of CHECKS) {
    if (!check.applies(request)) continue;
    const rewritten = check.rewrite(request);
    if (check.mode === 'oracle-reading') {
      if (safeDecision(rewritten) === oracle) return check.id;
      continue;
    }
    if (safeDecision(rewritten) !== ours) continue;
    const again = await runOracle(rewritten);
    if (again.ok && again.decision === ours) return check.id;
  }
  // Several documented divergences can meet in one request: remove them all at once.
  const combined = await combinedExplanation(request, ours, oracle);
  if (combined !== undefined) return combined;
  for (const bug of KNOWN_BUGS) {
    if (bug.applies(request) && safeDecision(bug.rewrite(request)) === oracle) return bug.id;
  }
  return 'unexplained';
}

/**
 * Engine bugs found by this test and reported to the lead; each has a minimal failing case in
 * regressions.test.ts. Listed so the differential run stays green while they are open.
 */
export const KNOWN_BUGS: readonly DivergenceCheck[] = [];

async function combinedExplanation(
  request: SimulateRequest,
  ours: Decision,
  oracle: OracleDecision,
): Promise<string | undefined> {
  const applicable = [...CHECKS, ...KNOWN_BUGS].filter((c) => c.applies(request));
  if (applicable.length < 2) return undefined;
  let rewritten = request;
  let oracleDecision: Decision = oracle;
  const supply = applicable.filter((c) => c.mode === 'supply-missing');
  if (supply.length > 0) {
    for (const c of supply) rewritten = c.rewrite(rewritten);
    if (safeDecision(rewritten) !== ours) return undefined;
    const again = await runOracle(rewritten);
    if (!again.ok) return undefined;
    oracleDecision = again.decision;
  }
  for (const c of applicable.filter((c) => c.mode === 'oracle-reading')) rewritten = c.rewrite(rewritten);
  if (safeDecision(rewritten) !== oracleDecision) return undefined;
  return applicable.map((c) => c.id).join('+');
}

export async function compareOne(input: SimulateRequest): Promise<Outcome> {
  const oracle = await runOracle(input);
  if (!oracle.ok) return { kind: 'oracle-refused', error: oracle.error };
  const request = withoutContextKeys(input, oracle.ignoredContextKeys);
  const ours = safeDecision(request);
  if (ours instanceof PolicyParseError) {
    return { kind: 'engine-refused', error: ours.message, oracle: oracle.decision };
  }
  if (ours === oracle.decision) return { kind: 'agree', decision: ours };
  return {
    kind: 'disagree',
    ours,
    oracle: oracle.decision,
    divergence: await classifyDisagreement(request, ours, oracle.decision),
    request,
  };
}

/** Counts by outcome and by disagreement class, for the test and the script. */
export class Tally {
  readonly outcomes = new Map<string, number>();
  readonly disagreements = new Map<
    string,
    { count: number; example: SimulateRequest; ours: Decision; oracle: string }
  >();

  add(outcome: Outcome): void {
    const key =
      outcome.kind === 'agree'
        ? `agree:${outcome.decision}`
        : outcome.kind === 'disagree'
          ? `disagree:${outcome.divergence}`
          : outcome.kind === 'oracle-refused'
            ? `oracle-refused:${outcome.error}`
            : 'engine-refused';
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    if (outcome.kind === 'disagree') {
      const cls = `${outcome.divergence} (ours ${outcome.ours}, oracle ${outcome.oracle})`;
      const seen = this.disagreements.get(cls);
      // Keep the smallest example: it is the one a person reads first.
      if (!seen || JSON.stringify(outcome.request).length < JSON.stringify(seen.example).length) {
        this.disagreements.set(cls, {
          count: (seen?.count ?? 0) + 1,
          example: outcome.request,
          ours: outcome.ours,
          oracle: outcome.oracle,
        });
      } else {
        seen.count++;
      }
    }
  }

  count(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.outcomes) if (k.startsWith(prefix)) n += v;
    return n;
  }

  unexplained(): number {
    return this.count('disagree:unexplained');
  }
}
