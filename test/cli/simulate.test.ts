import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';

const allowS3 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
};
const request = {
  principal: 'arn:aws:iam::111122223333:user/alice',
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::bucket/key',
  policies: { identity: [allowS3] },
};

describe('leastpriv simulate', () => {
  it('answers one request with one JSON object holding the decision and its explanation', async () => {
    const r = await runCli(['simulate', '--request', 'r.json', '--format', 'json'], {
      'r.json': JSON.stringify(request),
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('Allowed');
    expect(out.explanation.decision).toBe('Allowed');
    expect(Array.isArray(out.explanation.layers)).toBe(true);
  });

  it('answers an array with JSON lines, in order', async () => {
    const denied = { ...request, action: 's3:PutObject' };
    const r = await runCli(['simulate', '--request', 'r.json', '--format', 'json'], {
      'r.json': JSON.stringify([request, denied]),
    });
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.decision)).toEqual(['Allowed', 'ImplicitlyDenied']);
  });

  it('keeps going past a bad line, names its line, and exits 2', async () => {
    const text = `${JSON.stringify(request)}\n{"principal": \n${JSON.stringify({ ...request, action: 's3:PutObject' })}\n`;
    const r = await runCli(['simulate', '--request', 'r.jsonl', '--format', 'json'], { 'r.jsonl': text });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.jsonl:2');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].decision).toBe('Allowed');
    expect(lines[1].error).toContain('r.jsonl:2');
    expect(lines[2].decision).toBe('ImplicitlyDenied');
  });

  it('rejects a request whose policy is invalid instead of guessing', async () => {
    const bad = {
      ...request,
      policies: {
        identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allw', Action: '*', Resource: '*' }] }],
      },
    };
    const r = await runCli(['simulate', '--request', 'r.json', '--format', 'json'], {
      'r.json': JSON.stringify(bad),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/identity\[0\] is not a valid policy/);
  });

  it('explains the bundled demo requests as AWS would decide them', async () => {
    const r = await runCli([
      'simulate',
      '--request',
      join(repoRoot, 'examples', 'requests', 'demo.jsonl'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const decisions = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).decision);
    expect(decisions).toEqual([
      'Allowed', // identity allows s3:GetObject on acme-app-*; SCPs allow in eu-west-1
      'ExplicitlyDenied', // region guardrail SCP denies ap-southeast-2
      'ExplicitlyDenied', // SCP protects the audit role from everyone but the platform admin
      'Allowed', // public bucket policy, anonymous over TLS
      'ExplicitlyDenied', // the same bucket denies insecure transport
      'Allowed', // vendor account: its identity policy and our trust policy both allow
      'ImplicitlyDenied', // MFA condition not met
      'Allowed', // ${aws:username} resolves to carol
    ]);
  });

  it('prints a readable explanation in text form', async () => {
    const r = await runCli(['simulate', '--request', 'r.json'], {
      'r.json': JSON.stringify({ ...request, action: 's3:PutObject' }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ImplicitlyDenied/);
  });

  it('requires --request', async () => {
    const r = await runCli(['simulate']);
    expect(r.code).toBe(2);
  });
});

describe('leastpriv (program)', () => {
  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('exits 2 on an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
  });
});
