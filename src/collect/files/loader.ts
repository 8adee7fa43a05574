import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Account, Gap, OrgSnapshot, SkippedFile, SnapshotLayout } from '../../model/account.js';
import { InputError } from '../../model/errors.js';
import {
  accountOfAuthorizationDetails,
  addAuthorizationDetails,
  authorizationDetailsBody,
} from './authz-details.js';
import {
  credentialReportResponse,
  looksLikeCredentialReportCsv,
  parseCredentialReport,
} from './credential-report.js';
import { type AccountDraft, newAccountDraft } from './draft.js';
import { finishAccount, type Placement, UNKNOWN_PLACEMENT } from './finish.js';
import {
  errorCode,
  readAccessKeys,
  readAccountAlias,
  readAnalyzers,
  readLastAccessed,
  readMfaDevices,
  readPasswordPolicy,
} from './iam-artifacts.js';
import { parseJsonText, readTextFile } from './json-file.js';
import { type LoadedOrganization, loadOrganization, placementIn } from './organizations.js';
import { PolicyStore } from './policy-store.js';
import {
  addListing,
  addPublicAccessBlock,
  isListingArtifact,
  POLICY_ARTIFACTS,
  readResourcePolicy,
} from './resources.js';
import { accountOfArn, field, isRecord, safeDecode, str } from './values.js';

export interface LoadProgress {
  /** `file` after each file read, `account` after each account folder, `done` at the end. */
  readonly stage: 'file' | 'account' | 'done';
  readonly path?: string;
  readonly filesRead: number;
  readonly accounts: number;
}

export interface LoadOptions {
  readonly onProgress?: (event: LoadProgress) => void;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** Per-resource folders hold at most this many files each; more is refused as not a real collection. */
const MAX_DIR_ENTRIES = 200_000;

/** IAM artifacts read before everything else: they tell us the account id. */
const IAM_FIRST = ['iam-get-account-authorization-details', 'iam-get-credential-report'];

interface ManifestAccount {
  readonly id: string;
  readonly name?: string;
  readonly status?: string;
}

/**
 * Reads snapshot folders and files into drafts, then freezes them into an OrgSnapshot. One bad file
 * is one error; everything else still loads.
 */
export class SnapshotLoader {
  private readonly store = new PolicyStore();
  private readonly drafts = new Map<string, AccountDraft>();
  private readonly errors: InputError[] = [];
  private readonly skipped: SkippedFile[] = [];
  private readonly snapshotGaps: Gap[] = [];
  private readonly deferredPasswordPolicies: { value: unknown; file: string }[] = [];
  private organization: LoadedOrganization | undefined;
  private organizationSeen = false;
  private filesRead = 0;
  private filesFailed = 0;
  private readonly readFiles = new Set<string>();
  private readonly badFiles = new Set<string>();
  private collectedAt: string | undefined;
  private readonly layouts = new Set<SnapshotLayout>();
  private readonly started = performance.now();

  constructor(private readonly options: LoadOptions = {}) {}

  async load(paths: readonly string[]): Promise<OrgSnapshot> {
    for (const path of paths) {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(path);
      } catch (err) {
        this.fail(
          new InputError(
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'no such file or folder'
              : (err as Error).message,
            {
              file: path,
              hint: 'Pass a snapshot folder (with manifest.json), a CloudMapper account-data folder, or export files',
            },
          ),
        );
        continue;
      }
      if (info.isDirectory()) await this.loadDirectory(path);
      else await this.loadLooseFile(path);
    }
    return this.finish(paths);
  }

  // ---- layouts -------------------------------------------------------------------------------

