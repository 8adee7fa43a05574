import type { Resource, ResourceService } from '../../model/account.js';
import type { AccountDraft } from './draft.js';
import { errorCode } from './iam-artifacts.js';
import type { PolicyStore } from './policy-store.js';
import { accountOfArn, field, isRecord, type JsonRecord, list, str } from './values.js';

/**
 * Resource policies from per-resource response files. The policy is a JSON string inside the
 * response (as AWS returns it); the file name is the URL-decoded resource identifier.
 */

interface PolicyArtifact {
  readonly service: ResourceService;
  /** The resource ARN from the identifier, the response and the account/region the file sits in. */
  readonly arn: (id: string, body: JsonRecord, where: Where) => string;
  readonly name: (id: string, arn: string) => string;
  /** The policy text, or undefined when the response has none. */
  readonly policy: (body: JsonRecord) => unknown;
}

interface Where {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

const lastPart = (arn: string, sep: string) => arn.slice(arn.lastIndexOf(sep) + 1);
const attributes = (body: JsonRecord): JsonRecord => {
  const a = field(body, 'Attributes');
  return isRecord(a) ? a : {};
};

/** Error codes that mean "this resource has no policy": AWS answers them instead of an empty policy. */
const NO_POLICY_CODES = new Set([
  'NoSuchBucketPolicy',
  'ResourceNotFoundException',
  'RepositoryPolicyNotFoundException',
  'NotFoundException',
]);

export const POLICY_ARTIFACTS: ReadonlyMap<string, PolicyArtifact> = new Map<string, PolicyArtifact>([
  [
    's3-get-bucket-policy',
    {
      service: 's3',
      arn: (id, _b, w) => `arn:${w.partition}:s3:::${id}`,
      name: (id) => id,
      policy: (b) => field(b, 'Policy'),
    },
  ],
  [
    'kms-get-key-policy',
    {
      service: 'kms',
      arn: (id, _b, w) =>
        id.startsWith('arn:') ? id : `arn:${w.partition}:kms:${w.region}:${w.account}:key/${id}`,
      name: (_id, arn) => lastPart(arn, '/'),
      policy: (b) => field(b, 'Policy'),
    },
  ],
  [
    'sqs-get-queue-attributes',
    {
      service: 'sqs',
      arn: (id, b, w) => str(attributes(b), 'QueueArn') ?? queueArnFromUrl(id, w),
      name: (_id, arn) => lastPart(arn, ':'),
      policy: (b) => field(attributes(b), 'Policy'),
    },
  ],
  [
    'sns-get-topic-attributes',
    {
      service: 'sns',
      arn: (id, b) => str(attributes(b), 'TopicArn') ?? id,
      name: (_id, arn) => lastPart(arn, ':'),
      policy: (b) => field(attributes(b), 'Policy'),
    },
  ],
  [
    'lambda-get-policy',
    {
      service: 'lambda',
      arn: (id, _b, w) =>
        id.startsWith('arn:') ? id : `arn:${w.partition}:lambda:${w.region}:${w.account}:function:${id}`,
      name: (_id, arn) => arn.split(':')[6] ?? arn,
      policy: (b) => field(b, 'Policy'),
    },
  ],
  [
    'ecr-get-repository-policy',
    {
      service: 'ecr',
      arn: (id, b, w) =>
        id.startsWith('arn:')
          ? id
          : `arn:${w.partition}:ecr:${w.region}:${str(b, 'registryId') ?? w.account}:repository/${str(b, 'repositoryName') ?? id}`,
      name: (_id, arn) => arn.slice(arn.indexOf('repository/') + 'repository/'.length),
      policy: (b) => field(b, 'policyText'),
    },
  ],
  [
    'secretsmanager-get-resource-policy',
    {
      service: 'secretsmanager',
      arn: (id, b) => str(b, 'ARN') ?? id,
      name: (id, arn) => lastPart(arn, ':') || id,
      policy: (b) => field(b, 'ResourcePolicy'),
    },
  ],
]);

function queueArnFromUrl(url: string, w: Where): string {
  // https://sqs.<region>.amazonaws.com/<account>/<name>
  const m = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)/.exec(url);
  return m ? `arn:${w.partition}:sqs:${w.region}:${m[1]}:${m[2]}` : url;
}

export type ResourcePolicyOutcome =
  | { readonly kind: 'resource'; readonly resource: Resource }
  | { readonly kind: 'error'; readonly code: string };

export function readResourcePolicy(
  artifact: string,
  id: string,
  value: unknown,
  where: Where,
  source: string,
  store: PolicyStore,
): ResourcePolicyOutcome | undefined {
  const spec = POLICY_ARTIFACTS.get(artifact);
  if (spec === undefined || !isRecord(value)) return undefined;
  const code = errorCode(value);
  const arn = spec.arn(id, value, where);
  const base = {
    arn,
    service: spec.service,
    name: spec.name(id, arn),
    accountId: accountOfArn(arn) ?? where.account,
    region: spec.service === 's3' ? undefined : where.region,
    source,
  };
  if (code !== undefined && !NO_POLICY_CODES.has(code)) return { kind: 'error', code };
  const text = code === undefined ? spec.policy(value) : undefined;
  const resource: Resource = {
    ...stripUndefined(base),
    ...(text === undefined || text === null || text === ''
      ? {}
      : {
          policy: store.parse(text, {
            name: `${base.name} resource policy`,
            kind: 'resource',
            type: 'resource',
            source,
            arn,
          }),
        }),
  };
  return { kind: 'resource', resource };
}

