/**
 * The request file shape of `leastpriv simulate --request FILE` (one JSON object per line): an
 * authorisation request plus the policy documents that apply to it, as raw JSON. Shared by the
 * differential test, the metamorphic properties and the benchmarks.
 */
import type { AuthorizationRequest, ContextValueInput } from '../../src/model/request.js';

/** A policy document exactly as JSON gives it (untrusted; parsed by `parsePolicy`). */
export type PolicyDocument = { readonly [key: string]: unknown };

export interface PolicyDocuments {
  readonly identity?: readonly PolicyDocument[];
  /** A single resource-based policy (bucket policy, key policy, trust policy...). */
  readonly resource?: PolicyDocument;
  readonly boundary?: readonly PolicyDocument[];
  /** A single session policy (AssumeRole / GetFederationToken `Policy` parameter). */
  readonly session?: PolicyDocument;
  /** Levels root first, then each OU, then the account. */
  readonly scp?: readonly (readonly PolicyDocument[])[];
  readonly rcp?: readonly (readonly PolicyDocument[])[];
  readonly endpoint?: readonly PolicyDocument[];
}

export interface SimulateRequest extends AuthorizationRequest {
  readonly context?: Readonly<Record<string, ContextValueInput>>;
  readonly policies: PolicyDocuments;
}

/** Account id of an IAM/STS ARN (`arn:aws:iam::111122223333:user/alice`), if it has one. */
export function accountOfArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':', 6);
  const account = parts[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** The account that owns the resource, as the request states it or as its ARN says. */
export function resourceAccountOf(request: SimulateRequest): string | undefined {
  return request.resourceAccount ?? accountOfArn(request.resource);
}

/** The request with `f` applied to every policy document, layer structure kept. */
export function mapPolicies(
  request: SimulateRequest,
  f: (doc: PolicyDocument) => PolicyDocument,
): SimulateRequest {
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

export function allDocuments(request: SimulateRequest): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  mapPolicies(request, (d) => {
    docs.push(d);
    return d;
  });
  return docs;
}