  private async loadDirectory(dir: string): Promise<void> {
    const entries = await this.list(dir);
    const names = new Set(entries.map((e) => e.name));
    if (names.has('manifest.json')) return this.loadLeastpriv(dir, entries);
    if (basename(dir) === 'account-data') return this.loadAccountData(dir);
    if (entries.some((e) => e.isDirectory() && e.name === 'account-data'))
      return this.loadAccountData(join(dir, 'account-data'));
    if (entries.some((e) => e.isDirectory() && REGION.test(e.name))) {
      this.layouts.add('cloudmapper');
      return this.loadAccountDir(dir, basename(dir));
    }
    if (entries.some((e) => isKnownArtifact(e))) {
      // A region folder given directly (e.g. account-data/<account>/us-east-1).
      this.layouts.add('cloudmapper');
      // A region folder given directly: the account is the folder above it.
      return this.loadAccountDir(dir, REGION.test(basename(dir)) ? basename(dirname(dir)) : basename(dir), [
        dir,
      ]);
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await this.loadDirectory(p);
      else if (e.isFile()) await this.loadLooseFile(p);
    }
  }

  private async loadLeastpriv(dir: string, entries: readonly Dirent[]): Promise<void> {
    this.layouts.add('leastpriv');
    const manifestFile = join(dir, 'manifest.json');
    const manifest = await this.readJson(manifestFile);
    const accounts: ManifestAccount[] = [];
    if (manifest !== undefined) {
      if (!isRecord(manifest) || field(manifest, 'schemaVersion') !== 1) {
        this.fail(
          new InputError('not a leastpriv manifest', {
            file: manifestFile,
            expected: '{"schemaVersion": 1, "accounts": [...], ...}',
            hint: 'Re-collect with `leastpriv collect aws`, or remove manifest.json to load the folder as a CloudMapper collection',
          }),
        );
      } else {
        this.collectedAt ??= str(manifest, 'collectedAt');
        for (const a of Array.isArray(field(manifest, 'accounts'))
          ? (field(manifest, 'accounts') as unknown[])
          : []) {
          if (!isRecord(a)) continue;
          const id = typeof field(a, 'id') === 'number' ? String(field(a, 'id')) : str(a, 'id');
          if (id === undefined) continue;
          accounts.push({ id, ...optional('name', str(a, 'name')), ...optional('status', str(a, 'status')) });
        }
        for (const g of Array.isArray(field(manifest, 'gaps'))
          ? (field(manifest, 'gaps') as unknown[])
          : []) {
          if (!isRecord(g)) continue;
          const gap = manifestGap(g);
          if (gap) this.pendingManifestGaps.push(gap);
        }
      }
    }
    if (entries.some((e) => e.isDirectory() && e.name === 'organization'))
      await this.loadOrganizationDir(join(dir, 'organization'));
    const accountData = join(dir, 'account-data');
    const present = entries.some((e) => e.isDirectory() && e.name === 'account-data')
      ? await this.list(accountData)
      : [];
    for (const e of present) {
      if (!e.isDirectory()) continue;
      const listed = accounts.find((a) => a.id === e.name);
      await this.loadAccountDir(join(accountData, e.name), e.name, undefined, {
        leastpriv: true,
        name: listed?.name,
      });
    }
    for (const a of accounts) {
      if (this.drafts.has(a.id)) continue;
      const draft = this.draftFor(a.id, dir);
      if (a.name) draft.name = a.name;
      draft.gaps.push({
        account: a.id,
        artifact: 'account',
        reason: a.status === 'failed' ? 'access-denied' : 'missing',
        message:
          a.status === 'failed'
            ? 'The collector could not enter this account: everything about it is unknown'
            : 'The manifest lists this account but its folder is missing',
      });
    }
  }

  private readonly pendingManifestGaps: Gap[] = [];

  private async loadAccountData(dir: string): Promise<void> {
    this.layouts.add('cloudmapper');
    for (const e of await this.list(dir)) {
      if (e.isDirectory()) await this.loadAccountDir(join(dir, e.name), e.name);
    }
  }

