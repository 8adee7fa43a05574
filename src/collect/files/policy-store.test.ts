import { describe, expect, it } from 'vitest';
import { PolicyStore } from './policy-store.js';

const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});
const input = (role: string) => ({
  name: `${role} trust policy`,
  kind: 'trust' as const,
  type: 'trust' as const,
  source: `export.json#RoleDetailList[${role}]`,
  arn: `arn:aws:iam::111122223333:role/${role}`,
});

describe('PolicyStore: trust documents', () => {
  // Trust policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it('roles with the same trust document share one parsed Policy but keep their own names', () => {
    const store = new PolicyStore();
    const a = store.parse(trust('ec2.amazonaws.com'), input('a'));
    const b = store.parse(JSON.parse(JSON.stringify(trust('ec2.amazonaws.com'))), input('b'));
    expect(b.policy).toBe(a.policy);
    expect([a.name, a.source, a.arn]).not.toEqual([b.name, b.source, b.arn]);
    expect(b.arn).toBe('arn:aws:iam::111122223333:role/b');
  });

  it.each([
    ['another service', trust('lambda.amazonaws.com')],
    [
      'the same members in another order',
      { Statement: trust('ec2.amazonaws.com').Statement, Version: '2012-10-17' },
    ],
    ['the document as JSON text', JSON.stringify(trust('ec2.amazonaws.com'))],
  ])('%s is parsed on its own', (_, other) => {
    const store = new PolicyStore();
    const a = store.parse(trust('ec2.amazonaws.com'), input('a'));
    const b = store.parse(other, input('b'));
    expect(b.policy).not.toBe(a.policy);
    expect(b.policy.statements.length).toBe(1);
  });

  it('a bad document shared by two roles is counted and reported for each', () => {
    const store = new PolicyStore();
    const bad = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] };
    const a = store.parse(bad, input('a'));
    const b = store.parse(structuredClone(bad), input('b'));
    expect(a.ok).toBe(false);
    expect(b.ok).toBe(false);
    expect(b.issues).toEqual(a.issues);
    expect(store.errorCount).toBe(2);
  });
});
