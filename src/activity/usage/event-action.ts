import { getCatalog } from '../../catalog/index.js';
import type { ActionInfo } from '../../catalog/types.js';

/**
 * CloudTrail event → the IAM actions that authorised it. The service prefix comes from the event
 * source (`iam.amazonaws.com` → `iam`), the action from the event name matched case-insensitively
 * against the catalogue. Where AWS names the API and the permission differently, the exceptions
 * below say so, each with the page that documents it.
 */

export type EventMapping =
  | { readonly kind: 'actions'; readonly actions: readonly ActionInfo[] }
  /** The call needs no IAM permission of the caller (or is not an API call at all). */
  | { readonly kind: 'not-authorized-by-iam'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Event sources whose prefix differs from the host name.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
const SOURCE_PREFIX: ReadonlyMap<string, string> = new Map([
  // CloudWatch's API host is `monitoring`; its actions are `cloudwatch:*`.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
  ['monitoring.amazonaws.com', 'cloudwatch'],
  // SES's API host is `email`; actions are `ses:*`.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html
  ['email.amazonaws.com', 'ses'],
  // Resource Groups Tagging API: host `tagging`, prefix `tag`.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegrouptaggingapi.html
  ['tagging.amazonaws.com', 'tag'],
  // S3 Control (account-level Block Public Access, access points) is authorised as `s3:*`.
  ['s3-control.amazonaws.com', 's3'],
]);

/**
 * Sources whose events are not calls authorised by the caller's IAM policies.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
 */
const NOT_IAM_SOURCES: ReadonlyMap<string, string> = new Map([
  [
    'signin.amazonaws.com',
    'console sign-in events (ConsoleLogin, SwitchRole, CheckMfa, …) are not IAM actions',
  ],
  [
    'portal.sso.amazonaws.com',
    'IAM Identity Center portal calls are authorised by Identity Center, not IAM policies',
  ],
]);

/** Event names (per prefix) that need no permission of the caller. */
const NOT_IAM_EVENTS: ReadonlyMap<string, string> = new Map([
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  ['sts:getcalleridentity', 'GetCallerIdentity needs no permission'],
  // Federated callers present a SAML assertion or OIDC token; the role's trust policy decides.
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
  [
    'sts:assumerolewithsaml',
    'AssumeRoleWithSAML is not signed with AWS credentials; the role trust policy decides',
  ],
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
  [
    'sts:assumerolewithwebidentity',
    'AssumeRoleWithWebIdentity is not signed with AWS credentials; the role trust policy decides',
  ],
]);

/**
 * S3 API operations authorised by a differently named action (or several).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
const S3_ACTIONS: ReadonlyMap<string, readonly string[]> = new Map(
  (
    [
      ['ListObjects', ['ListBucket']],
      ['ListObjectsV2', ['ListBucket']],
      ['HeadBucket', ['ListBucket']],
      ['ListObjectVersions', ['ListBucketVersions']],
      ['ListBuckets', ['ListAllMyBuckets']],
      ['HeadObject', ['GetObject']],
      ['CopyObject', ['GetObject', 'PutObject']],
      ['UploadPart', ['PutObject']],
      ['UploadPartCopy', ['GetObject', 'PutObject']],
      ['CreateMultipartUpload', ['PutObject']],
      ['CompleteMultipartUpload', ['PutObject']],
      ['DeleteObjects', ['DeleteObject']],
      ['ListMultipartUploads', ['ListBucketMultipartUploads']],
      ['ListParts', ['ListMultipartUploadParts']],
      ['DeleteBucketPublicAccessBlock', ['PutBucketPublicAccessBlock']],
      ['DeleteAccountPublicAccessBlock', ['PutAccountPublicAccessBlock']],
      ['PutBucketEncryption', ['PutEncryptionConfiguration']],
      ['DeleteBucketEncryption', ['PutEncryptionConfiguration']],
      ['GetBucketEncryption', ['GetEncryptionConfiguration']],
      ['PutBucketLifecycle', ['PutLifecycleConfiguration']],
      ['PutBucketLifecycleConfiguration', ['PutLifecycleConfiguration']],
      ['DeleteBucketLifecycle', ['PutLifecycleConfiguration']],
      ['GetBucketLifecycle', ['GetLifecycleConfiguration']],
      ['GetBucketLifecycleConfiguration', ['GetLifecycleConfiguration']],
      ['PutBucketReplication', ['PutReplicationConfiguration']],
      ['DeleteBucketReplication', ['PutReplicationConfiguration']],
      ['GetBucketReplication', ['GetReplicationConfiguration']],
      ['DeleteBucketCors', ['PutBucketCORS']],
      ['DeleteBucketTagging', ['PutBucketTagging']],
      ['DeleteBucketOwnershipControls', ['PutBucketOwnershipControls']],
      ['PutBucketNotificationConfiguration', ['PutBucketNotification']],
      ['GetBucketNotificationConfiguration', ['GetBucketNotification']],
      ['PutBucketIntelligentTieringConfiguration', ['PutIntelligentTieringConfiguration']],
      ['GetBucketIntelligentTieringConfiguration', ['GetIntelligentTieringConfiguration']],
      ['DeleteBucketIntelligentTieringConfiguration', ['PutIntelligentTieringConfiguration']],
      ['PutBucketMetricsConfiguration', ['PutMetricsConfiguration']],
      ['DeleteBucketMetricsConfiguration', ['PutMetricsConfiguration']],
      ['GetBucketMetricsConfiguration', ['GetMetricsConfiguration']],
      ['PutBucketInventoryConfiguration', ['PutInventoryConfiguration']],
      ['DeleteBucketInventoryConfiguration', ['PutInventoryConfiguration']],
      ['GetBucketInventoryConfiguration', ['GetInventoryConfiguration']],
      ['PutBucketAnalyticsConfiguration', ['PutAnalyticsConfiguration']],
      ['DeleteBucketAnalyticsConfiguration', ['PutAnalyticsConfiguration']],
      ['GetBucketAnalyticsConfiguration', ['GetAnalyticsConfiguration']],
      ['GetObjectAttributes', ['GetObject', 'GetObjectAttributes']],
      ['RestoreObject', ['RestoreObject']],
      ['SelectObjectContent', ['GetObject']],
    ] as const
  ).map(([api, actions]) => [api.toLowerCase(), actions]),
);

/** Lambda's CloudTrail names carry the API version (`UpdateFunctionCode20150331v2`). */
const LAMBDA_VERSION_SUFFIX = /(\d{8})(v\d+)?$/;

export function servicePrefixOf(eventSource: string): string | undefined {
  const mapped = SOURCE_PREFIX.get(eventSource);
  if (mapped) return mapped;
  if (!eventSource.endsWith('.amazonaws.com')) return undefined;
  return eventSource.slice(0, -'.amazonaws.com'.length);
}

const cache = new Map<string, EventMapping>();

export function mapEventToActions(eventSource: string, eventName: string): EventMapping {
  const cacheKey = `${eventSource}\u0000${eventName}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const mapping = computeMapping(eventSource, eventName);
  if (cache.size < 100_000) cache.set(cacheKey, mapping);
  return mapping;
}

function computeMapping(eventSource: string, eventName: string): EventMapping {
  const notIam = NOT_IAM_SOURCES.get(eventSource);
  if (notIam) return { kind: 'not-authorized-by-iam', reason: notIam };
  const prefix = servicePrefixOf(eventSource);
  const catalog = getCatalog();
  if (!prefix || !catalog.hasService(prefix))
    return { kind: 'unknown', reason: `no IAM service prefix for event source ${eventSource}` };
  let name = eventName;
  if (prefix === 'lambda') name = name.replace(LAMBDA_VERSION_SUFFIX, '');
  const special = NOT_IAM_EVENTS.get(`${prefix}:${name.toLowerCase()}`);
  if (special) return { kind: 'not-authorized-by-iam', reason: special };
  const names = prefix === 's3' ? (S3_ACTIONS.get(name.toLowerCase()) ?? [name]) : [name];
  const actions: ActionInfo[] = [];
  for (const n of names) {
    const info = catalog.lookupAction(`${prefix}:${n}`);
    if (info) actions.push(info);
  }
  if (actions.length === 0)
    return { kind: 'unknown', reason: `${prefix}:${name} is not in the action catalogue` };
  return { kind: 'actions', actions };
}
