/**
 * Runs a request file entry through our engine: parse each document, compile the set once,
 * evaluate (or explain). Policies that do not parse are reported, not evaluated.
 */

import type { EvaluationResult } from '../../src/model/explanation.js';
import type { NamedPolicy, PolicyType } from '../../src/model/policy.js';
import type { AuthorizationRequest, Decision } from '../../src/model/request.js';
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

/** How a document reaches the parser: as the object itself, or as some text form of it. */
export type PolicyEncoding = (doc: PolicyDocument) => unknown;

const asObject: PolicyEncoding = (doc) => doc;

function named(doc: PolicyDocument, type: PolicyType, name: string, encode: PolicyEncoding): NamedPolicy {
  const parsed = parsePolicy(encode(doc), { type });
  if (!parsed.ok || !parsed.policy) {
    throw new PolicyParseError(
      name,
      parsed.issues.filter((i) => i.severity === 'ERROR').map((i) => `${i.code} at ${i.path}`),
    );
  }
  return { name, policy: parsed.policy };
}

/** Builds our PolicySet from the request file's documents (names match the oracle adapter's). */
export function toPolicySet(
  request: SimulateRequest,
  encode: PolicyEncoding = asObject,
): PolicySet<NamedPolicy> {
  const p = request.policies;
  const set: {
    -readonly [K in keyof PolicySet<NamedPolicy>]: PolicySet<NamedPolicy>[K];
  } = {};
  if (p.identity) set.identity = p.identity.map((d, i) => named(d, 'identity', `identity-${i}`, encode));
  if (p.resource) set.resource = [named(p.resource, 'resource', 'resource-0', encode)];
  if (p.boundary) set.boundary = p.boundary.map((d, i) => named(d, 'boundary', `boundary-${i}`, encode));
  if (p.session) set.session = [named(p.session, 'session', 'session-0', encode)];
  if (p.scp) set.scp = p.scp.map((level, i) => level.map((d, j) => named(d, 'scp', `scp-${i}-${j}`, encode)));
  if (p.rcp) set.rcp = p.rcp.map((level, i) => level.map((d, j) => named(d, 'rcp', `rcp-${i}-${j}`, encode)));
  if (p.endpoint) set.endpoint = p.endpoint.map((d, i) => named(d, 'endpoint', `endpoint-${i}`, encode));
  return set;
}

export function compileRequestPolicies(request: SimulateRequest, encode?: PolicyEncoding): CompiledPolicySet {
  return compilePolicySet(toPolicySet(request, encode));
}

export function authorizationRequest(request: SimulateRequest): AuthorizationRequest {
  return {
    principal: request.principal,
    action: request.action,
    resource: request.resource,
    ...(request.resourceAccount !== undefined ? { resourceAccount: request.resourceAccount } : {}),
    ...(request.context !== undefined ? { context: request.context } : {}),
  };
}

export function engineDecision(request: SimulateRequest, encode?: PolicyEncoding): Decision {
  return evaluate(compileRequestPolicies(request, encode), authorizationRequest(request));
}

export function engineExplain(request: SimulateRequest, encode?: PolicyEncoding): EvaluationResult {
  return explain(compileRequestPolicies(request, encode), authorizationRequest(request));
}
