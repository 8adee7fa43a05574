/**
 * One request as the evaluator sees it: the principal read once (cached by string), the action's
 * catalog index, the resource account, and the request context built only when a condition or a
 * policy variable asks for it.
 *
 * Keys derived when the caller did not supply them (caller values always win):
 * - `aws:PrincipalArn`: user/federated-user/root ARN; for a role session the role ARN built from the
 *   session ARN (AWS sets the role ARN here, not the session ARN; the session ARN has no role path,
 *   so supply the key yourself for roles with a path).
 * - `aws:PrincipalAccount`, `aws:PrincipalType` (User, AssumedRole, FederatedUser, Account, Anonymous).
 * - `aws:username` for IAM users.
 * - `aws:PrincipalIsAWSService` (`true` for service principals, `false` for signed IAM callers) and
 *   `aws:PrincipalServiceName` for service principals.
 * - `aws:ResourceAccount` when the resource account is known.
 * Never derived: `aws:CurrentTime`/`aws:EpochTime` (decisions must be reproducible), `aws:userid`,
 * `aws:PrincipalOrgID`, tags, network keys: supply them in the request context.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import type { ContextValueInput } from '../../model/request.js';
import { createRequestContext, type RequestContext } from '../conditions/index.js';
import { type PrincipalInfo, parsePrincipal } from './principal.js';

const PRINCIPAL_CACHE_LIMIT = 4096;
const principalCache = new Map<string, PrincipalInfo>();

export function principalInfo(raw: string): PrincipalInfo {
  let info = principalCache.get(raw);
  if (info === undefined) {
    if (principalCache.size >= PRINCIPAL_CACHE_LIMIT) principalCache.clear();
    info = parsePrincipal(raw);
    principalCache.set(raw, info);
  }
  return info;
}

export function derivedContextKeys(
  who: PrincipalInfo,
  resourceAccount: string | undefined,
): [string, string][] {
  const out: [string, string][] = [];
  if (who.principalArn !== undefined) out.push(['aws:PrincipalArn', who.principalArn]);
  if (who.account !== undefined) out.push(['aws:PrincipalAccount', who.account]);
  if (who.principalType !== undefined) out.push(['aws:PrincipalType', who.principalType]);
  if (who.kind === 'user' && who.name !== undefined) out.push(['aws:username', who.name]);
  if (who.kind === 'service') {
    out.push(['aws:PrincipalIsAWSService', 'true']);
    out.push(['aws:PrincipalServiceName', who.raw]);
  } else if (who.kind !== 'anonymous') {
    out.push(['aws:PrincipalIsAWSService', 'false']);
  }
  if (resourceAccount !== undefined) out.push(['aws:ResourceAccount', resourceAccount]);
  return out;
}

/** Caller-supplied keys win over derived ones (keys compared case-insensitively). */
export function buildContext(
  given: Readonly<Record<string, ContextValueInput>> | undefined,
  who: PrincipalInfo,
  resourceAccount: string | undefined,
): RequestContext {
  const values: Record<string, ContextValueInput> = Object.create(null);
  const seen = new Set<string>();
  if (given) {
    for (const key of Object.keys(given)) {
      const value = given[key];
      if (value === undefined) continue;
      values[key] = value;
      seen.add(key.toLowerCase());
    }
  }
  for (const [key, value] of derivedContextKeys(who, resourceAccount)) {
    if (!seen.has(key.toLowerCase())) values[key] = value;
  }
  return createRequestContext(values);
}

/** The caller's `aws:PrincipalArn` if they supplied one (it carries a role's path). */
export function givenPrincipalArn(
  given: Readonly<Record<string, ContextValueInput>> | undefined,
): string | undefined {
  if (!given) return undefined;
  for (const key of Object.keys(given)) {
    if (key.length === 16 && key.toLowerCase() === 'aws:principalarn') {
      const v = given[key];
      return typeof v === 'string' ? v : undefined;
    }
  }
  return undefined;
}