  /**
   * One account folder: `<region>/<artifact>.json` and `<region>/<artifact>/<id>`. IAM artifacts are
   * read first because they name the account (CloudMapper folders are often named, not numbered).
   */
  private async loadAccountDir(
    dir: string,
    folderName: string,
    regionDirs?: readonly string[],
    manifest?: { leastpriv: boolean; name?: string | undefined },
  ): Promise<void> {
    const regions =
      regionDirs ?? (await this.list(dir)).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
    if (!regionDirs) {
      for (const e of await this.list(dir)) {
        if (e.isFile()) this.skip(join(dir, e.name), 'not in a region folder');
      }
    }
    const work: { region: string; entry: Dirent; path: string }[] = [];
    for (const regionDir of regions) {
      const regionName = basename(regionDir);
      const region = REGION.test(regionName) ? regionName : 'us-east-1';
      for (const entry of await this.list(regionDir))
        work.push({ region, entry, path: join(regionDir, entry.name) });
    }
    const artifactOf = (e: Dirent) => (e.isFile() ? e.name.replace(/\.(json|csv)$/, '') : e.name);
    work.sort((a, b) => rank(artifactOf(a.entry)) - rank(artifactOf(b.entry)));

    let draft: AccountDraft | undefined;
    const provisional = newAccountDraft(
      ACCOUNT_ID.test(folderName) ? folderName : folderName,
      dir,
      !ACCOUNT_ID.test(folderName),
    );
    const account = (): AccountDraft => {
      if (draft) return draft;
      draft = this.adopt(provisional);
      return draft;
    };
    if (manifest?.leastpriv) provisional.collectedByLeastpriv = true;
    if (manifest?.name) provisional.name = manifest.name;
    if (!ACCOUNT_ID.test(folderName)) provisional.name ??= folderName;

    const jobs = new Map<string, string>();
    for (const { region, entry, path } of work) {
      const artifact = artifactOf(entry);
      if (entry.isFile()) {
        if (artifact.startsWith('organizations-')) {
          if (!this.organizationSeen) await this.loadOrganizationDir(join(path, '..'));
          continue;
        }
        await this.loadAccountFile(draft ?? provisional, artifact, path, region, () => account());
        if (!draft && !provisional.idUnknown) account();
        continue;
      }
      if (!entry.isDirectory()) continue;
      if (artifact.startsWith('organizations-')) continue;
      await this.loadResourceDir(account(), artifact, path, region, jobs);
      account().regions.add(region);
    }
    const d = account();
    d.sources.add(dir);
    this.options.onProgress?.({
      stage: 'account',
      path: dir,
      filesRead: this.filesRead,
      accounts: this.drafts.size,
    });
  }

  /** Moves a provisional draft under its real id, merging with what other paths loaded for it. */
  private adopt(provisional: AccountDraft): AccountDraft {
    const existing = this.drafts.get(provisional.id);
    if (existing === undefined) {
      this.drafts.set(provisional.id, provisional);
      return provisional;
    }
    mergeDraft(existing, provisional);
    return existing;
  }

