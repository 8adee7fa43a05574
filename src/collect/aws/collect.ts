import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { InputError } from '../../model/errors.js';
import { Redactor } from './classify-error.js';
import { ClientSet, type ClientSettings, type Credentials, clientConfig } from './clients.js';
import { collectIam } from './iam.js';
import {
  GAP_REASONS,
  type Gap,
  type GapReason,
  type Manifest,
  type ManifestAccount,
  parseManifest,
} from './manifest.js';
import { collectOrganization, type OrganizationResult } from './organizations.js';
import { AccountCollector, DEFAULT_POLL, type PollSettings, type RunContext } from './runner.js';
import { forEachLimited, Semaphore } from './semaphore.js';
import { LISTINGS, type ListingSpec } from './spec.js';
import { SnapshotWriter } from './writer.js';

export interface CollectAwsOptions {
  /** The snapshot folder to write. */
  readonly out: string;
  /** A named profile of the shared config files; otherwise the SDK's default credential chain. */
  readonly profile?: string;
  /** Regions for regional resources; default: the profile's or environment's region, else us-east-1. */
  readonly regions?: readonly string[];
  /** List accounts through Organizations (from the management account) and enter each one. */
  readonly org?: boolean;
  /** The role assumed in each other account (`arn:<partition>:iam::<id>:role/<roleName>`). */
  readonly roleName?: string;
  readonly externalId?: string;
  /** Only these accounts (with --org: a filter on the organization's accounts). */
  readonly accounts?: readonly string[];
  /** At most this many API requests in flight at once. Default 8. */
  readonly maxParallel?: number;
  /** Skip artifacts an earlier run already wrote (a file that exists is complete). */
  readonly resume?: boolean;
  /** Attempts per request, first included (the SDK's adaptive retry mode). Default 6. */
  readonly maxAttempts?: number;
  readonly poll?: Partial<PollSettings>;
  /** Credentials instead of the default chain (tests; callers embedding the library). */
  readonly credentials?: Credentials;
  /** Merged into every SDK client's configuration: `endpoint`, `forcePathStyle`, `retryStrategy`… */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
  /** Progress lines (no newline); nothing when absent. */
  readonly progress?: (line: string) => void;
  readonly toolVersion?: string;
  readonly now?: () => Date;
}

export interface CollectAwsResult {
  readonly manifest: Manifest;
  readonly calls: number;
  readonly filesWritten: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly gapsByReason: Readonly<Record<GapReason, number>>;
}

const GLOBAL_REGIONS: Readonly<Record<string, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};
const ACCOUNT_ID = /^\d{12}$/;
const SESSION_NAME = 'leastpriv-collect';

