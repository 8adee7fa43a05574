import { paginateListAnalyzers, paginateListFindings } from '@aws-sdk/client-accessanalyzer';
import { GetRepositoryPolicyCommand, paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import { GetKeyPolicyCommand, paginateListKeys } from '@aws-sdk/client-kms';
import { GetPolicyCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
} from '@aws-sdk/client-s3';
import { GetResourcePolicyCommand, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand, paginateListTopics } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import type { ClientSet } from './clients.js';
import { type MergeSpec, onePage, type Page } from './paginate.js';

/**
 * What to collect per region, as data: a listing call, then per listed resource the calls that
 * fetch its policy. File names and shapes follow docs/snapshot-format.md.
 */
export interface ListingSpec {
  readonly artifact: string;
  readonly call: string;
  /** `global`: once per account, in the partition's global region folder (S3's bucket list). */
  readonly scope: 'global' | 'regional';
  readonly fetch: (clients: ClientSet) => AsyncIterable<object>;
  readonly pages: MergeSpec;
  readonly transform?: (output: Page) => Page | undefined;
  readonly perResource: readonly PerResourceSpec[];
}

export interface PerResourceSpec {
  readonly artifact: string;
  readonly call: string;
  /** The identifiers to fetch, from the listing's (merged) output. */
  readonly targets: (listing: Page) => readonly string[];
  readonly fetch: (clients: ClientSet, target: string) => AsyncIterable<object>;
  readonly pages?: MergeSpec;
  /** Error codes meaning the resource has no policy: no file and no gap. */
  readonly absentOn?: readonly string[];
  readonly transform?: (output: Page) => Page | undefined;
}

type Item = Readonly<Record<string, unknown>>;

/** `listing[member][*][key]`, skipping anything that is not a non-empty string. */
function pluck(member: string, key: string, keep: (item: Item) => boolean = () => true) {
  return (listing: Page): string[] => {
    const items = listing[member];
    if (!Array.isArray(items)) return [];
    const out: string[] = [];
    for (const item of items as unknown[]) {
      if (item === null || typeof item !== 'object') continue;
      const value = (item as Item)[key];
      if (typeof value === 'string' && value !== '' && keep(item as Item)) out.push(value);
    }
    return out;
  };
}

function strings(member: string) {
  return (listing: Page): string[] => {
    const items = listing[member];
    return Array.isArray(items) ? items.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  };
}

/** A write-only file needs no policy-less placeholder: "no file" means "no policy". */
const onlyWith =
  (member: string) =>
  (output: Page): Page | undefined =>
    typeof output[member] === 'string' && output[member] !== '' ? output : undefined;

/**
 * Environment variables of Lambda functions often hold secrets; the snapshot keeps their names
 * (a check may want to know a variable exists) but never their values.
 */
export function redactFunctionEnvironment(output: Page): Page {
  const functions = output.Functions;
  if (!Array.isArray(functions)) return output;
  return {
    ...output,
    Functions: functions.map((fn: unknown) => {
      const f = fn as Item;
      const env = f?.Environment as Item | undefined;
      const vars = env?.Variables as Item | undefined;
      if (!vars || typeof vars !== 'object') return fn;
      const redacted: Record<string, string> = Object.create(null);
      for (const name of Object.keys(vars)) redacted[name] = '[redacted by leastpriv]';
      return { ...f, Environment: { ...env, Variables: redacted } };
    }),
  };
}

// External-access analyzers have findings in ListFindings; unused-access ones only in ListFindingsV2.
const EXTERNAL_ACCESS_ANALYZERS = new Set(['ACCOUNT', 'ORGANIZATION']);

export const LISTINGS: readonly ListingSpec[] = [
  {
    artifact: 's3-list-buckets',
    call: 's3:ListAllMyBuckets',
    scope: 'global',
    fetch: (c) => paginateListBuckets({ client: c.get('s3') }, {}),
    pages: { token: 'ContinuationToken', merge: ['Buckets'] },
    perResource: [
      {
        artifact: 's3-get-bucket-policy',
        call: 's3:GetBucketPolicy',
        targets: pluck('Buckets', 'Name'),
        fetch: (c, bucket) => onePage(() => c.get('s3').send(new GetBucketPolicyCommand({ Bucket: bucket }))),
        absentOn: ['NoSuchBucketPolicy', 'NoSuchBucket'],
      },
      {
        artifact: 's3-get-public-access-block',
        call: 's3:GetBucketPublicAccessBlock',
        targets: pluck('Buckets', 'Name'),
        fetch: (c, bucket) =>
          onePage(() => c.get('s3').send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
        absentOn: ['NoSuchPublicAccessBlockConfiguration', 'NoSuchBucket'],
      },
      {
        artifact: 's3-get-bucket-location',
        call: 's3:GetBucketLocation',
        targets: pluck('Buckets', 'Name'),
        fetch: (c, bucket) =>
          onePage(() => c.get('s3').send(new GetBucketLocationCommand({ Bucket: bucket }))),
        absentOn: ['NoSuchBucket'],
      },
    ],
  },
  {
    artifact: 'kms-list-keys',
    call: 'kms:ListKeys',
    scope: 'regional',
    fetch: (c) => paginateListKeys({ client: c.get('kms') }, {}),
    pages: { token: 'NextMarker', merge: ['Keys'], drop: ['Truncated'] },
    perResource: [
      {
        artifact: 'kms-get-key-policy',
        call: 'kms:GetKeyPolicy',
        targets: pluck('Keys', 'KeyId'),
        fetch: (c, keyId) =>
          onePage(() => c.get('kms').send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))),
        absentOn: ['NotFoundException'],
      },
    ],
  },
  {
    artifact: 'sqs-list-queues',
    call: 'sqs:ListQueues',
    scope: 'regional',
    fetch: (c) => paginateListQueues({ client: c.get('sqs') }, {}),
    pages: { token: 'NextToken', merge: ['QueueUrls'] },
    perResource: [
      {
        artifact: 'sqs-get-queue-attributes',
        call: 'sqs:GetQueueAttributes',
        targets: strings('QueueUrls'),
        fetch: (c, url) =>
          onePage(() =>
            c.get('sqs').send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })),
          ),
        absentOn: ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'],
      },
    ],
  },
  {
    artifact: 'sns-list-topics',
    call: 'sns:ListTopics',
    scope: 'regional',
    fetch: (c) => paginateListTopics({ client: c.get('sns') }, {}),
    pages: { token: 'NextToken', merge: ['Topics'] },
    perResource: [
      {
        artifact: 'sns-get-topic-attributes',
        call: 'sns:GetTopicAttributes',
        targets: pluck('Topics', 'TopicArn'),
        fetch: (c, arn) => onePage(() => c.get('sns').send(new GetTopicAttributesCommand({ TopicArn: arn }))),
        absentOn: ['NotFound'],
      },
    ],
  },
  {
    artifact: 'lambda-list-functions',
    call: 'lambda:ListFunctions',
    scope: 'regional',
    fetch: (c) => paginateListFunctions({ client: c.get('lambda') }, {}),
    pages: { token: 'NextMarker', merge: ['Functions'] },
    transform: redactFunctionEnvironment,
    perResource: [
      {
        artifact: 'lambda-get-policy',
        call: 'lambda:GetPolicy',
        targets: pluck('Functions', 'FunctionName'),
        fetch: (c, name) => onePage(() => c.get('lambda').send(new GetPolicyCommand({ FunctionName: name }))),
        absentOn: ['ResourceNotFoundException'],
      },
    ],
  },
  {
    artifact: 'ecr-describe-repositories',
    call: 'ecr:DescribeRepositories',
    scope: 'regional',
    fetch: (c) => paginateDescribeRepositories({ client: c.get('ecr') }, {}),
    pages: { token: 'nextToken', merge: ['repositories'] },
    perResource: [
      {
        artifact: 'ecr-get-repository-policy',
        call: 'ecr:GetRepositoryPolicy',
        targets: pluck('repositories', 'repositoryName'),
        fetch: (c, name) =>
          onePage(() => c.get('ecr').send(new GetRepositoryPolicyCommand({ repositoryName: name }))),
        absentOn: ['RepositoryPolicyNotFoundException', 'RepositoryNotFoundException'],
      },
    ],
  },
  {
    artifact: 'secretsmanager-list-secrets',
    call: 'secretsmanager:ListSecrets',
    scope: 'regional',
    fetch: (c) => paginateListSecrets({ client: c.get('secretsmanager') }, {}),
    pages: { token: 'NextToken', merge: ['SecretList'] },
    perResource: [
      {
        artifact: 'secretsmanager-get-resource-policy',
        call: 'secretsmanager:GetResourcePolicy',
        targets: pluck('SecretList', 'ARN'),
        fetch: (c, arn) =>
          onePage(() => c.get('secretsmanager').send(new GetResourcePolicyCommand({ SecretId: arn }))),
        absentOn: ['ResourceNotFoundException'],
        transform: onlyWith('ResourcePolicy'),
      },
    ],
  },
  {
    artifact: 'access-analyzer-list-analyzers',
    call: 'access-analyzer:ListAnalyzers',
    scope: 'regional',
    fetch: (c) => paginateListAnalyzers({ client: c.get('accessanalyzer') }, {}),
    pages: { token: 'nextToken', merge: ['analyzers'] },
    perResource: [
      {
        artifact: 'access-analyzer-list-findings',
        call: 'access-analyzer:ListFindings',
        targets: pluck('analyzers', 'arn', (a) => EXTERNAL_ACCESS_ANALYZERS.has(String(a.type))),
        fetch: (c, arn) => paginateListFindings({ client: c.get('accessanalyzer') }, { analyzerArn: arn }),
        pages: { token: 'nextToken', merge: ['findings'] },
        absentOn: ['ResourceNotFoundException'],
      },
    ],
  },
];
