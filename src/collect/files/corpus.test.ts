import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatInputError } from '../../model/errors.js';
import { loadSnapshot } from '../index.js';
import { CORPUS } from './test-fixtures.js';

/**
 * Every file of the shared corpus that a snapshot can hold loads, or fails with one clear error.
 * Skipped (with the reason) when ../shared is not checked out beside the repository.
 */
const present = existsSync(CORPUS);
if (!present) console.warn(`skipping corpus loader tests: ${CORPUS} is absent`);

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (name !== 'SOURCE.md' && name !== 'README.md') out.push(p);
  }
  return out;
}

describe.skipIf(!present)('corpus: authorization details', () => {
  const files = present ? filesUnder(join(CORPUS, 'authz-details')) : [];
  it.each(files.map((f) => [f.slice(CORPUS.length + 1), f]))(
    '%s loads or fails clearly',
    async (_name, file) => {
      const { snapshot, errors, summary } = await loadSnapshot([file]);
      const text = readFileSync(file, 'utf8');
      const looksLikeExport =
        /"(UserDetailList|RoleDetailList|GroupDetailList)"/.test(text) && text.trimStart().startsWith('{');
      if (looksLikeExport) {
        expect(errors.map(formatInputError)).toEqual([]);
        const raw = JSON.parse(text) as Record<string, unknown[] | undefined>;
        const account = [...snapshot.accounts.values()];
        const count = (k: string) => new Set((raw[k] ?? []).map((x) => (x as { Arn: string }).Arn)).size;
        expect(summary.counts.users).toBe(count('UserDetailList'));
        expect(summary.counts.roles).toBe(count('RoleDetailList'));
        expect(summary.counts.groups).toBe(count('GroupDetailList'));
        expect(summary.counts.managedPolicies).toBe(count('Policies'));
        for (const a of account)
          for (const r of a.roles.values())
            expect(r.trustPolicy?.readable, `${r.arn} trust policy`).toBe(true);
      } else {
        // Not an export (a policy document, cloudsplaining's own output): one error or a skip with a reason.
        expect(errors.length + summary.skipped.length).toBe(1);
        for (const e of errors) expect(formatInputError(e)).toContain(file);
        for (const s of summary.skipped) expect(s.reason).toMatch(/not a recognised snapshot file/);
        expect(summary.counts.users + summary.counts.roles).toBe(0);
      }
    },
  );

  it('the AWS CLI example: object-instead-of-list attachments, Statement as object, truncated export', async () => {
    const { snapshot } = await loadSnapshot([
      join(CORPUS, 'authz-details/aws-cli-example/get-account-authorization-details.json'),
    ]);
    const account = snapshot.accounts.get('123456789012')!;
    expect(account.groups.get('arn:aws:iam::123456789012:group/Admins')!.attachedPolicies).toEqual([
      { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' },
    ]);
    const bob = account.users.get('arn:aws:iam::123456789012:user/Bob')!;
    expect(bob.inlinePolicies[0]!.policy.statements[0]!.effect).toBe('Deny');
    expect(account.gaps).toContainEqual(expect.objectContaining({ reason: 'truncated' }));
    expect(account.roles.get('arn:aws:iam::123456789012:role/EC2role')!.lastUsed).toEqual({
      date: '2019-11-13T17:30:00.000Z',
      region: 'us-west-2',
    });
  });
});

describe.skipIf(!present)('corpus: credential reports', () => {
  const dir = join(CORPUS, 'credential-report');
  const header = present
    ? readFileSync(join(dir, 'aws-docs-columns/header.csv'), 'utf8').trim().split(',')
    : [];
  const files = present ? filesUnder(join(dir, 'cloud-custodian')) : [];
  it.each(files.map((f) => [f.slice(CORPUS.length + 1), f]))(
    '%s loads with the documented columns',
    async (_n, file) => {
      const { snapshot, errors } = await loadSnapshot([file]);
      expect(errors.map(formatInputError)).toEqual([]);
      const text = readFileSync(file, 'utf8');
      const lines = text.trim().split(/\r?\n/);
      const report = [...snapshot.accounts.values()][0]!.credentialReport!;
      // One report repeats a row (edited test data): rows are keyed by ARN.
      expect(report.rows.size).toBe(new Set(lines.slice(1).map((l) => l.split(',')[1])).size);
      for (const row of report.rows.values()) {
        expect([...row.raw.keys()]).toEqual(header);
        for (const k of ['userCreationTime', 'passwordLastUsed', 'passwordLastChanged'] as const) {
          const v = row[k];
          if (v !== null) expect(Number.isNaN(Date.parse(v))).toBe(false);
        }
        if (row.isRoot) expect(row.passwordEnabled).toBe('not_supported');
        else expect(typeof row.passwordEnabled).toBe('boolean');
      }
    },
  );

  it('the documented header is the one the loader reads', () => {
    const cols = JSON.parse(readFileSync(join(dir, 'aws-docs-columns/columns.json'), 'utf8')) as {
      columns: { column: string }[];
    };
    expect(cols.columns.map((c) => c.column)).toEqual(header);
  });
});

describe.skipIf(!present)('corpus: api-shapes', () => {
  const dir = join(CORPUS, 'api-shapes/aws-cli-examples');
  const files = present ? filesUnder(dir) : [];
  it.each(files.map((f) => [f.slice(CORPUS.length + 1), f]))(
    '%s loads, is skipped with a reason, or fails clearly',
    async (_n, file) => {
      const { errors, summary, snapshot } = await loadSnapshot([file]);
      expect(errors.length + summary.skipped.length + summary.filesLoaded).toBeGreaterThan(0);
      for (const e of errors) expect(formatInputError(e)).toContain(file);
      if (file.endsWith('iam-get-credential-report.json')) {
        // The CLI example has no Content: not a report, said so.
        expect(summary.skipped.length + errors.length).toBe(1);
      }
      if (file.endsWith('iam-get-account-password-policy.json')) {
        // A lone password policy names no account.
        expect(summary.skipped[0]?.reason).toMatch(/which account/);
        expect(snapshot.accounts.size).toBe(0);
      }
    },
  );

  it('the password policy loads in a snapshot folder; a with-entities response in the wrong folder is one clear error', async () => {
    const read = (n: string) => readFileSync(join(dir, n), 'utf8');
    const root = await mkdtemp(join(tmpdir(), 'leastpriv-shapes-'));
    const put = async (rel: string, text: string) => {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    };
    const account = '123456789012';
    await put(
      `account-data/${account}/us-east-1/iam-get-account-password-policy.json`,
      read('iam-get-account-password-policy.json'),
    );
    const misplaced = `account-data/${account}/us-east-1/iam-get-service-last-accessed-details/${encodeURIComponent(`arn:aws:iam::${account}:user/x`)}`;
    await put(misplaced, read('iam-get-service-last-accessed-details-with-entities.json'));
    const { snapshot, errors } = await loadSnapshot([root]);
    expect(errors.map(formatInputError)).toEqual([
      expect.stringMatching(
        /iam-get-service-last-accessed-details\/arn%3Aaws.*expected a get-service-last-accessed-details response/,
      ),
    ]);
    const a = snapshot.accounts.get(account)!;
    expect(a.passwordPolicy).toMatchObject({
      state: 'set',
      value: { minimumPasswordLength: 8, requireNumbers: true },
    });
  });
});

interface Recording {
  readonly status_code: number;
  readonly data: Record<string, unknown>;
}

/** The placebo operation name → where our layout keeps the response (folder, identifier from the response). */
const PLACEBO_TO_LAYOUT: Record<
  string,
  { artifact: string; id: (d: Record<string, unknown>, test: string) => string }
> = {
  's3.GetBucketPolicy': { artifact: 's3-get-bucket-policy', id: (_d, t) => t },
  'kms.GetKeyPolicy': { artifact: 'kms-get-key-policy', id: (_d, t) => t },
  'lambda.GetPolicy': { artifact: 'lambda-get-policy', id: (_d, t) => t },
  'sqs.GetQueueAttributes': {
    artifact: 'sqs-get-queue-attributes',
    id: (_d, t) => `https://sqs.us-east-1.amazonaws.com/644160558196/${t}`,
  },
  'sns.GetTopicAttributes': {
    artifact: 'sns-get-topic-attributes',
    id: (_d, t) => `arn:aws:sns:us-east-1:644160558196:${t}`,
  },
  'api.ecr.GetRepositoryPolicy': { artifact: 'ecr-get-repository-policy', id: (_d, t) => t },
  'secretsmanager.GetResourcePolicy': {
    artifact: 'secretsmanager-get-resource-policy',
    id: (_d, t) => `arn:aws:secretsmanager:us-east-1:644160558196:secret:${t}`,
  },
};

const NO_POLICY = new Set([
  'NoSuchBucketPolicy',
  'ResourceNotFoundException',
  'RepositoryPolicyNotFoundException',
  'NotFoundException',
]);

describe.skipIf(!present)('corpus: recorded API responses (placebo)', () => {
  const load = () =>
    JSON.parse(
      gunzipSync(
        readFileSync(
          join(CORPUS, 'api-responses/cloud-custodian-placebo/iam-and-resource-policy-responses.json.gz'),
        ),
      ).toString('utf8'),
    ) as Record<string, Recording>;

  it('every resource-policy response loads as a resource (with its policy, or none), or as a gap', async () => {
    const recordings = load();
    let checked = 0;
    let withPolicy = 0;
    for (const [key, rec] of Object.entries(recordings)) {
      const [test, file] = key.split('/') as [string, string];
      const spec = PLACEBO_TO_LAYOUT[file.replace(/_\d+\.json$/, '')];
      if (!spec) continue;
      const root = await mkdtemp(join(tmpdir(), 'leastpriv-placebo-'));
      const path = join(
        root,
        'account-data/644160558196/us-east-1',
        spec.artifact,
        encodeURIComponent(spec.id(rec.data, test)),
      );
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, JSON.stringify(rec.data));
      const { snapshot, errors } = await loadSnapshot([root]);
      expect(errors.map(formatInputError), key).toEqual([]);
      const account = snapshot.accounts.get('644160558196')!;
      const err = (rec.data.Error as { Code?: string } | undefined)?.Code;
      const attrs = rec.data.Attributes as Record<string, unknown> | undefined;
      const text = rec.data.Policy ?? rec.data.policyText ?? rec.data.ResourcePolicy ?? attrs?.Policy;
      checked++;
      if (err !== undefined && !NO_POLICY.has(err)) {
        expect(account.gaps, key).toContainEqual(
          expect.objectContaining({ artifact: spec.artifact, reason: expect.any(String) }),
        );
        expect(account.resources.size, key).toBe(0);
        continue;
      }
      expect(account.resources.size, key).toBe(1);
      const r = [...account.resources.values()][0]!;
      expect(r.policy !== undefined, key).toBe(err === undefined && typeof text === 'string' && text !== '');
      if (r.policy) {
        withPolicy++;
        expect(r.policy.readable, `${key}: ${r.policy.issues.map((i) => i.message).join('; ')}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(withPolicy).toBeGreaterThan(100);
  });

  it('every credential report and password policy response loads, or is a gap', async () => {
    const recordings = load();
    let reports = 0;
    let policies = 0;
    for (const [key, rec] of Object.entries(recordings)) {
      const [test, file] = key.split('/') as [string, string];
      const artifact = file.startsWith('iam.GetCredentialReport_')
        ? 'iam-get-credential-report'
        : file.startsWith('iam.GetAccountPasswordPolicy_')
          ? 'iam-get-account-password-policy'
          : undefined;
      if (!artifact) continue;
      const root = await mkdtemp(join(tmpdir(), 'leastpriv-placebo-'));
      const dir = join(root, 'account-data', '644160558196', 'us-east-1');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${artifact}.json`), JSON.stringify(rec.data));
      const { snapshot, errors } = await loadSnapshot([root]);
      expect(errors.map(formatInputError), key).toEqual([]);
      const account = [...snapshot.accounts.values()][0]!;
      const err = (rec.data.Error as { Code?: string } | undefined)?.Code;
      if (artifact === 'iam-get-credential-report') {
        reports++;
        if (rec.status_code === 200) {
          expect(account.credentialReport?.rows.size, `${test}`).toBeGreaterThan(0);
          expect(account.credentialReport?.root?.isRoot ?? true).toBe(true);
        } else {
          expect(account.credentialReport).toBeUndefined();
          expect(account.gaps, key).toContainEqual(
            expect.objectContaining({ artifact, message: expect.stringContaining(err!) }),
          );
        }
      } else {
        policies++;
        expect(account.passwordPolicy.state, key).toBe(err === 'NoSuchEntity' ? 'none' : 'set');
      }
    }
    expect(reports).toBe(11);
    expect(policies).toBe(6);
  });
});