function stripUndefined<T extends { region: string | undefined }>(
  o: T,
): Omit<T, 'region'> & { region?: string } {
  const { region, ...rest } = o;
  return region === undefined ? rest : { ...rest, region };
}

/** Listing responses: every resource they name exists, with no policy unless its policy file says otherwise. */
const LISTINGS: ReadonlyMap<
  string,
  { service: ResourceService; arns: (b: JsonRecord, w: Where) => string[] }
> = new Map([
  [
    's3-list-buckets',
    {
      service: 's3' as const,
      arns: (b: JsonRecord, w: Where) =>
        list(b, 'Buckets').flatMap((x) => {
          const n = isRecord(x) ? str(x, 'Name') : undefined;
          return n ? [`arn:${w.partition}:s3:::${n}`] : [];
        }),
    },
  ],
  [
    'kms-list-keys',
    {
      service: 'kms' as const,
      arns: (b: JsonRecord, w: Where) =>
        list(b, 'Keys').flatMap((x) => {
          if (!isRecord(x)) return [];
          const arn = str(x, 'KeyArn');
          const id = str(x, 'KeyId');
          return arn ? [arn] : id ? [`arn:${w.partition}:kms:${w.region}:${w.account}:key/${id}`] : [];
        }),
    },
  ],
  [
    'sqs-list-queues',
    {
      service: 'sqs' as const,
      arns: (b: JsonRecord, w: Where) =>
        list(b, 'QueueUrls').flatMap((u) => (typeof u === 'string' ? [queueArnFromUrl(u, w)] : [])),
    },
  ],
  [
    'sns-list-topics',
    {
      service: 'sns' as const,
      arns: (b: JsonRecord) =>
        list(b, 'Topics').flatMap((x) => {
          const a = isRecord(x) ? str(x, 'TopicArn') : undefined;
          return a ? [a] : [];
        }),
    },
  ],
  [
    'lambda-list-functions',
    {
      service: 'lambda' as const,
      arns: (b: JsonRecord) =>
        list(b, 'Functions').flatMap((x) => {
          const a = isRecord(x) ? str(x, 'FunctionArn') : undefined;
          return a ? [a] : [];
        }),
    },
  ],
  [
    'ecr-describe-repositories',
    {
      service: 'ecr' as const,
      arns: (b: JsonRecord) =>
        list(b, 'repositories').flatMap((x) => {
          const a = isRecord(x) ? str(x, 'repositoryArn') : undefined;
          return a ? [a] : [];
        }),
    },
  ],
  [
    'secretsmanager-list-secrets',
    {
      service: 'secretsmanager' as const,
      arns: (b: JsonRecord) =>
        list(b, 'SecretList').flatMap((x) => {
          const a = isRecord(x) ? str(x, 'ARN') : undefined;
          return a ? [a] : [];
        }),
    },
  ],
]);

export function isListingArtifact(artifact: string): boolean {
  return LISTINGS.has(artifact);
}

/** Adds the resources a listing names (without policy) unless a policy file already added them. */
export function addListing(
  draft: AccountDraft,
  artifact: string,
  value: unknown,
  where: Where,
  source: string,
): number {
  const spec = LISTINGS.get(artifact);
  if (spec === undefined || !isRecord(value)) return 0;
  draft.resourceServicesListed.add(spec.service);
  let n = 0;
  for (const arn of spec.arns(value, where)) {
    if (draft.resources.has(arn)) continue;
    const name =
      spec.service === 's3'
        ? arn.slice(arn.lastIndexOf(':') + 1)
        : spec.service === 'lambda'
          ? (arn.split(':')[6] ?? arn)
          : spec.service === 'ecr'
            ? arn.slice(arn.indexOf('repository/') + 11)
            : lastPart(arn, spec.service === 'kms' ? '/' : ':');
    draft.resources.set(arn, {
      arn,
      service: spec.service,
      name,
      accountId: accountOfArn(arn) ?? where.account,
      ...(spec.service === 's3' ? {} : { region: where.region }),
      source,
    });
    n++;
  }
  return n;
}

/** `s3-get-public-access-block/<bucket>`: attached to the bucket (created if the listing was missing). */
export function addPublicAccessBlock(
  draft: AccountDraft,
  bucket: string,
  value: unknown,
  where: Where,
  source: string,
): boolean {
  if (!isRecord(value)) return false;
  const config = field(value, 'PublicAccessBlockConfiguration');
  if (!isRecord(config)) return false;
  const block: Record<string, boolean> = Object.create(null);
  for (const k of ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets']) {
    const v = field(config, k);
    if (typeof v === 'boolean') block[k] = v;
  }
  const arn = `arn:${where.partition}:s3:::${bucket}`;
  const existing = draft.resources.get(arn);
  draft.resources.set(arn, {
    ...(existing ?? { arn, service: 's3', name: bucket, accountId: where.account, source }),
    publicAccessBlock: block,
  });
  return true;
}
