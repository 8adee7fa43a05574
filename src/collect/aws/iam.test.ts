import { describe, expect, it } from 'vitest';
import { decodeAuthorizationDetails, decodeDocument, principalArns } from './iam.js';

const doc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a+b/*' }],
};
const enc = (text: string) => encodeURIComponent(text);

// The raw IAM API returns policy documents URL-encoded (RFC 3986); the CLI prints them decoded.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
describe('decodeDocument', () => {
  it.each([
    ['URL-encoded JSON', enc(JSON.stringify(doc)), doc],
    ['plain JSON text', JSON.stringify(doc), doc],
    ['an object already', doc, doc],
  ])('decodes %s into the object the CLI prints', (_name, input, expected) => {
    expect(decodeDocument(input)).toEqual(expected);
  });

  it('keeps a document with a duplicate key as decoded text, so nothing is silently dropped', () => {
    const text =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}]}';
    expect(decodeDocument(enc(text))).toBe(text);
  });

  it('keeps text that is not JSON as it came', () => {
    expect(decodeDocument(enc('{not json'))).toBe('{not json');
    expect(decodeDocument('%7B%ZZ')).toBe('%7B%ZZ');
  });

  it('does not turn a "+" into a space (this is not form decoding)', () => {
    expect(JSON.stringify(decodeDocument(enc(JSON.stringify(doc))))).toContain('a+b/*');
  });
});

describe('decodeAuthorizationDetails', () => {
  it('decodes inline, trust and managed-version documents, and lists every ARN', () => {
    const e = enc(JSON.stringify(doc));
    const out = decodeAuthorizationDetails({
      UserDetailList: [{ Arn: 'arn:u', UserPolicyList: [{ PolicyDocument: e }] }],
      GroupDetailList: [{ Arn: 'arn:g', GroupPolicyList: [{ PolicyDocument: e }] }],
      RoleDetailList: [
        { Arn: 'arn:r', AssumeRolePolicyDocument: e, RolePolicyList: [{ PolicyDocument: e }] },
      ],
      Policies: [{ Arn: 'arn:p', PolicyVersionList: [{ Document: e }] }],
    }) as Record<string, Array<Record<string, unknown>>>;
    expect(out.UserDetailList![0]!.UserPolicyList).toEqual([{ PolicyDocument: doc }]);
    expect(out.GroupDetailList![0]!.GroupPolicyList).toEqual([{ PolicyDocument: doc }]);
    expect(out.RoleDetailList![0]!.AssumeRolePolicyDocument).toEqual(doc);
    expect(out.RoleDetailList![0]!.RolePolicyList).toEqual([{ PolicyDocument: doc }]);
    expect(out.Policies![0]!.PolicyVersionList).toEqual([{ Document: doc }]);
    expect(principalArns(out)).toEqual(['arn:u', 'arn:g', 'arn:r', 'arn:p']);
  });
});
