import { describe, expect, it } from 'vitest';
import { compilePolicySet, evaluate, explain, parsePolicy, validatePolicy } from '../src/index.js';

// The README's "As a library" example, kept true by running it.
describe('the public library API', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
  });

  it('parses, compiles and decides as the README shows', () => {
    const { policy, ok } = parsePolicy(text, { type: 'identity' });
    expect(ok).toBe(true);
    const compiled = compilePolicySet({ identity: [{ name: 'dev', policy: policy! }] });
    const request = {
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
    };
    expect(evaluate(compiled, request)).toBe('Allowed');
    expect(evaluate(compiled, { ...request, action: 's3:PutObject' })).toBe('ImplicitlyDenied');
    const result = explain(compiled, request);
    expect(result.decision).toBe('Allowed');
    expect(result.explanation.decidedBy?.sid).toBe('Read');
  });

  it('validates a policy with positions', () => {
    const result = validatePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Nope","Resource":"*"}}',
    );
    expect(result.issues.some((i) => i.code === 'unknown-action' && i.line === 1)).toBe(true);
  });
});