  private async loadAccountFile(
    draft: AccountDraft,
    artifact: string,
    path: string,
    region: string,
    adopt: () => AccountDraft,
  ): Promise<void> {
    const read = await this.readParsed(
      path,
      () => artifact === 'iam-get-credential-report' && extname(path) === '.csv',
    );
    if (read === undefined) return;
    if (read.csv !== undefined) {
      const csv = read.csv;
      this.tryLoad(path, () => {
        const report = parseCredentialReport(csv, path);
        this.setAccountId(draft, report.root?.arn ?? report.rows.keys().next().value);
        draft.credentialReport = report;
      });
      return;
    }
    const values = read.values;
    const value = values.length === 1 ? values[0] : values;
    const where = { account: draft.id, region, partition: draft.partition };
    const code = isRecord(value) ? errorCode(value) : undefined;
    if (code !== undefined && !(artifact === 'iam-get-account-password-policy' && code === 'NoSuchEntity')) {
      // A recorded error response: the artifact is missing, not malformed.
      draft.gaps.push({
        account: draft.id,
        region,
        artifact,
        reason: /AccessDenied|Unauthorized/i.test(code)
          ? 'access-denied'
          : /Throttl/i.test(code)
            ? 'throttled'
            : 'error',
        message: `${artifact} failed with ${code}`,
      });
      return;
    }
    switch (artifact) {
      case 'iam-get-account-authorization-details': {
        const pages = pagesOf(value);
        this.tryLoad(path, () => {
          pages.forEach((page, i) => {
            const body = authorizationDetailsBody(page);
            if (body === undefined) throw notAuthz(path, pages.length > 1 ? i : undefined);
            this.setAccountId(draft, accountOfAuthorizationDetails(body));
          });
          for (const [i, page] of pages.entries())
            addAuthorizationDetails(
              draft,
              page,
              path,
              pages.length > 1 || Array.isArray(value) ? `[${i}].` : '',
              this.store,
            );
        });
        return;
      }
      case 'iam-get-credential-report': {
        const response = credentialReportResponse(value);
        if (!response) return this.fail(unexpected(path, 'a get-credential-report response {"Content": …}'));
        this.tryLoad(path, () => {
          const report = parseCredentialReport(response.csv, path, response.generatedTime);
          this.setAccountId(draft, report.root?.arn ?? report.rows.keys().next().value);
          draft.credentialReport = report;
        });
        return;
      }
      case 'iam-get-account-password-policy': {
        const policy = readPasswordPolicy(value, path);
        if (!policy) return this.fail(unexpected(path, '{"PasswordPolicy": {...}}'));
        adopt().passwordPolicy = policy;
        return;
      }
      case 'iam-list-account-aliases': {
        const alias = readAccountAlias(value);
        if (alias) adopt().alias = alias;
        return;
      }
      case 'access-analyzer-list-analyzers': {
        const analyzers = readAnalyzers(value);
        if (analyzers) {
          const d = adopt();
          d.accessAnalyzers = [...(d.accessAnalyzers ?? []), ...analyzers];
        }
        return;
      }
      default:
        if (isListingArtifact(artifact)) {
          const d = adopt();
          addListing(d, artifact, value, { ...where, account: d.id }, path);
          d.regions.add(region);
          return;
        }
        this.skip(path, 'not used by leastpriv');
    }
  }

