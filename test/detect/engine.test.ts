import { describe, expect, it } from 'vitest';
import { detect } from '../../src/activity/detect/engine.js';
import { eventContext, fieldValue, pathValue, policyExposure } from '../../src/activity/detect/fields.js';
import { evaluatePredicate, predicateProblems } from '../../src/activity/detect/predicate.js';
import { parseRule } from '../../src/activity/detect/rules.js';

describe('field access', () => {
  it('reads own properties only (no prototype lookups from attacker-written paths)', () => {
    const record = JSON.parse('{"requestParameters":{"__proto__":{"x":1},"a":{"b":"c"}}}');
    expect(pathValue(record, 'requestParameters.a.b')).toBe('c');
    expect(pathValue(record, 'requestParameters.constructor')).toBeUndefined();
    expect(pathValue(record, 'toString')).toBeUndefined();
    expect(pathValue({ list: ['x', 'y'] }, 'list.1')).toBe('y');
  });

  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['cloudtrail.amazonaws.com', undefined],
    ['AWS Internal', undefined],
  ])('source network of %s is %s', (ip, prefix) => {
    expect(fieldValue(eventContext({ sourceIPAddress: ip }), '$sourceIpPrefix')).toBe(prefix);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it.each([
    [{ Statement: [{ Effect: 'Allow', Principal: '*' }] }, 'public'],
    [
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
          },
        ],
      },
      'conditional',
    ],
    [{ Statement: [{ Effect: 'Allow', Principal: { AWS: ['999988887777'] } }] }, 'foreign'],
    [{ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/x' } }] }, 'none'],
    [{ Statement: [{ Effect: 'Deny', Principal: '*' }] }, 'none'],
  ])('policy exposure %#', (doc, expected) => {
    expect(policyExposure(doc, '111122223333')).toBe(expected);
  });
});

describe('predicates', () => {
  const ctx = eventContext({ eventName: 'PutBucketPolicy', readOnly: 'false', n: '900' });
  it.each([
    [{ field: 'eventName', glob: 'Put*Policy' }, true],
    [{ field: 'eventName', startsWith: ['Get', 'List'] }, false],
    [{ field: 'readOnly', equals: false }, true],
    [{ field: 'n', gte: 900, lte: 900 }, true],
    [{ field: 'missing', notEquals: 'x' }, true],
    [{ field: 'missing', exists: false }, true],
    [{ not: { field: 'eventName', in: ['PutBucketPolicy'] } }, false],
    [
      {
        any: [
          { field: 'eventName', equals: 'x' },
          { field: 'eventName', equalsIgnoreCase: 'putbucketpolicy' },
        ],
      },
      true,
    ],
  ])('%j → %s', (p, expected) => {
    expect(evaluatePredicate(p, ctx)).toBe(expected);
  });

  it('reports unknown operators and derived fields', () => {
    expect(predicateProblems({ field: 'x', regex: '.*' })).toEqual(['match: unknown operator "regex"']);
    expect(predicateProblems({ field: '$nope', equals: 1 })).toEqual(['match: unknown derived field $nope']);
    expect(predicateProblems({ all: [] })).toEqual(['match.all: expected a non-empty list']);
  });
});

describe('rule files and the engine', () => {
  const text = `
id: demo
title: Demo
severity: low
description: d
mitre: [T1098]
match: { field: eventName, equals: X }
tests:
  - { name: t, expect: true, event: { eventName: X } }
  - { name: f, expect: false, event: { eventName: Y } }
`;
  it('requires the id to match the file name, and both true and false tests', () => {
    expect(() => parseRule(text, '/rules/other.yaml')).toThrow(/id must equal the file name/);
    expect(() => parseRule(text.replace(/ {2}- \{ name: f.*\n/, ''), '/rules/demo.yaml')).toThrow(
      /true and one false/,
    );
    expect(parseRule(text, '/rules/demo.yaml').tests).toHaveLength(2);
  });

  it('drops alerts before --since but still learns from those events', () => {
    const rule = parseRule(text, '/rules/demo.yaml');
    const events = [
      { eventName: 'X', eventID: 'old', eventTime: '2024-01-01T00:00:00Z' },
      { eventName: 'X', eventID: 'new', eventTime: '2024-03-01T00:00:00Z' },
    ];
    expect(detect([rule], events).map((a) => a.eventIds[0])).toEqual(['old', 'new']);
    expect(
      detect([rule], events, { since: new Date('2024-02-01T00:00:00Z') }).map((a) => a.eventIds[0]),
    ).toEqual(['new']);
  });
});
