/**
 * Runs a request file entry through our engine: parse each document, compile the set once,
 * evaluate (or explain). Policies that do not parse are reported, not evaluated.
 */

import type { EvaluationResult } from '../../src/model/explanation.js';
import type { NamedPolicy, PolicyType } from '../../src/model/policy.js';
import type { Decision } from '../../src/model/request.js';
import {
  type CompiledPolicySet,
  compilePolicySet,
  evaluate,
  explain,
  type PolicySet,
} from '../../src/policy/evaluate/index.js';
import { parsePolicy } from '../../src/policy/parse/index.js';
import type { PolicyDocument, SimulateRequest } from './case.js';

export class PolicyParseError extends Error {
  constructor(
    readonly policyName: string,
    readonly codes: readonly string[],
  ) {
    super(`policy ${policyName} does not parse: ${codes.join(', ')}`);
  }
}

function named(doc: PolicyDocument | string, type: PolicyType, name: string): NamedPolicy {
  const parsed = parsePolicy(doc, { type });
  if (!parsed.ok || !parsed.policy) {
    throw new PolicyParseError(
      name,
      parsed.issues.filter((i) => i.severity === 'ERROR').map((i) => `${i.code} at ${i.path}`),
    );
  }
  return { name, policy: parsed.policy };
}

/** Builds our PolicySet from the request file's documents (names match the oracle adapter's). */
export function toPolicySet(request: SimulateRequest): PolicySet<NamedPolicy> {
  const p = request.policies;
  const set: {
    -readonly [K in keyof PolicySet<NamedPolicy>]: PolicySet<NamedPolicy>[K];
  } = {};
  if (p.identity) set.identity = p.identity.map((d, i) => named(d, 'identity', `identity-${i}`));
  if (p.resource) set.resource = [named(p.resource, 'resource', 'resource-0')];
  if (p.boundary) set.boundary = p.boundary.map((d, i) => named(d, 'boundary', `boundary-${i}`));
  if (p.session) set.session = [named(p.session, 'session', 'session-0')];
  if (p.scp) set.scp = p.scp.map((level, i) => level.map((d, j) => named(d, 'scp', `scp-${i}-${j}`)));
  if (p.rcp) set.rcp = p.rcp.map((level, i) => level.map((d, j) => named(d, 'rcp', `rcp-${i}-${j}`)));
  if (p.endpoint) set.endpoint = p.endpoint.map((d, i) => named(d, 'endpoint', `endpoint-${i}`));
  return set;
}

export function compileRequestPolicies(request: SimulateRequest): CompiledPolicySet {
  return compilePolicySet(toPolicySet(request));
}

function authorizationRequest(request: SimulateRequest) {
  return {
    principal: request.principal,
    action: request.action,
    resource: request.resource,
    ...(request.resourceAccount !== undefined ? { resourceAccount: request.resourceAccount } : {}),
    ...(request.context !== undefined ? { context: request.context } : {}),
  };
}

export function engineDecision(request: SimulateRequest): Decision {
  return evaluate(compileRequestPolicies(request), authorizationRequest(request));
}

export function engineExplain(request: SimulateRequest): EvaluationResult {
  return explain(compileRequestPolicies(request), authorizationRequest(request));
}
