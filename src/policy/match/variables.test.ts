// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable text, not a template.
import { describe, expect, it } from 'vitest';
import { createRequestContext } from '../conditions/context.js';
import {
  compileArnTemplate,
  compileLiteralTemplate,
  compileResourceTemplate,
  compileWildcardTemplate,
  hasVariables,
  substituteVariables,
} from './index.js';

const context = createRequestContext({
  'aws:username': 'bob',
  'aws:PrincipalTag/team': 'blue',
  'aws:PrincipalAccount': '123456789012',
  'aws:TagKeys': ['a', 'b'],
  'aws:userid': 'AIDA*?',
});

describe('hasVariables', () => {
  it.each([
    ['home/${aws:username}', true],
    ['${*}', true],
    ['plain', false],
    ['$ {x}', false],
    ['${unclosed', false],
  ])('%j: %s', (text, expected) => {
    expect(hasVariables(text)).toBe(expected);
  });
});

describe('substituteVariables', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  // Key names are case-insensitive; `${key, 'default'}` supplies a default; `${*}`, `${?}`, `${$}`
  // stand for the literal characters; multi-valued keys cannot be used as variables
  // (reference_policies_condition-single-vs-multi-valued-context-keys.html).
  it.each([
    ['home/${aws:username}/*', 'home/bob/*'],
    ['${AWS:UserName}', 'bob'],
    ['${aws:PrincipalTag/team}-queue', 'blue-queue'],
    ["${aws:missing, 'anonymous'}", 'anonymous'],
    ["${aws:username, 'anonymous'}", 'bob'],
    ["${ aws:missing , 'x y' }", 'x y'],
    ['a${*}b${?}c${$}d', 'a*b?c$d'],
    ['${unclosed', '${unclosed'],
    ["${aws:TagKeys, 'none'}", 'none'],
  ])('%j → %j', (text, expected) => {
    expect(substituteVariables(text, context)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['${aws:missing}', 'aws:missing'],
    ['x/${aws:TagKeys}', 'aws:TagKeys'],
    ['${}', ''],
    ['${aws:username, anon}', 'aws:username, anon'],
  ])('%j cannot be resolved (missing %j)', (text, missingKey) => {
    expect(substituteVariables(text, context)).toEqual({ ok: false, missingKey });
  });
});

describe('template matchers', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
  // `${*}` is a literal asterisk, not a wildcard.
  it('keeps ${*} literal inside a wildcard pattern', () => {
    const m = compileWildcardTemplate('home/${aws:username}/${*}', { variables: true });
    expect(m.hasVariables).toBe(true);
    expect(m.test('home/bob/*', context)).toBe(true);
    expect(m.test('home/bob/x', context)).toBe(false);
  });

  it('treats substituted text literally, even when it holds * or ?', () => {
    const m = compileWildcardTemplate('${aws:userid}', { variables: true });
    expect(m.test('AIDA*?', context)).toBe(true);
    expect(m.test('AIDAXY', context)).toBe(false);
  });

  it('returns the missing key name when a variable cannot be filled', () => {
    const m = compileLiteralTemplate('${aws:missing}', { variables: true });
    expect(m.test('anything', context)).toBe('aws:missing');
  });

  it('leaves ${...} literal when variables are disabled (Version 2008-10-17)', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    // ("variables like ${aws:username} are treated as literal strings")
    const m = compileLiteralTemplate('${aws:username}', { variables: false });
    expect(m.hasVariables).toBe(false);
    expect(m.test('${aws:username}', context)).toBe(true);
    expect(m.test('bob', context)).toBe(false);
  });

  it('substitutes in the resource part of a Resource pattern', () => {
    const m = compileResourceTemplate('arn:aws:s3:::bucket/${aws:username}/*', { variables: true });
    expect(m.test('arn:aws:s3:::bucket/bob/file', context)).toBe(true);
    expect(m.test('arn:aws:s3:::bucket/alice/file', context)).toBe(false);
  });

  it('splits ARN segments before substituting (a colon inside ${...} is not a separator)', () => {
    const m = compileArnTemplate('arn:aws:iam::${aws:PrincipalAccount}:role/*', { variables: true });
    expect(m.test('arn:aws:iam::123456789012:role/x', context)).toBe(true);
    expect(m.test('arn:aws:iam::999999999999:role/x', context)).toBe(false);
  });

  it('keeps a colon in a substituted head segment from acting as a separator', () => {
    const m = compileResourceTemplate('arn:aws:s3:${aws:userid}:1:b', { variables: true });
    const withColon = createRequestContext({ 'aws:userid': 'x:y' });
    expect(m.test('arn:aws:s3:x:y:1:b', withColon)).toBe(false);
    expect(m.test('arn:aws:s3:x:1:b', createRequestContext({ 'aws:userid': 'x' }))).toBe(true);
    // The matcher for the last values is reused only while they repeat.
    expect(m.test('arn:aws:s3:x:y:1:b', withColon)).toBe(false);
  });

  it('answers false without the variable when the other ARN segments already differ', () => {
    const m = compileResourceTemplate('arn:aws:iam::111122223333:user/${aws:TokenIssueTime}', {
      variables: true,
    });
    expect(m.test('arn:aws:s3:::bucket/x', context)).toBe(false);
    expect(m.test('arn:aws:iam::999999999999:user/x', context)).toBe(false);
    expect(m.test('arn:aws:iam::111122223333:user/x', context)).toBe('aws:TokenIssueTime');
  });

  it('compares case-insensitively when asked, including substituted text', () => {
    const m = compileLiteralTemplate('TEAM-${aws:PrincipalTag/team}', {
      variables: true,
      caseInsensitive: true,
    });
    expect(m.test('team-BLUE', context)).toBe(true);
  });
});
