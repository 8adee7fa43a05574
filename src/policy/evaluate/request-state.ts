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

/** A request key AWS fills in itself, and how; undefined where it does not apply to the caller. */
type Derivation = (who: PrincipalInfo, resourceAccount: string | undefined) => string | undefined;

/** Every derived key, in the order `derivedContextKeys` lists them. */
export const DERIVED_KEYS: readonly (readonly [string, Derivation])[] = [
  ['aws:PrincipalArn', (who) => who.principalArn],
  ['aws:PrincipalAccount', (who) => who.account],
  ['aws:PrincipalType', (who) => who.principalType],
  ['aws:username', (who) => (who.kind === 'user' ? who.name : undefined)],
  [
    'aws:PrincipalIsAWSService',
    (who) => (who.kind === 'service' ? 'true' : who.kind === 'anonymous' ? undefined : 'false'),
  ],
  ['aws:PrincipalServiceName', (who) => (who.kind === 'service' ? who.raw : undefined)],
  ['aws:ResourceAccount', (_who, resourceAccount) => resourceAccount],
];
/** Index of `aws:ResourceAccount` in DERIVED_KEYS: the one derived key that varies per request. */
export const RESOURCE_ACCOUNT_KEY = DERIVED_KEYS.length - 1;

/** A principal string read once: its facts and the derived keys that depend on it alone. */
export interface PrincipalState {
  readonly info: PrincipalInfo;
  /** Parallel to DERIVED_KEYS (the resource account slot is left undefined). */
  readonly derived: readonly (string | undefined)[];
}

const PRINCIPAL_CACHE_LIMIT = 4096;
const principalCache = new Map<string, PrincipalState>();

export function principalState(raw: string): PrincipalState {
  let state = principalCache.get(raw);
  if (state === undefined) {
    if (principalCache.size >= PRINCIPAL_CACHE_LIMIT) principalCache.clear();
    const info = parsePrincipal(raw);
    const derived = new Array<string | undefined>(DERIVED_KEYS.length);
    for (let i = 0; i < DERIVED_KEYS.length; i++)
      derived[i] = (DERIVED_KEYS[i] as (typeof DERIVED_KEYS)[number])[1](info, undefined);
    state = { info, derived };
    principalCache.set(raw, state);
  }
  return state;
}

export function principalInfo(raw: string): PrincipalInfo {
  return principalState(raw).info;
}

export function derivedContextKeys(
  who: PrincipalInfo,
  resourceAccount: string | undefined,
): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, derive] of DERIVED_KEYS) {
    const value = derive(who, resourceAccount);
    if (value !== undefined) out.push([key, value]);
  }
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
