import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

/** Static credentials or a provider (which the SDK memoizes and refreshes before expiry). */
export type Credentials = NonNullable<IAMClientConfig['credentials']>;

/**
 * Options every SDK client gets. `clientOptions` override the defaults (a test, or a user with a
 * private endpoint, sets `endpoint`, `forcePathStyle` or `retryStrategy`), but not the region or
 * the credentials, which belong to the account being collected.
 */
export interface ClientSettings {
  readonly maxAttempts: number;
  readonly userAgent: string;
  readonly clientOptions?: Readonly<Record<string, unknown>>;
}

const FACTORIES = {
  iam: IAMClient,
  sts: STSClient,
  organizations: OrganizationsClient,
  s3: S3Client,
  kms: KMSClient,
  sqs: SQSClient,
  sns: SNSClient,
  lambda: LambdaClient,
  secretsmanager: SecretsManagerClient,
  ecr: ECRClient,
  accessanalyzer: AccessAnalyzerClient,
} as const;

export type ServiceName = keyof typeof FACTORIES;
type ClientOf<S extends ServiceName> = InstanceType<(typeof FACTORIES)[S]>;

/** The config object one client is built from; exported for the STS client of AssumeRole. */
export function clientConfig(
  settings: ClientSettings,
  region: string,
  credentials: Credentials | undefined,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    // Adaptive mode: bounded attempts with jittered backoff, and a client-side rate limit that
    // slows down once the service throttles.
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts,
    customUserAgent: settings.userAgent,
    ...extra,
    ...settings.clientOptions,
    // Never overridable: each account's clients must sign with that account's credentials.
    region,
    ...(credentials ? { credentials } : {}),
  };
}

/** One lazily built client per service for one account and region. */
export class ClientSet {
  private readonly clients = new Map<ServiceName, { destroy(): void }>();

  constructor(
    private readonly settings: ClientSettings,
    readonly region: string,
    private readonly credentials: Credentials | undefined,
  ) {}

  get<S extends ServiceName>(service: S): ClientOf<S> {
    let client = this.clients.get(service);
    if (!client) {
      // S3 follows a bucket to its own region instead of failing with a redirect.
      const extra = service === 's3' ? { followRegionRedirects: true } : {};
      const Factory = FACTORIES[service] as unknown as new (config: Record<string, unknown>) => ClientOf<S>;
      client = new Factory(clientConfig(this.settings, this.region, this.credentials, extra));
      this.clients.set(service, client);
    }
    return client as ClientOf<S>;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