  private async loadResourceDir(
    draft: AccountDraft,
    artifact: string,
    dir: string,
    region: string,
    jobs: Map<string, string>,
  ): Promise<void> {
    const known =
      POLICY_ARTIFACTS.has(artifact) ||
      artifact === 's3-get-public-access-block' ||
      artifact === 'iam-get-service-last-accessed-details' ||
      artifact === 'iam-generate-service-last-accessed-details' ||
      artifact === 'iam-list-access-keys' ||
      artifact === 'iam-list-mfa-devices';
    if (!known) {
      this.skip(dir, 'not used by leastpriv');
      return;
    }
    const entries = await this.list(dir);
    // Job ids first, so get-… files named by job id can be matched to their principal.
    if (artifact === 'iam-get-service-last-accessed-details') {
      const generateDir = join(dir, '..', 'iam-generate-service-last-accessed-details');
      for (const e of await this.list(generateDir, true)) {
        const v = await this.readJson(join(generateDir, e.name), false);
        const jobId = isRecord(v) ? str(v, 'JobId') : undefined;
        if (jobId) jobs.set(jobId, safeDecode(e.name));
      }
    }
    const where = { account: draft.id, region, partition: draft.partition };
    for (const e of entries) {
      if (!e.isFile()) continue;
      const path = join(dir, e.name);
      const id = safeDecode(e.name);
      if (artifact === 'iam-generate-service-last-accessed-details') {
        // Only a job id: the details are in iam-get-service-last-accessed-details.
        continue;
      }
      const value = await this.readJson(path);
      if (value === undefined) continue;
      if (POLICY_ARTIFACTS.has(artifact)) {
        const outcome = readResourcePolicy(artifact, id, value, where, path, this.store);
        if (outcome === undefined) this.fail(unexpected(path, `a ${artifact.replace(/-/g, ' ')} response`));
        else if (outcome.kind === 'error')
          draft.gaps.push({
            account: draft.id,
            region,
            artifact,
            target: id,
            reason: outcome.code.includes('AccessDenied') ? 'access-denied' : 'error',
            message: `${artifact} for ${id} failed: ${outcome.code}`,
          });
        else draft.resources.set(outcome.resource.arn, outcome.resource);
      } else if (artifact === 's3-get-public-access-block') {
        if (!addPublicAccessBlock(draft, id, value, where, path))
          this.skip(path, 'no PublicAccessBlockConfiguration');
      } else if (artifact === 'iam-get-service-last-accessed-details') {
        const principal = id.startsWith('arn:') ? id : (jobs.get(id) ?? `job:${id}`);
        const details = readLastAccessed(value, principal, path);
        if (details) {
          draft.lastAccessed.set(principal, details);
          draft.lastAccessedSeen = true;
        } else this.fail(unexpected(path, 'a get-service-last-accessed-details response'));
      } else if (artifact === 'iam-list-access-keys') {
        const keys = readAccessKeys(value);
        if (keys) draft.accessKeys.set(keys.user ?? id, keys.keys);
        else this.fail(unexpected(path, '{"AccessKeyMetadata": [...]}'));
      } else if (artifact === 'iam-list-mfa-devices') {
        const devices = readMfaDevices(value);
        if (devices) draft.mfaDevices.set(devices.user ?? id, devices.devices);
        else this.fail(unexpected(path, '{"MFADevices": [...]}'));
      }
    }
  }

  private async loadOrganizationDir(dir: string): Promise<void> {
    this.organizationSeen = true;
    const loaded = await loadOrganization(async (rel) => {
      const file = join(dir, rel);
      try {
        await stat(file);
      } catch {
        return undefined;
      }
      const value = await this.readJson(file);
      return value === undefined ? undefined : { value, file };
    }, this.store);
    if (loaded) this.organization = loaded;
  }

  // ---- loose files ---------------------------------------------------------------------------

  private async loadLooseFile(path: string): Promise<void> {
    this.layouts.add('files');
    const read = await this.readParsed(
      path,
      (text) => looksLikeCredentialReportCsv(text) || extname(path).toLowerCase() === '.csv',
    );
    if (read === undefined) return;
    if (read.csv !== undefined) {
      const csv = read.csv;
      this.tryLoad(path, () => {
        const report = parseCredentialReport(csv, path);
        const draft = this.draftForArn(report.root?.arn ?? report.rows.keys().next().value, path);
        draft.credentialReport = report;
      });
      return;
    }
    const values = read.values;
    // A JSON array of pages, or several values one after another, are pages of one export.
    const items = values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
    const multi = items.length > 1 || Array.isArray(values[0]);
    this.tryLoad(path, () => {
      const unrecognised: number[] = [];
      for (const [i, item] of items.entries())
        if (!this.loadLooseValue(item, path, multi ? `[${i}].` : '', multi ? i : undefined))
          unrecognised.push(i);
      if (unrecognised.length > 0)
        this.skip(
          path,
          `not a recognised snapshot file${multi ? ` (values ${unrecognised.map((i) => i + 1).join(', ')})` : ''}: expected an authorization-details export, a credential report or a password policy`,
        );
    });
  }

