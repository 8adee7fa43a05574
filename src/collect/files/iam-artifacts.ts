import type {
  AccessKeyMetadata,
  LastAccessed,
  MfaDevice,
  PasswordPolicyState,
  PasswordPolicyValue,
  ServiceLastAccessed,
} from '../../model/account.js';
import { defined } from './authz-details.js';
import { bool, dateField, field, isRecord, type JsonRecord, list, num, str } from './values.js';

/** Readers for the small IAM responses: each returns undefined when the value is not that response. */

/** `{"PasswordPolicy": {...}}`; an error envelope with NoSuchEntity means the account has none. */
export function readPasswordPolicy(value: unknown, source: string): PasswordPolicyState | undefined {
  if (!isRecord(value)) return undefined;
  if (errorCode(value) === 'NoSuchEntity') return { state: 'none', source };
  const p = field(value, 'PasswordPolicy');
  if (!isRecord(p)) return undefined;
  const policy: PasswordPolicyValue = defined({
    minimumPasswordLength: num(p, 'MinimumPasswordLength'),
    requireSymbols: bool(p, 'RequireSymbols'),
    requireNumbers: bool(p, 'RequireNumbers'),
    requireUppercaseCharacters: bool(p, 'RequireUppercaseCharacters'),
    requireLowercaseCharacters: bool(p, 'RequireLowercaseCharacters'),
    allowUsersToChangePassword: bool(p, 'AllowUsersToChangePassword'),
    expirePasswords: bool(p, 'ExpirePasswords'),
    maxPasswordAge: num(p, 'MaxPasswordAge'),
    passwordReusePrevention: num(p, 'PasswordReusePrevention'),
    hardExpiry: bool(p, 'HardExpiry'),
  });
  return { state: 'set', value: policy, source };
}

/** An `{"Error": {"Code": …}}` envelope (botocore recordings) or a bare `{"Code"}`. */
export function errorCode(value: JsonRecord): string | undefined {
  const e = field(value, 'Error');
  if (isRecord(e)) return str(e, 'Code');
  return undefined;
}

export function looksLikeLastAccessed(value: unknown): boolean {
  return isRecord(value) && Array.isArray(field(value, 'ServicesLastAccessed'));
}

/** A get-service-last-accessed-details response for one principal. */
export function readLastAccessed(
  value: unknown,
  principalArn: string,
  source: string,
): LastAccessed | undefined {
  if (!isRecord(value) || !Array.isArray(field(value, 'ServicesLastAccessed'))) return undefined;
  const services: ServiceLastAccessed[] = [];
  for (const s of list(value, 'ServicesLastAccessed')) {
    if (!isRecord(s)) continue;
    const namespace = str(s, 'ServiceNamespace');
    if (namespace === undefined) continue;
    services.push({
      namespace,
      lastAuthenticated: dateField(s, 'LastAuthenticated') ?? null,
      ...defined({
        name: str(s, 'ServiceName'),
        lastAuthenticatedEntity: str(s, 'LastAuthenticatedEntity'),
        lastAuthenticatedRegion: str(s, 'LastAuthenticatedRegion'),
        totalAuthenticatedEntities: num(s, 'TotalAuthenticatedEntities'),
      }),
    });
  }
  services.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  return {
    principalArn,
    services,
    source,
    ...defined({ jobCompletionDate: dateField(value, 'JobCompletionDate') }),
  };
}

export function readAccessKeys(value: unknown): { user?: string; keys: AccessKeyMetadata[] } | undefined {
  if (!isRecord(value) || !Array.isArray(field(value, 'AccessKeyMetadata'))) return undefined;
  let user: string | undefined;
  const keys: AccessKeyMetadata[] = [];
  for (const k of list(value, 'AccessKeyMetadata')) {
    if (!isRecord(k)) continue;
    const id = str(k, 'AccessKeyId');
    if (id === undefined) continue;
    user ??= str(k, 'UserName');
    keys.push({
      accessKeyId: id,
      status: str(k, 'Status') ?? 'Unknown',
      ...defined({ createdAt: dateField(k, 'CreateDate') }),
    });
  }
  return user === undefined ? { keys } : { user, keys };
}

export function readMfaDevices(value: unknown): { user?: string; devices: MfaDevice[] } | undefined {
  if (!isRecord(value) || !Array.isArray(field(value, 'MFADevices'))) return undefined;
  let user: string | undefined;
  const devices: MfaDevice[] = [];
  for (const d of list(value, 'MFADevices')) {
    if (!isRecord(d)) continue;
    const serial = str(d, 'SerialNumber');
    if (serial === undefined) continue;
    user ??= str(d, 'UserName');
    devices.push({ serialNumber: serial, ...defined({ enabledAt: dateField(d, 'EnableDate') }) });
  }
  return user === undefined ? { devices } : { user, devices };
}

export function readAccountAlias(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const aliases = list(value, 'AccountAliases');
  return typeof aliases[0] === 'string' ? aliases[0] : undefined;
}

export function readAnalyzers(value: unknown): { arn: string; type?: string; status?: string }[] | undefined {
  if (!isRecord(value)) return undefined;
  const analyzers = field(value, 'analyzers') ?? field(value, 'Analyzers');
  if (!Array.isArray(analyzers)) return undefined;
  const out: { arn: string; type?: string; status?: string }[] = [];
  for (const a of analyzers) {
    if (!isRecord(a)) continue;
    const arn = str(a, 'arn') ?? str(a, 'Arn');
    if (arn) out.push({ arn, ...defined({ type: str(a, 'type'), status: str(a, 'status') }) });
  }
  return out;
}
