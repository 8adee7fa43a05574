/**
 * One differential comparison: our decision against the oracle's, with every disagreement put in
 * a class. A class is "explained" only when a documented divergence (docs/divergences.md) is
 * confirmed by a counterfactual: rewriting the one construct the divergence is about makes the two
 * engines agree. Everything else is `unexplained` and fails the test.
 */
import type { Decision } from '../../src/model/request.js';
import type { PolicyDocument, SimulateRequest } from './case.js';
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

function mapPolicies(request: SimulateRequest, f: (doc: PolicyDocument) => PolicyDocument): SimulateRequest {
  const p = request.policies;
  return {
    ...request,
    policies: {
      ...(p.identity ? { identity: p.identity.map(f) } : {}),
      ...(p.resource ? { resource: f(p.resource) } : {}),
      ...(p.boundary ? { boundary: p.boundary.map(f) } : {}),
      ...(p.session ? { session: f(p.session) } : {}),
      ...(p.scp ? { scp: p.scp.map((l) => l.map(f)) } : {}),
      ...(p.rcp ? { rcp: p.rcp.map((l) => l.map(f)) } : {}),
      ...(p.endpoint ? { endpoint: p.endpoint.map(f) } : {}),
    },
  };
}

function allDocuments(request: SimulateRequest): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  mapPolicies(request, (d) => {
    docs.push(d);
    return d;
  });
  return docs;
}

/** A counterfactual: a rewrite that removes exactly one documented divergence. */
interface DivergenceCheck {
  /** Anchor in docs/divergences.md. */
  readonly id: string;
  /** Whether the construct occurs in the request at all (cheap filter). */
  applies(request: SimulateRequest): boolean;
  /** The request with the construct rewritten the way the oracle reads it. */
  rewrite(request: SimulateRequest): SimulateRequest;
}

const CHECKS: readonly DivergenceCheck[] = [
  {
    // AWS: under Version 2008-10-17 (or no Version) `${...}` is literal text; the oracle
    // substitutes variables whatever the Version. See docs/divergences.md#v2008-variables.
    id: 'v2008-variables',
    applies: (r) =>
      allDocuments(r).some((d) => d.Version !== '2012-10-17' && JSON.stringify(d).includes('${')),
    rewrite: (r) => mapPolicies(r, (d) => (d.Version === '2012-10-17' ? d : { ...d, Version: '2012-10-17' })),
  },
];

function safeDecision(request: SimulateRequest): Decision | PolicyParseError {
  try {
    return engineDecision(request);
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
}

/** Explains a disagreement by the first check whose rewrite makes the two engines agree. */
export function classifyDisagreement(request: SimulateRequest, oracle: OracleDecision): string {
  for (const check of CHECKS) {
    if (!check.applies(request)) continue;
    const rewritten = safeDecision(check.rewrite(request));
    if (rewritten === oracle) return check.id;
  }
  return 'unexplained';
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
    divergence: classifyDisagreement(request, oracle.decision),
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
