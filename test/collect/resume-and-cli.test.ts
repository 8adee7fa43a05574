/* biome-ignore-all lint/suspicious/noExplicitAny: the assertions walk parsed JSON of known shape */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAwsCommand } from '../../src/cli/commands/collect.js';
import type { CliIO } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { collectAws } from '../../src/collect/aws/index.js';
import { InputError } from '../../src/model/errors.js';
import { fastRetryStrategy } from './fast-retry.js';
import { type ReplayServer, startReplayServer } from './replay-server.js';
import {
  accountOf,
  BASE_CREDENTIALS,
  EXTERNAL_ID,
  KEY_IDS,
  MANAGEMENT,
  scenarioHandlers,
} from './scenario.js';

const FAST_POLL = { initialDelayMs: 5, maxDelayMs: 20, maxWaitMs: 3000 };
const root = mkdtempSync(join(tmpdir(), 'leastpriv-resume-'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
const readManifest = (out: string) =>
  JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, any>;

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer({ handlers: scenarioHandlers(), accounts: accountOf });
});
afterAll(async () => {
  await server?.close();
});

const base = () => ({
  org: true,
  roleName: 'Audit',
  externalId: EXTERNAL_ID,
  maxAttempts: 3,
  credentials: BASE_CREDENTIALS,
  clientOptions: { endpoint: server.url, forcePathStyle: true, retryStrategy: fastRetryStrategy(3) },
  poll: FAST_POLL,
});