/** The region the SDK would pick from the environment or the profile, if any. */
export async function resolveDefaultRegion(profile?: string): Promise<string | undefined> {
  const sts = new STSClient(profile ? { profile } : {});
  try {
    return await sts.config.region();
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}

/** Memoizes a credential provider until five minutes before the credentials expire. */
function memoize(provider: Exclude<Credentials, { accessKeyId: string }>): typeof provider {
  let current: Awaited<ReturnType<typeof provider>> | undefined;
  let pending: ReturnType<typeof provider> | undefined;
  return async () => {
    const expiry = current?.expiration?.getTime();
    if (current && (expiry === undefined || expiry - Date.now() > 300_000)) return current;
    pending ??= provider().finally(() => {
      pending = undefined;
    });
    current = await pending;
    return current;
  };
}

async function resolveIdentity(credentials: Credentials) {
  return typeof credentials === 'function' ? credentials() : credentials;
}

/**
 * Collects a snapshot (docs/snapshot-format.md) of one account, a list of accounts, or an
 * organization, read-only. Failures of single calls are gaps in the manifest; the run goes on.
 * Throws InputError only when nothing can be collected (no credentials, a snapshot in the way).
 */
export async function collectAws(options: CollectAwsOptions): Promise<CollectAwsResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const collectedAt = now().toISOString();
  const maxParallel = options.maxParallel ?? 8;
  if (!Number.isInteger(maxParallel) || maxParallel < 1)
    throw new InputError('must be a positive whole number', { file: '--max-parallel' });
  for (const id of options.accounts ?? []) {
    if (!ACCOUNT_ID.test(id))
      throw new InputError(`"${id}" is not an AWS account id`, { file: '--accounts', expected: '12 digits' });
  }
  if (options.org && !options.roleName)
    throw new InputError('--org needs the role to assume in each account', { file: '--role-name' });

  const out = resolve(options.out);
  const writer = new SnapshotWriter(out);
  await mkdir(out, { recursive: true });
  const previousText = await readFile(`${out}/manifest.json`, 'utf8').catch(() => undefined);
  if (previousText !== undefined && !options.resume) {
    throw new InputError('the folder already holds a snapshot', {
      file: options.out,
      hint: 'Pass --resume to complete it, or choose a new folder',
    });
  }
  const previous = previousText !== undefined ? parseManifest(previousText) : undefined;
  await writer.cleanTemp();

  const redactor = new Redactor();
  const progress = (line: string) => options.progress?.(redactor.redact(line));
  const settings: ClientSettings = {
    maxAttempts: options.maxAttempts ?? 6,
    userAgent: `leastpriv/${options.toolVersion ?? '0'}`,
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
  };
  const baseCredentials: Credentials =
    options.credentials ??
    memoize(fromNodeProviderChain(options.profile ? { profile: options.profile } : {}));
  try {
    const identity = await resolveIdentity(baseCredentials);
    redactor.add(identity.secretAccessKey);
    redactor.add(identity.sessionToken);
  } catch (error) {
    throw new InputError(`no AWS credentials: ${redactor.redact((error as Error).message, 300)}`, {
      hint: 'Set AWS_PROFILE or --profile, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    });
  }

  const regions = [
    ...new Set(
      options.regions?.length
        ? options.regions
        : [(await resolveDefaultRegion(options.profile)) ?? 'us-east-1'],
    ),
  ];
  const stsClients = new ClientSet(settings, regions[0]!, baseCredentials);
  let callerAccount: string;
  let partition: string;
  try {
    const caller = await stsClients.get('sts').send(new GetCallerIdentityCommand({}));
    callerAccount = caller.Account ?? '';
    partition = caller.Arn?.split(':')[1] ?? 'aws';
  } catch (error) {
    throw new InputError(`the credentials do not work: ${redactor.redact((error as Error).message, 300)}`, {
      hint: 'Check the profile, or refresh the session (`aws sso login`)',
    });
  } finally {
    stsClients.destroy();
  }
  const globalRegion = GLOBAL_REGIONS[partition] ?? 'us-east-1';
  const folderRegions = [globalRegion, ...regions.filter((r) => r !== globalRegion)];

  const ctx: RunContext = {
    writer,
    semaphore: new Semaphore(maxParallel),
    redactor,
    resume: options.resume === true,
    poll: { ...DEFAULT_POLL, ...options.poll },
    stats: { calls: 0, skipped: 0 },
  };

  // Which accounts to enter.
  let organization: OrganizationResult | undefined;
  let orgRun: AccountCollector | undefined;
  const wanted = options.accounts ? new Set(options.accounts) : undefined;
  let targets: Array<{ id: string; name?: string }>;
  if (options.org) {
    orgRun = new AccountCollector(ctx, callerAccount);
    const orgClients = new ClientSet(settings, globalRegion, baseCredentials);
    try {
      organization = await collectOrganization(orgRun, orgClients);
    } finally {
      orgClients.destroy();
    }
    const members = organization.accounts ?? [{ id: callerAccount, active: true }];
    targets = members
      .filter((a) => a.active && (!wanted || wanted.has(a.id)))
      .map((a) => ({ id: a.id, ...(a.name ? { name: a.name } : {}) }));
    progress(
      `organization ${organization.id ?? '(unknown)'}: ${targets.length} active account(s) to collect`,
    );
  } else {
    targets = (options.accounts ?? [callerAccount]).map((id) => ({ id }));
    if (targets.some((t) => t.id !== callerAccount) && !options.roleName) {
      throw new InputError('collecting another account needs a role to assume in it', {
        file: '--role-name',
        hint: `The credentials belong to ${callerAccount}`,
      });
    }
  }

  const entries = new Map<string, ManifestAccount>();
  const gaps: Gap[] = [];
  let manifestWrite = Promise.resolve();
  /**
   * This run's accounts and gaps, plus (with --resume) what the previous manifest said about
   * accounts and regions this run did not visit: those calls were not retried, so their gaps stand.
   */
  const buildManifest = (): Manifest => {
    const before = new Map((previous?.accounts ?? []).map((a) => [a.id, a]));
    const carried = (previous?.gaps ?? []).filter((g) => {
      if (g.region === undefined) return !options.org;
      const entry = entries.get(g.account);
      return entry === undefined || (entry.status !== 'failed' && !folderRegions.includes(g.region));
    });
    const allGaps = [...carried, ...(orgRun?.gaps ?? []), ...gaps];
    const accounts = new Map(before);
    for (const entry of entries.values()) {
      const earlier = before.get(entry.id);
      const regions =
        entry.status === 'failed'
          ? []
          : [
              ...new Set([
                ...entry.regions,
                ...(earlier?.status === 'failed' ? [] : (earlier?.regions ?? [])),
              ]),
            ];
      const status =
        entry.status === 'failed'
          ? 'failed'
          : allGaps.some((g) => g.account === entry.id)
            ? 'partial'
            : 'complete';
      accounts.set(entry.id, {
        ...entry,
        ...(entry.name || !earlier?.name ? {} : { name: earlier.name }),
        status,
        regions,
      });
    }
    return {
      schemaVersion: 1,
      tool: { name: 'leastpriv', version: options.toolVersion ?? '0' },
      collectedAt,
      partition,
      ...(organization?.id && organization.managementAccountId
        ? { organization: { id: organization.id, managementAccountId: organization.managementAccountId } }
        : previous?.organization && !options.org
          ? { organization: previous.organization }
          : {}),
      accounts: [...accounts.values()].sort((a, b) => a.id.localeCompare(b.id)),
      gaps: allGaps,
    };
  };
  // Written after every account, so an interrupted run still describes what it finished.
  const saveManifest = () => {
    manifestWrite = manifestWrite.then(() =>
      writer.writeText('manifest.json', `${JSON.stringify(buildManifest(), null, 2)}\n`, false),
    );
    return manifestWrite;
  };

  // Accounts side by side keep every permit busy while one account waits on a job or a retry.
  const lanes = Math.max(1, Math.min(4, Math.floor(maxParallel / 2)));
  await forEachLimited(targets, lanes, async (target, index) => {
    const accountStarted = Date.now();
    const run = new AccountCollector(ctx, target.id);
    let credentials: Credentials = baseCredentials;
    let status: ManifestAccount['status'] = 'complete';
    let name = target.name;
    if (target.id !== callerAccount) {
      const roleArn = `arn:${partition}:iam::${target.id}:role/${options.roleName}`;
      const provider = memoize(
        fromTemporaryCredentials({
          params: {
            RoleArn: roleArn,
            RoleSessionName: SESSION_NAME,
            ...(options.externalId ? { ExternalId: options.externalId } : {}),
          },
          masterCredentials: baseCredentials,
          clientConfig: clientConfig(settings, globalRegion, undefined),
        }),
      );
      try {
        const assumed = await run.request(() => provider());
        redactor.add(assumed.secretAccessKey);
        redactor.add(assumed.sessionToken);
        credentials = provider;
      } catch (error) {
        run.fail(
          { region: globalRegion, call: 'sts:AssumeRole', target: roleArn, artifact: 'account-data' },
          error,
        );
        status = 'failed';
      }
    }
    if (status !== 'failed') {
      const sets = new Map(folderRegions.map((r) => [r, new ClientSet(settings, r, credentials)]));
      try {
        const dir = (region: string) => `account-data/${target.id}/${region}`;
        await Promise.all([
          collectIam(run, sets.get(globalRegion)!, dir(globalRegion)),
          ...LISTINGS.flatMap((spec) =>
            (spec.scope === 'global' ? [globalRegion] : regions).map((r) =>
              collectListing(run, spec, sets.get(r)!, dir(r)),
            ),
          ),
        ]);
      } finally {
        for (const set of sets.values()) set.destroy();
      }
      name ??= await aliasOf(
        writer,
        `account-data/${target.id}/${globalRegion}/iam-list-account-aliases.json`,
      );
      status = run.gaps.length > 0 ? 'partial' : 'complete';
    }
    gaps.push(...run.gaps);
    entries.set(target.id, {
      id: target.id,
      ...(name ? { name } : {}),
      status,
      regions: status === 'failed' ? [] : folderRegions,
    });
    await saveManifest();
    const seconds = ((Date.now() - accountStarted) / 1000).toFixed(1);
    progress(
      `[${index + 1}/${targets.length}] ${target.id}${name ? ` (${name})` : ''}: ${status}, ${run.calls} calls, ${run.files} files, ${run.gaps.length} gaps, ${seconds}s`,
    );
  });
  if (targets.length === 0) await saveManifest();
  await manifestWrite;
  await writer.cleanTemp();

  const manifest = buildManifest();
  const gapsByReason = Object.fromEntries(GAP_REASONS.map((r) => [r, 0])) as Record<GapReason, number>;
  for (const g of manifest.gaps) gapsByReason[g.reason]++;
  const durationMs = Date.now() - started;
  const gapText = GAP_REASONS.filter((r) => gapsByReason[r] > 0)
    .map((r) => `${gapsByReason[r]} ${r}`)
    .join(', ');
  progress(
    `collected ${manifest.accounts.length} account(s) in ${(durationMs / 1000).toFixed(1)}s: ${ctx.stats.calls} calls, ${writer.filesWritten} files written${ctx.stats.skipped ? `, ${ctx.stats.skipped} already complete` : ''}, ${manifest.gaps.length} gaps${gapText ? ` (${gapText})` : ''}`,
  );
  return {
    manifest,
    calls: ctx.stats.calls,
    filesWritten: writer.filesWritten,
    skipped: ctx.stats.skipped,
    durationMs,
    gapsByReason,
  };
}

/** A listing, then each per-resource call for every listed resource. */
async function collectListing(
  run: AccountCollector,
  spec: ListingSpec,
  clients: ClientSet,
  dir: string,
): Promise<void> {
  const listing = await run.artifact({
    dir,
    region: clients.region,
    artifact: spec.artifact,
    call: spec.call,
    fetch: () => spec.fetch(clients),
    pages: spec.pages,
    ...(spec.transform ? { transform: spec.transform } : {}),
  });
  if (!listing) return;
  await Promise.all(
    spec.perResource.flatMap((per) =>
      [...new Set(per.targets(listing))].map((target) =>
        run.artifact({
          dir,
          region: clients.region,
          artifact: per.artifact,
          target,
          call: per.call,
          fetch: () => per.fetch(clients, target),
          ...(per.pages ? { pages: per.pages } : {}),
          ...(per.absentOn ? { absentOn: per.absentOn } : {}),
          ...(per.transform ? { transform: per.transform } : {}),
        }),
      ),
    ),
  );
}

async function aliasOf(writer: SnapshotWriter, rel: string): Promise<string | undefined> {
  try {
    const aliases = ((await writer.readJson(rel)) as { AccountAliases?: unknown }).AccountAliases;
    return Array.isArray(aliases) && typeof aliases[0] === 'string' ? aliases[0] : undefined;
  } catch {
    return undefined;
  }
}
