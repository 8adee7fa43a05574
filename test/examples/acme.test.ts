import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedProblems, writeExampleOrg } from '../../scripts/generate-example-org.js';
import { type LoadResult, loadSnapshot } from '../../src/collect/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const acme = path.join(repoRoot, 'examples', 'acme');

const MANAGEMENT = '204815939271';
const SECURITY = '438019276655';
const PROD = '573628190442';
const DEV = '861204557319';
const SANDBOX = '729354810066';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

// gzip output depends on the zlib build (Node bundles Chromium's zlib, whose deflate can choose
// differently per CPU feature set), so compressed files are compared by their decompressed bytes.
function contentHash(file: string): string {
  const bytes = readFileSync(file);
  return createHash('sha256')
    .update(file.endsWith('.gz') ? gunzipSync(bytes) : bytes)
    .digest('hex');
}

let loaded: LoadResult;
beforeAll(async () => {
  loaded = await loadSnapshot([acme]);
});

describe('examples/acme loads through loadSnapshot', () => {
  it('loads with no errors and no gaps as a leastpriv snapshot', () => {
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    expect(loaded.snapshot.source.layout).toBe('leastpriv');
    expect(loaded.snapshot.gaps).toEqual([]);
    expect(loaded.summary.filesFailed).toBe(0);
  });

  it('has the accounts, users and roles the issue asks for', () => {
    const { counts } = loaded.summary;
    expect(counts.accounts).toBeGreaterThanOrEqual(4);
    expect(counts.users).toBeGreaterThanOrEqual(60);
    expect(counts.roles).toBeGreaterThanOrEqual(150);
    expect([...loaded.snapshot.accounts.keys()].sort()).toEqual(
      [MANAGEMENT, SECURITY, PROD, DEV, SANDBOX].sort(),
    );
    expect(loaded.snapshot.organization?.managementAccountId).toBe(MANAGEMENT);
  });

  // SCPs apply at every level from the root down to the account:
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
  it.each([
    [
      PROD,
      [
        ['FullAWSAccess', 'acme-baseline-guardrails'],
        ['FullAWSAccess', 'acme-region-restriction'],
        ['FullAWSAccess', 'acme-prod-protections'],
        ['FullAWSAccess'],
      ],
    ],
    [
      DEV,
      [
        ['FullAWSAccess', 'acme-baseline-guardrails'],
        ['FullAWSAccess', 'acme-region-restriction'],
        ['FullAWSAccess'],
        ['FullAWSAccess'],
      ],
    ],
    [
      SECURITY,
      [
        ['FullAWSAccess', 'acme-baseline-guardrails'],
        ['FullAWSAccess'],
        ['FullAWSAccess', 'acme-log-archive-lock'],
      ],
    ],
    [
      SANDBOX,
      [
        ['FullAWSAccess', 'acme-baseline-guardrails'],
        ['FullAWSAccess', 'acme-sandbox-cost-limits'],
        ['FullAWSAccess'],
      ],
    ],
  ])('account %s has its SCPs on the right OU levels', (id, levels) => {
    const account = loaded.snapshot.accounts.get(id);
    expect(account?.scpState).toBe('known');
    expect(account?.scpLevels.map((level) => level.map((p) => p.name).sort())).toEqual(
      levels.map((l) => [...l].sort()),
    );
    expect(account?.rcpState).toBe('known');
  });

  it('every policy document parses without ERROR issues (the ECR policy without Resource included)', () => {
    const failing: string[] = [];
    for (const account of loaded.snapshot.accounts.values()) {
      const stored = [
        ...[...account.managedPolicies.values()].map((m) => m.document),
        ...[...account.users.values(), ...account.groups.values(), ...account.roles.values()].flatMap((p) => [
          ...p.inlinePolicies,
          ...('trustPolicy' in p ? [p.trustPolicy] : []),
        ]),
        ...[...account.resources.values()].map((r) => r.policy),
      ];
      for (const p of stored) if (p !== undefined && !p.ok) failing.push(p.source);
    }
    // ECR repository policies have no Resource element (ECR applies them to the repository), which
    // the parser accepts for resource-based policies.
    expect(failing).toEqual([]);
  });

  it('credential reports, password policies and analyzers reflect the planted state', () => {
    const dev = loaded.snapshot.accounts.get(DEV);
    const sandbox = loaded.snapshot.accounts.get(SANDBOX);
    expect(dev?.credentialReport?.root?.accessKeys[0].active).toBe(true);
    expect(sandbox?.credentialReport?.root?.mfaActive).toBe(false);
    expect(sandbox?.passwordPolicy.state).toBe('none');
    expect(dev?.passwordPolicy.state === 'set' && dev.passwordPolicy.value.minimumPasswordLength).toBe(8);
    expect(sandbox?.accessAnalyzers ?? []).toEqual([]);
    for (const account of loaded.snapshot.accounts.values()) {
      // One credential-report row per IAM user plus the root row.
      expect(account.credentialReport?.rows.size).toBe(account.users.size + 1);
      // Last-accessed data for every user and role.
      expect(account.lastAccessed.size).toBe(account.users.size + account.roles.size);
    }
  });

  it('every planted problem names a principal or resource that exists in the snapshot', async () => {
    const planted = await plantedProblems();
    const missing = planted.filter(({ accountId, target }) => {
      const account = loaded.snapshot.accounts.get(accountId);
      if (account === undefined) return true;
      if (target === `arn:aws:iam::${accountId}:root` || target.includes(':server-certificate/'))
        return false;
      return !(
        account.users.has(target) ||
        account.roles.has(target) ||
        account.groups.has(target) ||
        account.managedPolicies.has(target) ||
        account.resources.has(target)
      );
    });
    expect(planted.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});

describe('scripts/generate-example-org.ts', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'acme-'));
    await writeExampleOrg(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('reproduces the committed example file for file', () => {
    const committed = filesUnder(acme);
    expect(filesUnder(out)).toEqual(committed);
    const differing = committed.filter(
      (f) => contentHash(path.join(acme, f)) !== contentHash(path.join(out, f)),
    );
    expect(differing).toEqual([]);
  });

  it('keeps the example under ~5 MB', () => {
    const bytes = filesUnder(acme).reduce((n, f) => n + readFileSync(path.join(acme, f)).length, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('examples/acme CloudTrail logs', () => {
  const trailRoot = path.join(acme, 'cloudtrail');
  const files = existsSync(trailRoot) ? filesUnder(trailRoot) : [];
  // The S3 layout of an organization trail:
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
  const layout =
    /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{4})Z_([A-Za-z0-9]{16})\.json\.gz$/;

  it('has a few hundred to a few thousand events', () => {
    const total = files.reduce(
      (n, f) =>
        n +
        (JSON.parse(gunzipSync(readFileSync(path.join(trailRoot, f))).toString('utf8')).Records
          .length as number),
      0,
    );
    expect(total).toBeGreaterThanOrEqual(300);
    expect(total).toBeLessThanOrEqual(5000);
  });

  it.each(files)('%s is gzip JSON with Records from that account, region and day', (file) => {
    const m = layout.exec(file);
    expect(m).not.toBeNull();
    const [, , account, region, year, month, day, fileAccount, fileRegion, fy, fm, fd] = m as RegExpExecArray;
    expect([fileAccount, fileRegion, `${fy}${fm}${fd}`]).toEqual([account, region, `${year}${month}${day}`]);
    const log = JSON.parse(gunzipSync(readFileSync(path.join(trailRoot, file))).toString('utf8')) as {
      Records: { recipientAccountId: string; awsRegion: string; eventTime: string; eventID: string }[];
    };
    expect(Array.isArray(log.Records)).toBe(true);
    expect(log.Records.length).toBeGreaterThan(0);
    for (const r of log.Records) {
      expect([r.recipientAccountId, r.awsRegion, r.eventTime.slice(0, 10)]).toEqual([
        account,
        region,
        `${year}-${month}-${day}`,
      ]);
      expect(r.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('contains the events behind the planted problems', () => {
    const events = files.flatMap(
      (f) =>
        JSON.parse(gunzipSync(readFileSync(path.join(trailRoot, f))).toString('utf8')).Records as {
          eventName: string;
          userIdentity: { type?: string; userName?: string };
          requestParameters: Record<string, unknown> | null;
          additionalEventData?: { MFAUsed?: string };
        }[],
    );
    const has = (pred: (e: (typeof events)[number]) => boolean): boolean => events.some(pred);
    expect(has((e) => e.eventName === 'ConsoleLogin' && e.userIdentity.type === 'Root')).toBe(true);
    expect(
      has(
        (e) =>
          e.eventName === 'ConsoleLogin' &&
          e.userIdentity.userName === 'tom.becker' &&
          e.additionalEventData?.MFAUsed === 'No',
      ),
    ).toBe(true);
    expect(
      has(
        (e) => e.eventName === 'CreateAccessKey' && e.requestParameters?.userName !== e.userIdentity.userName,
      ),
    ).toBe(true);
    expect(has((e) => e.eventName === 'AttachUserPolicy')).toBe(true);
    expect(has((e) => e.eventName === 'PutBucketPolicy')).toBe(true);
  });
});
