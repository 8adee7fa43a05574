import { describe, expect, it } from 'vitest';
import { classifyError, Redactor } from './classify-error.js';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('classifyError', () => {
  it.each([
    ['AccessDenied', 403, 'access-denied'],
    ['AccessDeniedException', 400, 'access-denied'],
    ['UnauthorizedOperation', 403, 'access-denied'],
    ['AuthorizationError', 403, 'access-denied'], // SNS
    ['SomethingForbidden', 403, 'access-denied'],
    ['Throttling', 400, 'throttled'],
    ['ThrottlingException', 400, 'throttled'],
    ['TooManyRequestsException', 429, 'throttled'],
    ['SlowDown', 503, 'throttled'],
    ['InternalFailure', 500, 'error'],
    ['ExpiredToken', 403, 'error'], // a credential problem, not a missing permission
    ['InvalidClientTokenId', 403, 'error'],
  ])('%s (HTTP %s) is a gap of reason %s', (name, status, reason) => {
    expect(classifyError(sdkError(name, status))).toMatchObject({ kind: 'gap', reason });
  });

  it('treats an error the SDK flags as throttling as throttled', () => {
    expect(classifyError(sdkError('Odd', 400, { $retryable: { throttling: true } }))).toMatchObject({
      reason: 'throttled',
    });
  });

  it.each([
    ['NoSuchEntityException', ['NoSuchEntity']],
    ['NoSuchEntity', ['NoSuchEntity']],
    ['NoSuchBucketPolicy', ['NoSuchBucketPolicy']],
    ['ResourceNotFoundException', ['ResourceNotFoundException']],
  ])('%s is "nothing there" when listed as absent', (name, absent) => {
    expect(classifyError(sdkError(name, 404), absent)).toEqual({ kind: 'absent' });
  });

  it('keeps the code and message in the gap message', () => {
    expect(classifyError(sdkError('AccessDenied', 403))).toMatchObject({
      message: 'AccessDenied: AccessDenied happened',
    });
  });
});

describe('Redactor', () => {
  it('removes known secrets and anything shaped like a signature or a token parameter', () => {
    const r = new Redactor();
    r.add('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    const text = r.redact(
      'key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and X-Amz-Security-Token=abc123 Signature=deadbeef\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIA/x',
    );
    expect(text).not.toContain('wJalrXUtnFEMI');
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('deadbeef');
    expect(text).not.toContain('AKIA/x');
  });

  it('cuts long messages', () => {
    expect(new Redactor().redact('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
