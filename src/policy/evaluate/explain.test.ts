import { describe, expect, it } from 'vitest';
import { compilePolicy, compilePolicySet, evaluate, explain } from './index.js';
import { renderExplanationText } from './render-text.js';
import {
  ACCT,
  ALLOW_ALL,
  allow,
  BUCKET,
  deny,
  OBJECT,
  OTHER_USER,
  policy,
  SESSION,
  USER,
} from './test-helpers.js';

const request = { principal: USER, action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT };

describe('explain: explanation shape', () => {
  it('names the deciding Deny statement with its Sid, layer and position', () => {
    const identity = policy('dev-access', 'identity', [ALLOW_ALL, deny('s3:*', '*', { Sid: 'NoS3' })]);
    const result = explain(compilePolicySet({ identity: [identity] }), request);
    expect(result.explanation.decidedBy).toEqual({
      layer: 'identity',
      policy: 'dev-access',
      statement: 1,
      sid: 'NoS3',
    });
    const layer = result.explanation.layers.find((l) => l.type === 'identity');
    expect(layer?.verdict).toBe('Deny');
    const stmt = layer?.policies[0]?.statements.find((s) => s.sid === 'NoS3');
    expect(stmt?.verdict).toBe('match');
    // Positions point into the JSON text the policy came from.
    expect(stmt?.pos?.line).toBeGreaterThan(1);
  });

  it('lists each failed condition with its reason for statements whose action and resource matched', () => {
    const identity = policy('p', 'identity', [
      allow('s3:GetObject', '*', {
        Sid: 'OnlyFromOffice',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      }),
    ]);
    const result = explain(compilePolicySet({ identity: [identity] }), {
      ...request,
      context: { 'aws:SourceIp': '198.51.100.7' },
    });
    expect(result.decision).toBe('ImplicitlyDenied');
    const stmt = result.explanation.layers[0]?.policies[0]?.statements[0];
    expect(stmt?.verdict).toBe('no-match');
    expect(stmt?.conditions).toHaveLength(1);
    expect(stmt?.conditions[0]?.verdict).toBe('no-match');
    expect(stmt?.conditions[0]?.key).toBe('aws:SourceIp');
    expect(stmt?.conditions[0]?.reason).toMatch(/198\.51\.100\.7/);
  });

  it('omits statements whose action does not match', () => {
    const identity = policy('p', 'identity', [allow('ec2:*'), allow('s3:GetObject')]);
    const result = explain(compilePolicySet({ identity: [identity] }), request);
    expect(result.explanation.layers[0]?.policies[0]?.statements.map((s) => s.index)).toEqual([1]);
  });

  it('reports every SCP level, with the level that failed', () => {
    const scps = [[policy('Full', 'scp', [ALLOW_ALL])], [policy('Ec2Only', 'scp', [allow('ec2:*')])]];
    const result = explain(
      compilePolicySet({ identity: [policy('p', 'identity', [ALLOW_ALL])], scp: scps }),
      request,
    );
    expect(result.explanation.reasonCode).toBe('scp-no-allow');
    const levels = result.explanation.layers.filter((l) => l.type === 'scp');
    expect(levels.map((l) => [l.level, l.verdict])).toEqual([
      [0, 'Allow'],
      [1, 'NoMatch'],
    ]);
    expect(result.explanation.reason).toMatch(/level 1/);
  });

  it('marks a layer that does not apply, with the reason', () => {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    const compiled = compilePolicySet(
      { identity: [policy('p', 'identity', [ALLOW_ALL])], scp: [[policy('DenyAll', 'scp', [deny('*')])]] },
      { managementAccount: ACCT },
    );
    const scp = explain(compiled, request).explanation.layers.find((l) => l.type === 'scp');
    expect(scp?.applies).toBe(false);
    expect(scp?.note).toMatch(/management account/);
  });

  it('lists the undecidable constructs when the decision is Unknown', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
    const identity = policy('p', 'identity', [
      allow('s3:GetObject', '*', { Sid: 'Odd', Condition: { StringFancy: { 'aws:username': 'alice' } } }),
    ]);
    const result = explain(compilePolicySet({ identity: [identity] }), request);
    expect(result.decision).toBe('Unknown');
    expect(result.explanation.unknowns?.length).toBeGreaterThan(0);
    expect(result.explanation.unknowns?.[0]).toMatch(/StringFancy/);
  });

  it('says when the resource account was assumed', () => {
    const result = explain(compilePolicySet({ identity: [policy('p', 'identity', [ALLOW_ALL])] }), {
      principal: USER,
      action: 's3:GetObject',
      resource: OBJECT,
    });
    expect(result.explanation.resourceAccount).toBe(ACCT);
    expect(result.explanation.notes?.join(' ')).toMatch(/assumed/);
  });

  it('marks cross-account requests', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
    const result = explain(compilePolicySet({ identity: [policy('p', 'identity', [ALLOW_ALL])] }), {
      principal: OTHER_USER,
      action: 's3:GetObject',
      resource: OBJECT,
      resourceAccount: ACCT,
    });
    expect(result.explanation.crossAccount).toBe(true);
    expect(result.explanation.principalAccount).toBe('444455556666');
  });

  it('is plain JSON: serialises and parses back to the same value', () => {
    const identity = policy('p', 'identity', [
      ALLOW_ALL,
      deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
    const result = explain(compilePolicySet({ identity: [identity] }), {
      ...request,
      context: { 'aws:SecureTransport': 'false' },
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('compilation cache', () => {
  it('compiles a policy once and reuses it across policy sets', () => {
    const named = policy('p', 'identity', [ALLOW_ALL]);
    const a = compilePolicy(named);
    expect(compilePolicy(named)).toBe(a);
    const set1 = compilePolicySet({ identity: [named] });
    const set2 = compilePolicySet({ identity: [a] });
    expect(set1.policies.identity?.[0]).toBe(a);
    expect(set2.policies.identity?.[0]).toBe(a);
    expect(evaluate(set2, request)).toBe('Allowed');
  });

  it('rejects a plain object that is neither a NamedPolicy nor compiled', () => {
    expect(() => compilePolicySet({ identity: [{ name: 'fake' }] })).toThrow(/neither/);
  });
});

describe('renderExplanationText', () => {
  it('puts the decision first, then layers with Sid, line:column and failed conditions', () => {
    const identity = policy('dev-access', 'identity', [
      allow('s3:GetObject', `${BUCKET}/*`, {
        Sid: 'ReadReports',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      }),
    ]);
    const text = renderExplanationText(
      explain(compilePolicySet({ identity: [identity] }), {
        ...request,
        context: { 'aws:RequestedRegion': 'eu-west-1' },
      }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Decision: ImplicitlyDenied (no-allow)');
    expect(text).toMatch(/Identity policies: NoMatch/);
    expect(text).toMatch(/Allow statement "ReadReports" \(line \d+:\d+\): no-match/);
    expect(text).toMatch(/failed: StringEquals aws:RequestedRegion \(line \d+:\d+\): .*eu-west-1/);
  });

  it('escapes control characters from policy text', () => {
    const identity = policy('evil\u001b[31mname', 'identity', [deny('s3:*', '*', { Sid: 'x' })]);
    const text = renderExplanationText(explain(compilePolicySet({ identity: [identity] }), request));
    expect(text).not.toContain('\u001b');
    expect(text).toContain('evil\\u001b[31mname');
  });

  it('names the role session principal’s deciding resource statement', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
    const resource = policy('bucket', 'resource', [
      allow('s3:GetObject', '*', { Sid: 'ToSession', Principal: { AWS: SESSION } }),
    ]);
    const result = explain(compilePolicySet({ resource: [resource] }), { ...request, principal: SESSION });
    expect(result.decision).toBe('Allowed');
    expect(result.explanation.decidedBy?.layer).toBe('resource');
    expect(renderExplanationText(result)).toMatch(
      /Decided by: resource policy bucket, statement #0 "ToSession"/,
    );
  });
});
