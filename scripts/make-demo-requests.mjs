// Writes examples/requests/demo.jsonl from the example policies: run after changing either.
import { readFileSync, writeFileSync } from 'node:fs';

const policy = (name) =>
  JSON.parse(readFileSync(new URL(`../examples/policies/${name}.json`, import.meta.url), 'utf8'));
const fullAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const scp = [[fullAccess], [fullAccess, policy('scp-region-guardrail')]];
const alice = 'arn:aws:iam::111122223333:user/alice';

const requests = [
  {
    principal: alice,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::acme-app-data/reports/2026-11.csv',
    context: { 'aws:RequestedRegion': 'eu-west-1' },
    policies: { identity: [policy('developer-identity')], scp },
  },
  {
    principal: alice,
    action: 'ec2:RunInstances',
    resource: 'arn:aws:ec2:ap-southeast-2:111122223333:instance/*',
    context: { 'aws:RequestedRegion': 'ap-southeast-2' },
    policies: { identity: [policy('developer-identity')], scp },
  },
  {
    principal: alice,
    action: 'iam:DeleteRole',
    resource: 'arn:aws:iam::111122223333:role/acme-security-audit',
    context: { 'aws:RequestedRegion': 'us-east-1' },
    policies: { identity: [fullAccess], scp },
  },
  {
    principal: 'anonymous',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::acme-website-assets/index.html',
    resourceAccount: '111122223333',
    context: { 'aws:SecureTransport': true },
    policies: { resource: policy('public-bucket-policy') },
  },
  {
    principal: 'anonymous',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::acme-website-assets/index.html',
    resourceAccount: '111122223333',
    context: { 'aws:SecureTransport': false },
    policies: { resource: policy('public-bucket-policy') },
  },
  {
    principal: 'arn:aws:iam::999988887777:role/vendor-scanner',
    action: 'sts:AssumeRole',
    resource: 'arn:aws:iam::111122223333:role/acme-vendor-access',
    policies: {
      identity: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
      ],
      resource: policy('vendor-trust'),
    },
  },
  {
    principal: 'arn:aws:iam::111122223333:user/carol',
    action: 'ec2:DescribeInstances',
    resource: '*',
    context: { 'aws:MultiFactorAuthPresent': false },
    policies: { identity: [policy('readonly-with-mfa')] },
  },
  {
    principal: 'arn:aws:iam::111122223333:user/carol',
    action: 'iam:ChangePassword',
    resource: 'arn:aws:iam::111122223333:user/carol',
    policies: { identity: [policy('readonly-with-mfa')] },
  },
];
writeFileSync(
  new URL('../examples/requests/demo.jsonl', import.meta.url),
  `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`,
);
console.log(`wrote ${requests.length} requests to examples/requests/demo.jsonl`);