  /** False when the value is none of the files a snapshot can hold. */
  private loadLooseValue(value: unknown, path: string, prefix: string, page: number | undefined): boolean {
    const body = authorizationDetailsBody(value);
    if (body !== undefined) {
      const account = accountOfAuthorizationDetails(body);
      addAuthorizationDetails(
        this.draftForArn(account ? `arn:aws:iam::${account}:root` : undefined, path),
        value,
        path,
        prefix,
        this.store,
      );
      return true;
    }
    const report = credentialReportResponse(value);
    if (report) {
      const parsed = parseCredentialReport(report.csv, path, report.generatedTime);
      this.draftForArn(parsed.root?.arn ?? parsed.rows.keys().next().value, path).credentialReport = parsed;
      return true;
    }
    if (isRecord(value) && field(value, 'PasswordPolicy') !== undefined) {
      this.deferredPasswordPolicies.push({ value, file: path });
      return true;
    }
    if (isRecord(value) && Array.isArray(field(value, 'ServicesLastAccessed'))) {
      const principal = safeDecode(basename(path).replace(/\.json$/, ''));
      if (!principal.startsWith('arn:')) {
        this.skip(
          path,
          'service-last-accessed details: name the file by the URL-encoded principal ARN so it can be matched',
        );
        return true;
      }
      const details = readLastAccessed(value, principal, path);
      if (details) {
        const draft = this.draftForArn(principal, path);
        draft.lastAccessed.set(principal, details);
        draft.lastAccessedSeen = true;
      }
      return true;
    }
    if (
      isRecord(value) &&
      (field(value, 'Statement') !== undefined || field(value, 'Version') !== undefined)
    ) {
      throw new InputError('this is a policy document, not a snapshot file', {
        file: path,
        place: page === undefined ? undefined : `value ${page + 1}`,
        expected: 'an authorization-details export, a credential report or a password policy',
        hint: 'Check policy documents with `leastpriv lint`',
      });
    }
    return false;
  }

  // ---- shared helpers ------------------------------------------------------------------------

  private draftFor(id: string, source: string): AccountDraft {
    let draft = this.drafts.get(id);
    if (!draft) {
      draft = newAccountDraft(id, source, !ACCOUNT_ID.test(id));
      this.drafts.set(id, draft);
    }
    draft.sources.add(source);
    return draft;
  }

  private draftForArn(arn: string | undefined, source: string): AccountDraft {
    const id = (arn && accountOfArn(arn)) ?? 'unknown';
    return this.draftFor(id, source);
  }

  /** Fixes a provisional draft's id from the first ARN that names an account. */
  private setAccountId(draft: AccountDraft, arn: string | undefined): void {
    if (!draft.idUnknown || arn === undefined) return;
    const id = /^\d{12}$/.test(arn) ? arn : accountOfArn(arn);
    if (id === undefined) return;
    draft.id = id;
    draft.idUnknown = false;
  }

