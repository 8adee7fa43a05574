import type {
  CredentialReportRow,
  HumanClassification,
  RoleCategory,
  StoredPolicy,
  TrustSummary,
} from '../../model/account.js';
import { accountOfArn } from './values.js';

/**
 * Who can assume a role, read from the Allow statements of its trust policy. Conditions are not
 * judged: `conditional` says the summary may over-approximate.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function summariseTrust(trust: StoredPolicy | undefined, ownAccount: string): TrustSummary {
  const others = new Set<string>();
  const services = new Set<string>();
  const federated = new Set<string>();
  let sameAccount = false;
  let anyone = false;
  let conditional = false;
  for (const s of trust?.policy.statements ?? []) {
    if (s.effect !== 'Allow') continue;
    const p = s.principal;
    if (p === undefined) {
      // NotPrincipal with Allow: everyone but the listed principals.
      if (s.notPrincipal) anyone = true;
      continue;
    }
    if (s.conditions.length > 0) conditional = true;
    if (p.wildcard) anyone = true;
    for (const aws of p.aws) {
      if (aws === '*') {
        anyone = true;
        continue;
      }
      const account = /^\d{12}$/.test(aws) ? aws : accountOfArn(aws);
      if (account === undefined) continue;
      if (account === ownAccount) sameAccount = true;
      else others.add(account);
    }
    for (const svc of p.service) services.add(svc);
    for (const f of p.federated) federated.add(f);
  }
  return {
    sameAccount,
    otherAccounts: [...others].sort(),
    services: [...services].sort(),
    federated: [...federated].sort(),
    anyone,
    conditional,
  };
}

const SSO_PREFIX = 'AWSReservedSSO_';

/**
 * A role's category and whether people sign in through it. Service-linked roles live under
 * `/aws-service-role/`; IAM Identity Center roles are named `AWSReservedSSO_…` under
 * `/aws-reserved/sso.amazonaws.com/`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/using-service-linked-roles.html
 */
export function classifyRole(
  name: string,
  path: string | undefined,
  trust: TrustSummary,
  trustPolicy: StoredPolicy | undefined,
): HumanClassification & { roleCategory: RoleCategory } {
  if (path?.startsWith('/aws-service-role/'))
    return { roleCategory: 'service-linked', human: false, humanReason: 'service-linked role' };
  if (name.startsWith(SSO_PREFIX) || path?.startsWith('/aws-reserved/sso.amazonaws.com/'))
    return { roleCategory: 'sso', human: true, humanReason: 'IAM Identity Center (AWSReservedSSO_) role' };

  const aws = trust.sameAccount || trust.otherAccounts.length > 0 || trust.anyone;
  const kinds = (aws ? 1 : 0) + (trust.services.length > 0 ? 1 : 0) + (trust.federated.length > 0 ? 1 : 0);
  const saml =
    trust.federated.some((f) => f.includes(':saml-provider/')) ||
    usesAction(trustPolicy, 'sts:assumerolewithsaml');
  if (kinds === 0)
    return { roleCategory: 'unknown', human: false, humanReason: 'trust policy names no principal' };
  if (kinds > 1) {
    return saml
      ? { roleCategory: 'mixed', human: true, humanReason: 'SAML-federated (and other principals)' }
      : { roleCategory: 'mixed', human: false, humanReason: 'trusts several kinds of principal' };
  }
  if (trust.services.length > 0)
    return {
      roleCategory: 'service',
      human: false,
      humanReason: `service trust: ${trust.services.join(', ')}`,
    };
  if (trust.federated.length > 0) {
    return saml
      ? { roleCategory: 'federated', human: true, humanReason: 'SAML-federated sign-in' }
      : {
          roleCategory: 'federated',
          human: false,
          humanReason: `OIDC-federated workload: ${trust.federated.join(', ')}`,
        };
  }
  if (trust.otherAccounts.length > 0 || trust.anyone)
    return {
      roleCategory: 'cross-account',
      human: false,
      humanReason: 'assumed by principals of other accounts',
    };
  return {
    roleCategory: 'same-account',
    human: false,
    humanReason: 'assumed by principals of its own account',
  };
}

function usesAction(policy: StoredPolicy | undefined, action: string): boolean {
  return (policy?.policy.statements ?? []).some(
    (s) => s.effect === 'Allow' && (s.action ?? []).some((a) => a.toLowerCase() === action),
  );
}

/**
 * An IAM user is human when it has a console password (the credential report says so); a user
 * with only access keys is a workload.
 */
export function classifyUser(row: CredentialReportRow | undefined): HumanClassification {
  if (row === undefined) return { human: false, humanReason: 'unknown: no credential report row' };
  if (row.passwordEnabled === true) return { human: true, humanReason: 'console password' };
  const keys = row.accessKeys.some((k) => k.active);
  return {
    human: false,
    humanReason: keys ? 'access keys only (no console password)' : 'no console password',
  };
}