describe('--resume', () => {
  const out = join(root, 'snapshot');
  const keyPolicy = `account-data/${MANAGEMENT}/us-east-1/kms-get-key-policy/${KEY_IDS[0]}`;

  it('refuses to write over an existing snapshot without --resume', async () => {
    await collectAws({ ...base(), out, regions: ['us-east-1', 'eu-west-1'] });
    await expect(collectAws({ ...base(), out, regions: ['us-east-1'] })).rejects.toBeInstanceOf(InputError);
  });

  it('fetches only what is missing, and keeps the gaps of regions it did not revisit', async () => {
    const before = readManifest(out);
    const removed = readFileSync(join(out, keyPolicy), 'utf8');
    rmSync(join(out, keyPolicy));
    // What an interrupted run leaves: a temporary file, never a truncated snapshot file.
    mkdirSync(join(out, '.leastpriv-tmp'), { recursive: true });
    writeFileSync(join(out, '.leastpriv-tmp', 'deadbeef.tmp'), '{"Policy": "trunc');
    const logStart = server.log.length;

    const result = await collectAws({ ...base(), out, regions: ['us-east-1'], resume: true });

    const requests = server.log.slice(logStart);
    expect(requests.filter((r) => r.operation === 'GetAccountAuthorizationDetails')).toHaveLength(0);
    expect(requests.filter((r) => r.operation === 'GetKeyPolicy' && r.status === 200)).toHaveLength(1);
    expect(readFileSync(join(out, keyPolicy), 'utf8')).toBe(removed);
    expect(result.filesWritten).toBe(1);
    expect(result.skipped).toBeGreaterThan(50);
    expect(existsSync(join(out, '.leastpriv-tmp'))).toBe(false);

    // The ECR repeated-marker gap is in eu-west-1, which this run did not visit: it stands.
    const gaps = result.manifest.gaps.map((g) => `${g.account} ${g.region} ${g.call}`);
    expect(gaps).toContain(`${MANAGEMENT} eu-west-1 ecr:DescribeRepositories`);
    // Gaps of calls this run retried are replaced by this run's outcome, not duplicated.
    expect(result.manifest.gaps).toHaveLength(before.gaps.length);
    const management = result.manifest.accounts.find((a) => a.id === MANAGEMENT);
    expect(management?.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(management?.status).toBe('partial');
    for (const file of walk(out)) JSON.parse(readFileSync(file, 'utf8'));
  });
});

describe('leastpriv collect aws (command)', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // The SDK's default chain reads these first; nothing else from this machine is consulted.
    process.env.AWS_ACCESS_KEY_ID = BASE_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = BASE_CREDENTIALS.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = BASE_CREDENTIALS.sessionToken;
    process.env.AWS_CONFIG_FILE = join(root, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(root, 'no-credentials');
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
  });
  afterAll(() => {
    process.env = saved;
  });

  const io = () => {
    const err: string[] = [];
    const outText: string[] = [];
    const cli: CliIO = {
      stdout: (t) => outText.push(t),
      stderr: (t) => err.push(t),
      readFile: async () => '',
      writeFile: async () => {},
      color: false,
    };
    return { cli, err, outText };
  };

  it('collects the caller account with credentials from the environment and prints progress on stderr', async () => {
    const out = join(root, 'cli');
    const { cli, err, outText } = io();
    const code = await collectAwsCommand(
      {
        out,
        region: 'us-east-1',
        maxParallel: '4',
        maxAttempts: '2',
        clientOptions: { endpoint: server.url, forcePathStyle: true },
      },
      cli,
    );
    expect(code).toBe(0);
    expect(outText).toEqual([]);
    const lines = err.join('').trim().split('\n');
    expect(lines[0]).toMatch(
      /^leastpriv collect: \[1\/1\] 111111111111 \(example-management\): partial, \d+ calls/,
    );
    expect(lines.at(-1)).toMatch(
      /^leastpriv collect: collected 1 account\(s\) in [\d.]+s: \d+ calls, \d+ files written, \d+ gaps/,
    );
    const manifest = readManifest(out);
    expect(manifest.accounts).toEqual([
      { id: MANAGEMENT, name: 'example-management', status: 'partial', regions: ['us-east-1'] },
    ]);
    expect(manifest).not.toHaveProperty('organization');
    const texts = [...walk(out).map((f) => readFileSync(f, 'utf8')), err.join('')];
    for (const text of texts) {
      expect(text).not.toContain(BASE_CREDENTIALS.secretAccessKey);
      expect(text).not.toContain(BASE_CREDENTIALS.sessionToken);
    }
  });

  it('prints nothing with --quiet', async () => {
    const { cli, err } = io();
    const code = await collectAwsCommand(
      {
        out: join(root, 'quiet'),
        region: 'eu-west-1',
        quiet: true,
        clientOptions: { endpoint: server.url, forcePathStyle: true },
      },
      cli,
    );
    expect(code).toBe(0);
    expect(err).toEqual([]);
    // IAM is global: it is written under us-east-1 even when only eu-west-1 is asked for.
    expect(
      existsSync(
        join(
          root,
          'quiet',
          `account-data/${MANAGEMENT}/us-east-1/iam-get-account-authorization-details.json`,
        ),
      ),
    ).toBe(true);
    expect(existsSync(join(root, 'quiet', `account-data/${MANAGEMENT}/eu-west-1/kms-list-keys.json`))).toBe(
      true,
    );
  });

  it.each([
    [{}, /--out/],
    [{ out: 'x', org: true }, /--role-name/],
    [{ out: 'x', externalId: 'e' }, /--role-name/],
    [{ out: 'x', region: 'mars-1' }, /region/],
    [{ out: 'x', maxParallel: '0' }, /--max-parallel/],
    [{ out: 'x', maxAttempts: 'many' }, /--max-attempts/],
  ])('rejects %o as a usage error', async (options, message) => {
    const { cli } = io();
    const failure = collectAwsCommand(options, cli);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(message);
  });

  it('says which account the credentials belong to when another account is asked for without a role', async () => {
    const { cli } = io();
    await expect(
      collectAwsCommand(
        { out: join(root, 'other'), accounts: '222222222222', clientOptions: { endpoint: server.url } },
        cli,
      ),
    ).rejects.toThrow(/role to assume/);
  });
});