  private async list(dir: string, quiet = false): Promise<Dirent[]> {
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      if (entries.length > MAX_DIR_ENTRIES) {
        this.fail(
          new InputError(`the folder has ${entries.length} entries; at most ${MAX_DIR_ENTRIES} are read`, {
            file: dir,
          }),
        );
        entries.length = MAX_DIR_ENTRIES;
      }
      // Sorted so that loading (and every report built from it) is deterministic.
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      if (!quiet && (err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.fail(
          new InputError(`cannot list the folder (${(err as NodeJS.ErrnoException).code})`, { file: dir }),
        );
      return [];
    }
  }

  private async readText(path: string): Promise<string | undefined> {
    try {
      const text = await readTextFile(path);
      this.filesRead++;
      this.readFiles.add(path);
      this.options.onProgress?.({
        stage: 'file',
        path,
        filesRead: this.filesRead,
        accounts: this.drafts.size,
      });
      return text;
    } catch (err) {
      if (err instanceof InputError) this.fail(err);
      else throw err;
      return undefined;
    }
  }

  /**
   * Reads and parses a file; the text is not kept (a 200 MB export must not stay alive next to its
   * parsed form). CSV text is returned as is when `isCsv` says so.
   */
  private async readParsed(
    path: string,
    isCsv: (text: string) => boolean,
  ): Promise<{ csv: string; values?: undefined } | { csv?: undefined; values: unknown[] } | undefined> {
    const text = await this.readText(path);
    if (text === undefined) return undefined;
    if (isCsv(text)) return { csv: text };
    const values = this.parse(text, path);
    return values === undefined ? undefined : { values };
  }

  private parse(text: string, path: string): unknown[] | undefined {
    try {
      return parseJsonText(text, path);
    } catch (err) {
      if (err instanceof InputError) this.fail(err);
      else throw err;
      return undefined;
    }
  }

  private async readJson(path: string, report = true): Promise<unknown> {
    const text = await this.readText(path);
    if (text === undefined) return undefined;
    if (!report) {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    }
    const values = this.parse(text, path);
    return values === undefined ? undefined : values.length === 1 ? values[0] : values;
  }

  private tryLoad(path: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof InputError) this.fail(err);
      else throw err;
    }
  }

  private fail(error: InputError): void {
    this.errors.push(error);
    this.filesFailed++;
    if (error.details.file) this.badFiles.add(error.details.file);
  }

  private skip(file: string, reason: string): void {
    this.skipped.push({ file, reason });
    this.badFiles.add(file);
  }

  // ---- freezing ------------------------------------------------------------------------------

  private finish(paths: readonly string[]): OrgSnapshot {
    if (this.deferredPasswordPolicies.length > 0) {
      const only = this.drafts.size === 1 ? [...this.drafts.values()][0] : undefined;
      for (const { value, file } of this.deferredPasswordPolicies) {
        const policy = readPasswordPolicy(value, file);
        if (only && policy) only.passwordPolicy = policy;
        else
          this.skip(
            file,
            only
              ? 'not a password policy response'
              : 'a password policy, but nothing says which account it belongs to: put it in account-data/<account>/us-east-1/',
          );
      }
    }
    for (const gap of this.pendingManifestGaps) {
      const draft = gap.account ? this.drafts.get(gap.account) : undefined;
      if (draft) draft.gaps.push(gap);
      else this.snapshotGaps.push(gap);
    }
    const accounts = new Map<string, Account>();
    const ids = [...this.drafts.keys()].sort();
    const org = this.organization;
    for (const id of ids) {
      const draft = this.drafts.get(id)!;
      let placement: Placement = UNKNOWN_PLACEMENT;
      if (org) placement = placementIn(org, id);
      else
        placement = {
          ...UNKNOWN_PLACEMENT,
          gaps: [
            {
              account: id,
              artifact: 'organizations',
              reason: 'not-collected',
              message: 'No Organizations data: the SCPs and RCPs that apply to this account are unknown',
            },
          ],
        };
      accounts.set(id, finishAccount(draft, placement));
    }
    const gaps = [...this.snapshotGaps];
    let users = 0;
    let groups = 0;
    let roles = 0;
    let managedPolicies = 0;
    let resources = 0;
    for (const a of accounts.values()) {
      gaps.push(...a.gaps);
      users += a.users.size;
      groups += a.groups.size;
      roles += a.roles.size;
      managedPolicies += a.managedPolicies.size;
      resources += a.resources.size;
    }
    const layout: SnapshotLayout = this.layouts.has('leastpriv')
      ? 'leastpriv'
      : this.layouts.has('cloudmapper')
        ? 'cloudmapper'
        : 'files';
    this.options.onProgress?.({ stage: 'done', filesRead: this.filesRead, accounts: accounts.size });
    return {
      schemaVersion: 1,
      source: { layout, paths: [...paths] },
      ...(this.collectedAt ? { collectedAt: this.collectedAt } : {}),
      ...(org ? { organization: org.organization } : {}),
      accounts,
      gaps,
      load: {
        filesLoaded: [...this.readFiles].filter((f) => !this.badFiles.has(f)).length,
        filesSkipped: this.skipped.length,
        filesFailed: this.filesFailed,
        skipped: this.skipped,
        errors: this.errors,
        policiesWithErrors: this.store.errorCount,
        counts: { accounts: accounts.size, users, groups, roles, managedPolicies, resources },
        millis: Math.round(performance.now() - this.started),
      },
    };
  }
}

