/**
 * Metamorphic monotonicity. With the ranks ExplicitlyDenied < ImplicitlyDenied < Unknown < Allowed:
 * - adding a Deny statement to an existing policy (or a new deny-only identity policy) can only
 *   lower a decision: it never produces Allowed from a request that was not Allowed, and an
 *   ExplicitlyDenied request stays ExplicitlyDenied;
 * - adding an Allow statement to an existing policy (or a new identity policy) can only raise it:
 *   Allowed stays Allowed (an allow whose condition cannot be decided does not make an existing
 *   allow Unknown), ExplicitlyDenied stays ExplicitlyDenied (no allow overrides an explicit deny),
 *   and nothing becomes ExplicitlyDenied.
 * New boundaries, session policies, SCP levels or resource policies are not "adding an Allow":
 * attaching a new guardrail layer restricts, so the properties only append to existing policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/model/request.js';
import type { PolicyDocument, SimulateRequest } from '../differential/case.js';
import { engineDecision } from '../differential/engine.js';
import { type PolicyKind, requestArb, statementArb } from '../differential/generators.js';

const RUNS = Number(process.env.METAMORPHIC_RUNS ?? 1_000);
const requests = requestArb({ sessionAndEndpoint: true, anonymous: true, unknownActions: true });

/** The existing policies of a request, each with the layer kind it belongs to. */
function existingPolicies(request: SimulateRequest): { kind: PolicyKind; index: number }[] {
  const out: { kind: PolicyKind; index: number }[] = [];
  let i = 0;
  const p = request.policies;
  for (const _ of p.identity ?? []) out.push({ kind: 'identity', index: i++ });
  if (p.resource) out.push({ kind: 'resource', index: i++ });
  for (const _ of p.boundary ?? []) out.push({ kind: 'boundary', index: i++ });
  if (p.session) out.push({ kind: 'session', index: i++ });
  for (const level of p.scp ?? []) for (const _ of level) out.push({ kind: 'scp', index: i++ });
  for (const level of p.rcp ?? []) for (const _ of level) out.push({ kind: 'rcp', index: i++ });
  for (const _ of p.endpoint ?? []) out.push({ kind: 'endpoint', index: i++ });
  return out;
}

/** The statement without its Sid: Sids must stay unique within the policy it joins. */
function withoutSid(statement: Record<string, unknown>): Record<string, unknown> {
  const { Sid: _sid, ...rest } = statement;
  return rest;
}

/** Appends `statement` to the n-th policy (in existingPolicies order). */
function appendStatement(
  request: SimulateRequest,
  target: number,
  statement: Record<string, unknown>,
): SimulateRequest {
  let i = 0;
  const add = (doc: PolicyDocument): PolicyDocument => {
    if (i++ !== target) return doc;
    const st = doc.Statement;
    return {
      ...doc,
      Statement: [...(Array.isArray(st) ? st : st === undefined ? [] : [st]), withoutSid(statement)],
    };
  };
  const p = request.policies;
  return {
    ...request,
    policies: {
      ...(p.identity ? { identity: p.identity.map(add) } : {}),
      ...(p.resource ? { resource: add(p.resource) } : {}),
      ...(p.boundary ? { boundary: p.boundary.map(add) } : {}),
      ...(p.session ? { session: add(p.session) } : {}),
      ...(p.scp ? { scp: p.scp.map((l) => l.map(add)) } : {}),
      ...(p.rcp ? { rcp: p.rcp.map((l) => l.map(add)) } : {}),
      ...(p.endpoint ? { endpoint: p.endpoint.map(add) } : {}),
    },
  };
}

function addedIdentityPolicy(request: SimulateRequest, statement: object): SimulateRequest {
  const doc = { Version: '2012-10-17', Statement: [statement] };
  return {
    ...request,
    policies: { ...request.policies, identity: [...(request.policies.identity ?? []), doc] },
  };
}

/** A request plus one added statement of the given effect, somewhere it may legally go. */
function withAddedStatement(effect: 'Allow' | 'Deny') {
  return requests.chain((request) => {
    const targets = existingPolicies(request);
    const anonymous = request.principal === 'anonymous';
    const where = fc.integer({ min: anonymous && targets.length > 0 ? 0 : -1, max: targets.length - 1 });
    return where.chain((index) => {
      if (index < 0 || targets.length === 0) {
        return statementArb({ kind: 'identity', effect }).map((st) => ({
          request,
          changed: anonymous ? request : addedIdentityPolicy(request, st),
        }));
      }
      const { kind } = targets[index] as { kind: PolicyKind };
      // Custom RCPs can only deny.
      const effectiveKind = kind === 'rcp' && effect === 'Allow' ? 'identity' : kind;
      return statementArb({ kind: effectiveKind, effect }).map((st) => ({
        request,
        changed: effectiveKind !== kind ? request : appendStatement(request, index, st),
      }));
    });
  });
}

const RANK: Record<Decision, number> = { ExplicitlyDenied: 0, ImplicitlyDenied: 1, Unknown: 2, Allowed: 3 };

describe('metamorphic monotonicity', () => {
  it('adding a Deny statement never allows and never lifts an explicit deny', () => {
    fc.assert(
      fc.property(withAddedStatement('Deny'), ({ request, changed }) => {
        const before = engineDecision(request);
        const after = engineDecision(changed);
        if (after === 'Allowed') expect(before).toBe('Allowed');
        if (before === 'ExplicitlyDenied') expect(after).toBe('ExplicitlyDenied');
      }),
      { numRuns: RUNS },
    );
  });

  it('adding an Allow statement never denies what was allowed and never creates an explicit deny', () => {
    fc.assert(
      fc.property(withAddedStatement('Allow'), ({ request, changed }) => {
        const before = engineDecision(request);
        const after = engineDecision(changed);
        if (before === 'Allowed') expect(after).toBe('Allowed');
        if (before === 'ExplicitlyDenied') expect(after).toBe('ExplicitlyDenied');
        if (after === 'ExplicitlyDenied') expect(before).toBe('ExplicitlyDenied');
        expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
      }),
      { numRuns: RUNS },
    );
  });
});
