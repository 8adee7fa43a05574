/**
 * Adapter to `@cloud-copilot/iam-simulate`, the independent implementation we test against.
 * AGPL: imported only from test/ and bench/, never from src/.
 *
 * What the oracle does not model (and so differential generation leaves out, see
 * docs/divergences.md): the management-account exemption from SCPs/RCPs, our `Unknown`
 * decision, actions missing from its catalogue (it refuses them), wildcard request resources (it
 * fans them out over policy patterns), and context keys that do not apply to the action (it drops
 * them before evaluation; `runOracle` reports them so the caller can drop them too).
 * `runOracleUnsafe` (its no-validation path) additionally ignores session and endpoint policies.
 */
import {
  anonymousPrincipal,
  runSimulation,
  runUnsafeSimulation,
  type Simulation,
  type SimulationOrgPolicies,
} from '@cloud-copilot/iam-simulate';
import type { ContextValueInput, Decision } from '../../src/model/request.js';
import { type PolicyDocument, resourceAccountOf, type SimulateRequest } from './case.js';

export type OracleDecision = Exclude<Decision, 'Unknown'>;

export type OracleOutcome =
  | {
      readonly ok: true;
      readonly decision: OracleDecision;
      /** Context keys the oracle dropped as not applicable to the action (lower-cased). */
      readonly ignoredContextKeys: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/** AWS attaches RCPFullAWSAccess at every level and it cannot be detached. */
export const RCP_FULL_AWS_ACCESS: PolicyDocument = Object.freeze({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
});

function contextForOracle(
  context: Readonly<Record<string, ContextValueInput>> | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!context) return out;
  for (const [key, value] of Object.entries(context)) {
    out[key] = Array.isArray(value) ? value.map((v) => String(v)) : String(value);
  }
  return out;
}

function isRcpFullAwsAccess(policy: PolicyDocument): boolean {
  return JSON.stringify(policy) === JSON.stringify(RCP_FULL_AWS_ACCESS);
}

function orgLevels(
  levels: readonly (readonly PolicyDocument[])[] | undefined,
  kind: 'scp' | 'rcp',
): SimulationOrgPolicies[] {
  return (levels ?? []).map((level, i) => ({
    orgIdentifier: `${kind}-level-${i}`,
    policies: level
      .map((policy, j) => ({ name: `${kind}-${i}-${j}`, policy }))
      // The oracle attaches RCPFullAWSAccess itself and its validation refuses a copy of it.
      .filter(({ policy }) => kind === 'scp' || !isRcpFullAwsAccess(policy)),
  }));
}

/** Our request shape to the oracle's `Simulation`. */
export function toSimulation(request: SimulateRequest): Simulation {
  const p = request.policies;
  const simulation: Simulation = {
    request: {
      principal: request.principal === 'anonymous' ? anonymousPrincipal : request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccountOf(request) ?? '' },
      contextVariables: contextForOracle(request.context),
    },
    identityPolicies: (p.identity ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: orgLevels(p.scp, 'scp'),
    resourceControlPolicies: orgLevels(p.rcp, 'rcp'),
  };
  if (p.resource) simulation.resourcePolicy = p.resource;
  if (p.session) simulation.sessionPolicy = p.session;
  if (p.boundary && p.boundary.length > 0) {
    simulation.permissionBoundaryPolicies = p.boundary.map((policy, i) => ({
      name: `boundary-${i}`,
      policy,
    }));
  }
  if (p.endpoint && p.endpoint.length > 0) {
    simulation.vpcEndpointPolicies = p.endpoint.map((policy, i) => ({ name: `endpoint-${i}`, policy }));
  }
  return simulation;
}

/** The oracle with its validation (policies, action, resource type, context keys). */
export async function runOracle(request: SimulateRequest): Promise<OracleOutcome> {
  const result = await runSimulation(toSimulation(request), { simulationMode: 'Strict' });
  if (result.resultType === 'error') return { ok: false, error: result.errors.message };
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
  return {
    ok: true,
    decision: result.overallResult,
    ignoredContextKeys: ignored.map((k) => k.toLowerCase()),
  };
}

/**
 * The oracle without validation: faster, but it ignores session and endpoint policies and does not
 * add RCPFullAWSAccess itself (we add it, as AWS always has it attached).
 */
export function runOracleUnsafe(request: SimulateRequest): OracleDecision {
  return runUnsafeSimulation(toUnsafeSimulation(request), { simulationMode: 'Strict' });
}

/**
 * The `Simulation` for the no-validation path. That path loads the resource policy without a name
 * and then reads the name (a crash), so the document goes in pre-wrapped as iam-policy's
 * "validated policy" shape, which carries its metadata.
 */
export function toUnsafeSimulation(request: SimulateRequest): Simulation {
  const simulation = toSimulation(request);
  if (simulation.resourcePolicy !== undefined) {
    simulation.resourcePolicy = {
      __validated: true,
      policyDocument: simulation.resourcePolicy,
      metadata: { name: 'resource-0' },
      errors: [],
    };
  }
  // runSimulation adds RCPFullAWSAccess, runUnsafeSimulation does not.
  for (const level of simulation.resourceControlPolicies) {
    level.policies.unshift({ name: 'RCPFullAWSAccess', policy: RCP_FULL_AWS_ACCESS });
  }
  return simulation;
}

/** Drops the keys the oracle ignored, so both engines see the same request context. */
export function withoutContextKeys(
  request: SimulateRequest,
  lowerCasedKeys: readonly string[],
): SimulateRequest {
  if (lowerCasedKeys.length === 0 || !request.context) return request;
  const drop = new Set(lowerCasedKeys);
  const context: Record<string, ContextValueInput> = {};
  for (const [key, value] of Object.entries(request.context)) {
    if (!drop.has(key.toLowerCase())) context[key] = value;
  }
  return { ...request, context };
}