function rank(artifact: string): number {
  const i = IAM_FIRST.indexOf(artifact);
  return i === -1 ? IAM_FIRST.length : i;
}

function isKnownArtifact(e: Dirent): boolean {
  const name = e.isFile() ? e.name.replace(/\.(json|csv)$/, '') : e.name;
  return (
    name.startsWith('iam-') ||
    name.startsWith('organizations-') ||
    POLICY_ARTIFACTS.has(name) ||
    isListingArtifact(name)
  );
}

function pagesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function notAuthz(file: string, page: number | undefined): InputError {
  return new InputError('not an authorization-details export', {
    file,
    ...(page === undefined ? {} : { place: `page ${page + 1}` }),
    expected: 'an object with UserDetailList, GroupDetailList, RoleDetailList and Policies',
    hint: 'Export it with `aws iam get-account-authorization-details`',
  });
}

function unexpected(file: string, expected: string): InputError {
  return new InputError('the file does not hold the response its name says', {
    file,
    expected,
    hint: 'Re-collect this artifact; the other files were still loaded',
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const GAP_REASONS = new Set(['access-denied', 'throttled', 'error', 'not-collected']);

function manifestGap(g: Readonly<Record<string, unknown>>): Gap | undefined {
  const artifact = str(g, 'artifact') ?? str(g, 'call');
  if (artifact === undefined) return undefined;
  const reason = str(g, 'reason');
  return {
    artifact,
    reason: reason && GAP_REASONS.has(reason) ? (reason as Gap['reason']) : 'error',
    message: str(g, 'message') ?? `${artifact} was not collected`,
    ...optional('account', str(g, 'account')),
    ...optional('region', str(g, 'region')),
    ...optional('call', str(g, 'call')),
    ...optional('target', str(g, 'target')),
  };
}

/** Merges a second folder's draft for the same account into the first. */
function mergeDraft(into: AccountDraft, from: AccountDraft): void {
  for (const s of from.sources) into.sources.add(s);
  for (const r of from.regions) into.regions.add(r);
  for (const [k, v] of from.users) into.users.set(k, v);
  for (const [k, v] of from.groups) into.groups.set(k, v);
  for (const [k, v] of from.roles) into.roles.set(k, v);
  for (const [k, v] of from.managedPolicies) into.managedPolicies.set(k, v);
  for (const [k, v] of from.resources) into.resources.set(k, v);
  for (const s of from.resourceServicesListed) into.resourceServicesListed.add(s);
  for (const [k, v] of from.lastAccessed) into.lastAccessed.set(k, v);
  for (const [k, v] of from.accessKeys) into.accessKeys.set(k, v);
  for (const [k, v] of from.mfaDevices) into.mfaDevices.set(k, v);
  into.authzPages += from.authzPages;
  into.authzTruncatedPages += from.authzTruncatedPages;
  into.authzFinalPages += from.authzFinalPages;
  into.lastAccessedSeen ||= from.lastAccessedSeen;
  into.collectedByLeastpriv ||= from.collectedByLeastpriv;
  into.passwordPolicy ??= from.passwordPolicy;
  into.credentialReport ??= from.credentialReport;
  into.name ??= from.name;
  into.alias ??= from.alias;
  if (from.accessAnalyzers) into.accessAnalyzers = [...(into.accessAnalyzers ?? []), ...from.accessAnalyzers];
  into.gaps.push(...from.gaps);
}
