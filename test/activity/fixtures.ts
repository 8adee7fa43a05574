import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ActivityDb } from '../../src/activity/store.js';

export type Event = Record<string, unknown>;

let counter = 0;

/** A CloudTrail management event with sensible defaults; override any field. */
export function event(overrides: Event = {}): Event {
  counter++;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAALICEEXAMPLE0001',
      userName: 'alice',
    },
    eventTime: '2026-10-01T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.1',
    userAgent: 'aws-cli/2.0',
    requestParameters: null,
    responseElements: null,
    eventID: id,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...overrides,
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'leastpriv-activity-'));
}

export function writeFile(path: string, content: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export function writeRecordsGz(path: string, events: readonly Event[]): string {
  return writeFile(path, gzipSync(JSON.stringify({ Records: events })));
}

/** The S3 key layout of a trail: AWSLogs/[o-org/]account/CloudTrail/region/yyyy/mm/dd/file. */
export function s3Path(root: string, account: string, name: string, org?: string): string {
  return join(
    root,
    'AWSLogs',
    ...(org ? [org] : []),
    account,
    'CloudTrail',
    'eu-west-1',
    '2026',
    '10',
    '01',
    name,
  );
}

/** The rows of one read-only query on a database file (opened and closed around it). */
export async function queryRows(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const r = await ActivityDb.openReadOnly(db);
  try {
    return [...(await r.query(sql)).rows];
  } finally {
    r.close();
  }
}
