import { describe, expect, it } from 'vitest';
import { NO_POSITION } from '../../model/issue.js';
import type { PrincipalSet } from '../../model/policy.js';
import {
  arnAccount,
  compilePrincipalSet,
  isExcludedByNotPrincipal,
  matchPrincipal,
  PrincipalMatch,
  parsePrincipal,
} from './principal.js';
import { derivedContextKeys } from './request-state.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
const set = (aws: string[], extra: Partial<PrincipalSet> = {}): PrincipalSet => ({
  wildcard: false,
  aws,
  service: [],
  federated: [],
  canonicalUser: [],
  pos: NO_POSITION,
  ...extra,
});

describe('parsePrincipal', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/dev/alice', 'user', '111122223333', 'alice', 'User'],
    ['arn:aws:iam::111122223333:role/app/AppRole', 'role', '111122223333', 'AppRole', 'AssumedRole'],
    [
      'arn:aws:sts::111122223333:assumed-role/AppRole/job-1',
      'assumed-role',
      '111122223333',
      'AppRole',
      'AssumedRole',
    ],
    [
      'arn:aws:sts::111122223333:federated-user/bob',
      'federated-user',
      '111122223333',
      'bob',
      'FederatedUser',
    ],
    ['arn:aws:iam::111122223333:root', 'root', '111122223333', undefined, 'Account'],
    ['111122223333', 'root', '111122223333', undefined, 'Account'],
    ['lambda.amazonaws.com', 'service', undefined, undefined, undefined],
    ['anonymous', 'anonymous', undefined, undefined, 'Anonymous'],
  ] as const)('%s is a %s', (raw, kind, account, name, type) => {
    const p = parsePrincipal(raw);
    expect(p.kind).toBe(kind);
    expect(p.account).toBe(account);
    expect(p.name).toBe(name);
    expect(p.principalType).toBe(type);
  });

  it('gives a role session the role ARN as aws:PrincipalArn', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
    expect(parsePrincipal('arn:aws:sts::111122223333:assumed-role/AppRole/job-1').principalArn).toBe(
      'arn:aws:iam::111122223333:role/AppRole',
    );
  });

  it('recognises service-linked roles by path and by name', () => {
    expect(
      parsePrincipal('arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS')
        .serviceLinked,
    ).toBe(true);
    expect(
      parsePrincipal('arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECS/ecs').serviceLinked,
    ).toBe(true);
    expect(parsePrincipal('arn:aws:iam::111122223333:role/AppRole').serviceLinked).toBe(false);
  });
});

describe('matchPrincipal', () => {
  const session = parsePrincipal('arn:aws:sts::111122223333:assumed-role/AppRole/job-1');
  it.each([
    [
      'the session ARN itself',
      set(['arn:aws:sts::111122223333:assumed-role/AppRole/job-1']),
      PrincipalMatch.Direct,
    ],
    ['the role ARN (with a path)', set(['arn:aws:iam::111122223333:role/app/AppRole']), PrincipalMatch.Role],
    ['the account root ARN', set(['arn:aws:iam::111122223333:root']), PrincipalMatch.Account],
    ['the bare account ID', set(['111122223333']), PrincipalMatch.Account],
    ['AWS *', set(['*']), PrincipalMatch.Direct],
    ['another account', set(['444455556666']), PrincipalMatch.None],
    ['another role', set(['arn:aws:iam::111122223333:role/Other']), PrincipalMatch.None],
  ])('a role session is matched by %s', (_name, s, expected) => {
    expect(matchPrincipal(compilePrincipalSet(s), session, undefined)).toBe(expected);
  });

  it('compares the full role ARN when the caller gave aws:PrincipalArn', () => {
    const p = compilePrincipalSet(set(['arn:aws:iam::111122223333:role/app/AppRole']));
    expect(matchPrincipal(p, session, 'arn:aws:iam::111122223333:role/app/AppRole')).toBe(
      PrincipalMatch.Role,
    );
    expect(matchPrincipal(p, session, 'arn:aws:iam::111122223333:role/other-path/AppRole')).toBe(
      PrincipalMatch.None,
    );
  });

  it('matches service principals case-insensitively and only by Service', () => {
    const svc = parsePrincipal('lambda.amazonaws.com');
    expect(
      matchPrincipal(compilePrincipalSet(set([], { service: ['Lambda.amazonaws.com'] })), svc, undefined),
    ).toBe(PrincipalMatch.Direct);
    expect(matchPrincipal(compilePrincipalSet(set(['111122223333'])), svc, undefined)).toBe(
      PrincipalMatch.None,
    );
  });
});

describe('isExcludedByNotPrincipal', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  const user = parsePrincipal('arn:aws:iam::111122223333:user/alice');
  it.each([
    ['user and account listed', ['arn:aws:iam::111122223333:user/alice', '111122223333'], true],
    ['only the user listed', ['arn:aws:iam::111122223333:user/alice'], false],
    ['only the account listed', ['111122223333'], false],
    ['a different user and the account', ['arn:aws:iam::111122223333:user/bob', '111122223333'], false],
  ])('%s → exempt: %s', (_name, aws, expected) => {
    expect(isExcludedByNotPrincipal(compilePrincipalSet(set(aws)), user, undefined)).toBe(expected);
  });
});

describe('derived context keys', () => {
  it('derives what AWS always supplies for an IAM user', () => {
    const keys = Object.fromEntries(
      derivedContextKeys(parsePrincipal('arn:aws:iam::111122223333:user/alice'), '444455556666'),
    );
    expect(keys).toEqual({
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/alice',
      'aws:PrincipalAccount': '111122223333',
      'aws:PrincipalType': 'User',
      'aws:username': 'alice',
      'aws:PrincipalIsAWSService': 'false',
      'aws:ResourceAccount': '444455556666',
    });
  });

  it('derives the service keys for a service principal', () => {
    const keys = Object.fromEntries(derivedContextKeys(parsePrincipal('lambda.amazonaws.com'), undefined));
    expect(keys).toEqual({
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': 'lambda.amazonaws.com',
    });
  });
});

describe('arnAccount', () => {
  it.each([
    ['arn:aws:kms:us-east-1:111122223333:key/abc', '111122223333'],
    ['arn:aws:s3:::bucket/key:with:colons', undefined],
    ['*', undefined],
  ])('%s → %s', (arn, account) => {
    expect(arnAccount(arn)).toBe(account);
  });
});
