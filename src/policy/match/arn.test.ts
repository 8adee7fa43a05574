import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestContext } from '../conditions/context.js';
import {
  compileArnPattern,
  compileResourcePattern,
  compileResourceTemplate,
  compileWildcard,
  parseArn,
} from './index.js';

describe('parseArn', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
  // (arn:partition:service:region:account-id:resource; the resource part may hold colons)
  it('splits the six parts and keeps colons in the resource', () => {
    expect(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:app:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'log-group:app:*',
    });
    expect(parseArn('arn:aws:s3:::bucket/key')).toEqual({
      partition: 'aws',
      service: 's3',
      region: '',
      account: '',
      resource: 'bucket/key',
    });
  });

  it.each(['*', 'arn:aws:s3', 'arn:aws:s3::', 'xarn:aws:s3:::b', ''])('rejects %j', (text) => {
    expect(parseArn(text)).toBeUndefined();
  });
});

describe('compileResourcePattern', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
  // Wildcards work within colon-separated segments; `*` in the resource part spans `/`
  // ("can expand to replace everything within a segment, including characters like a forward
  // slash"); a trailing `*` "can expand to match beyond the colon boundaries"; case-sensitive.
  it.each([
    ['*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c.jpg', true],
    ['arn:aws:s3:::bucket/*/test/*', 'arn:aws:s3:::bucket/1/2/test/3/object.jpg', true],
    ['arn:aws:s3:::bucket/*/test/*', 'arn:aws:s3:::bucket//test/object.jpg', true],
    ['arn:aws:s3:::bucket/*/test/*', 'arn:aws:s3:::bucket/1-test/object.jpg', false],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/key', false],
    ['arn:aws:iam::123456789012:user/Bob', 'arn:aws:iam::123456789012:user/bob', false],
    ['arn:aws:logs:*:*:log-group:app:*', 'arn:aws:logs:us-east-1:1:log-group:app:log-stream:x', true],
    ['arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1', true],
    ['arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:us-east-1:999999999999:instance/i-1', false],
    ['arn:aws:ec2:us-*-1:*:instance/*', 'arn:aws:ec2:us-east-1:1:instance/i', true],
    // `?` and an inner `*` stay inside their segment.
    ['arn:aws:sqs:us-east-1?1:q', 'arn:aws:sqs:us-east-1:1:q', false],
    ['arn:aws:s3:*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:s3:*', 'arn:aws:s3x:::bucket', false],
    ['arn:aws:*', 'arn:aws:ec2:us-east-1:1:instance/i', true],
    ['arn:aws:s3', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::bucket', 'bucket', false],
    ['bucket*', 'bucket-1', true],
    // Spelled-out head segments (checked as one prefix): the resource part may hold colons.
    ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket', true],
    ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/', false],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/:', true],
    ['arn:aws:sqs:us-east-1:1:q*', 'arn:aws:sqs:us-east-1:1:q:x', true],
    ['arn:aws:sqs:us-east-1:1:q', 'arn:aws:sqs:us-east-1:1', false],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(compileResourcePattern(pattern)(value)).toBe(expected);
  });

  it('agrees with a segment-by-segment reference on random ARNs', () => {
    // Reference: split both at the first five colons and glob each segment on its own.
    const split = (text: string) => {
      const parts = text.split(':');
      return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
    };
    const reference = (pattern: string, value: string) => {
      const p = split(pattern);
      const v = split(value);
      return p !== undefined && v !== undefined && p.every((seg, i) => compileWildcard(seg, false)(v[i]!));
    };
    const segment = fc.stringMatching(/^[ab*?/]{0,4}$/);
    const literal = fc.stringMatching(/^[ab/]{0,3}$/);
    const arn = (seg: fc.Arbitrary<string>) =>
      fc
        .tuple(literal, literal, literal, fc.stringMatching(/^[ab:/]{0,5}$/), seg)
        .map(
          ([partition, service, region, account, resource]) =>
            `arn:${partition}:${service}:${region}:${account.replace(/:/g, '')}:${resource}`,
        );
    fc.assert(
      fc.property(arn(segment), arn(fc.stringMatching(/^[ab:/]{0,6}$/)), (pattern, value) => {
        expect(compileResourcePattern(pattern)(value)).toBe(reference(pattern, value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("compileResourceTemplate without variables (the evaluator's path, with its shortcuts)", () => {
  const none = createRequestContext({});
  const patterns = fc.oneof(
    fc.stringMatching(/^arn:[a:]{0,3}:[a*]{0,2}:[a?]{0,2}:[a:]{0,2}:[ab/*?:]{0,5}$/),
    fc.stringMatching(/^arn:a:s3:::[ab/:]{0,4}\*?$/),
    fc.stringMatching(/^[ab*:]{0,6}$/),
  );
  const values = fc.oneof(
    fc.stringMatching(/^arn:[a:]{0,3}:[a]{0,2}:[a]{0,2}:[a:]{0,2}:[ab/:]{0,6}$/),
    fc.stringMatching(/^arn:a:s3:::[ab/:]{0,6}$/),
  );
  it('answers exactly as the general Resource matcher, for both policy versions', () => {
    fc.assert(
      fc.property(patterns, values, fc.boolean(), (pattern, value, variables) => {
        const template = compileResourceTemplate(pattern, { variables });
        expect(template.hasVariables).toBe(false);
        expect(template.test(value, none)).toBe(compileResourcePattern(pattern)(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('shares one matcher per pattern text and keeps exact and prefix answers', () => {
    const exact = compileResourceTemplate('arn:aws:s3:::bucket', { variables: true });
    expect(exact.test('arn:aws:s3:::bucket', none)).toBe(true);
    expect(exact.test('arn:aws:s3:::bucket2', none)).toBe(false);
    const prefix = compileResourceTemplate('arn:aws:s3:::bucket/*', { variables: true });
    expect(prefix.test('arn:aws:s3:::bucket/a:b', none)).toBe(true);
    expect(prefix.test('arn:aws:s3:::bucket', none)).toBe(false);
    const inner = compileResourceTemplate('arn:aws:s3:::b*/k', { variables: false });
    expect(compileResourceTemplate('arn:aws:s3:::b*/k', { variables: false })).toBe(inner);
    expect(inner.test('arn:aws:s3:::bx/k', none)).toBe(true);
  });
});

describe('compileArnPattern', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
  // "Each of the six colon-delimited components of the ARN is checked separately"; the page's
  // own example: StringLike matches, ArnLike does not.
  it('does not let `*` span a colon between segments (the documented example)', () => {
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    const value = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    expect(compileArnPattern(pattern)(value)).toBe(false);
  });

  it.each([
    ['arn:aws:sns:us-east-1:123456789012:topic', 'arn:aws:sns:us-east-1:123456789012:topic', true],
    ['arn:aws:sns:*:123456789012:*', 'arn:aws:sns:eu-west-1:123456789012:t', true],
    ['arn:aws:sns:*:123456789012:*', 'arn:aws:sns:eu-west-1:210987654321:t', false],
    ['arn:aws:iam::*:role/admin-?', 'arn:aws:iam::1:role/admin-x', true],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::1:role/path/x:y', true],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::1:ROLE/x', false],
    ['arn:aws:iam::*:role/*', 'not-an-arn', false],
    // A pattern that is not a six-part ARN matches nothing.
    ['*', 'arn:aws:iam::1:role/x', false],
    ['arn:aws:iam::*', 'arn:aws:iam::1:role/x', false],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(compileArnPattern(pattern)(value)).toBe(expected);
  });
});
