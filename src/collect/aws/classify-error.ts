import type { GapReason } from './manifest.js';

/** What a failed call means for the snapshot. */
export type CallFailure =
  | { readonly kind: 'absent' }
  | { readonly kind: 'gap'; readonly reason: GapReason; readonly code: string; readonly message: string };

interface SdkErrorLike {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling?: boolean };
}

// The SDK names an error after the code on the wire (or its modeled exception class).
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);

// Credential problems are 403s too, but they are not a permission the policy lacks.
const CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

export function errorCode(error: unknown): string {
  const e = (error ?? {}) as SdkErrorLike;
  for (const candidate of [e.Code, e.code, e.name]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
  }
  return 'Error';
}

function isAccessDenied(code: string, status: number | undefined): boolean {
  if (code.startsWith('AccessDenied') || code === 'UnauthorizedOperation' || code === 'AuthorizationError')
    return true;
  if (code === 'AuthorizationErrorException' || code === 'UnauthorizedException' || code === 'Forbidden')
    return true;
  return status === 403 && !CREDENTIAL_CODES.has(code);
}

/**
 * Sorts a failure into "the resource has nothing to collect" (a code in `absentCodes`: no file,
 * no gap) or a gap with its reason. Throttling reaches here only once the SDK's retries are spent.
 */
export function classifyError(error: unknown, absentCodes: readonly string[] = []): CallFailure {
  const e = (error ?? {}) as SdkErrorLike;
  const code = errorCode(error);
  const base = code.replace(/Exception$/, '');
  if (absentCodes.some((c) => c === code || c === base || `${c}Exception` === code))
    return { kind: 'absent' };
  const status = e.$metadata?.httpStatusCode;
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  const message = `${code}: ${rawMessage || (status ? `HTTP ${status}` : 'no message')}`;
  if (isAccessDenied(code, status)) return { kind: 'gap', reason: 'access-denied', code, message };
  if (THROTTLING_CODES.has(code) || e.$retryable?.throttling === true || status === 429)
    return { kind: 'gap', reason: 'throttled', code, message };
  return { kind: 'gap', reason: 'error', code, message };
}

/**
 * Removes credentials from text before it is logged or written: the known secret values, and
 * anything shaped like a SigV4 signature, credential scope or session-token parameter.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= 8) this.secrets.add(value);
  }

  redact(text: string, maxLength = 1000): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    out = out
      .replace(
        /(Signature|Credential|X-Amz-Security-Token|X-Amz-Signature|SessionToken|SecretAccessKey)([=:"\s]+)[^\s,"&]+/gi,
        '$1$2[redacted]',
      )
      .replace(/\bAuthorization:[^\n]*/gi, 'Authorization: [redacted]');
    return out.length > maxLength ? `${out.slice(0, maxLength)}…` : out;
  }
}
