import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../src/activity/ingest.js';
import { allow, SnapshotBuilder } from '../../src/checks/testing/snapshot-builder.js';
import {
  trailDetectCommand,
  trailPolicyCommand,
  trailUsageCommand,
} from '../../src/cli/commands/trail-detect.js';
import type { CliIO } from '../../src/cli/io.js';
import { validatePolicy } from '../../src/policy/validate/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stratus = path.resolve(
  repoRoot,
  '..',
  'shared',
  'corpus',
  'cloudtrail',
  'stratus-red-team-detonation-logs',
);
const present = existsSync(stratus);
if (!present) console.warn(`skipping trail detect CLI corpus test: ${stratus} is absent`);

function io(): CliIO & { out: () => string; err: () => string; files: Map<string, string> } {
  let out = '';
  let err = '';
  const files = new Map<string, string>();
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readFile: async () => '',
    writeFile: async (p, t) => {
      files.set(p, t);
    },
    color: false,
    out: () => out,
    err: () => err,
    files,
  };
}

const ACCOUNT = '111122223333';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'leastpriv-trail-detect-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!present)('leastpriv trail detect over the Stratus detonation logs', () => {
  let dbPath: string;
  beforeAll(async () => {
    dbPath = path.join(dir, 'stratus.duckdb');
    const report = await ingestCloudTrail([stratus], { dbPath, threads: 0 });
    expect(report.eventsIngested).toBeGreaterThan(300);
  });

  it('prints one JSON object per alert with rule, severity, title, principal, time and eventIDs', async () => {
    const t = io();
    expect(await trailDetectCommand({ db: dbPath, format: 'json' }, t)).toBe(0);
    const alerts = JSON.parse(t.out()) as {
      ruleId: string;
      severity: string;
      title: string;
      principal: string;
      time: string;
      eventIds: string[];
    }[];
    const ids = new Set(alerts.map((a) => a.ruleId));
    for (const id of [
      'cloudtrail-stopped',
      'organizations-leave',
      'trust-policy-external',
      'console-login-without-mfa',
    ])
      expect(ids).toContain(id);
    const stop = alerts.find((a) => a.ruleId === 'cloudtrail-stopped');
    expect(stop?.principal).toMatch(/^arn:aws:iam::\d{12}:user\//);
    expect(stop?.eventIds).toHaveLength(1);
    expect(stop?.severity).toBe('high');
    expect(alerts.every((a) => a.title && a.time && a.eventIds.length > 0)).toBe(true);
  });

  it('limits alerts to --since and to --rule, and fails on --fail-on', async () => {
    const none = io();
    await trailDetectCommand({ db: dbPath, format: 'json', since: '2099-01-01' }, none);
    expect(JSON.parse(none.out())).toEqual([]);
    const one = io();
    const code = await trailDetectCommand(
      { db: dbPath, format: 'csv', rule: ['organizations-leave'], failOn: 'critical' },
      one,
    );
    expect(code).toBe(1);
    const lines = one.out().trim().split('\n');
    expect(lines[0]).toContain('rule_id');
    expect(lines.slice(1).every((l) => l.includes('organizations-leave'))).toBe(true);
  });

  it('rejects a bad --since and an unknown rule', async () => {
    await expect(trailDetectCommand({ db: dbPath, since: 'yesterday' }, io())).rejects.toThrow(/--since/);
    await expect(trailDetectCommand({ db: dbPath, rule: ['nope'] }, io())).rejects.toThrow(/no rule nope/);
  });
});

describe('leastpriv trail usage and trail policy', () => {
  let dbPath: string;
  let snapshotDir: string;
  beforeAll(async () => {
    dbPath = path.join(dir, 'usage.duckdb');
    const who = {
      type: 'IAMUser',
      arn: `arn:aws:iam::${ACCOUNT}:user/deployer`,
      userName: 'deployer',
      accountId: ACCOUNT,
    };
    const events = [
      ['s3.amazonaws.com', 'PutObject', { bucketName: 'artifacts', key: 'build/1.zip' }],
      ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', { functionName: 'api' }],
      ['cloudformation.amazonaws.com', 'DescribeStacks', {}],
    ].map(([source, name, params], i) => ({
      eventVersion: '1.09',
      eventID: `e-${i}`,
      eventTime: new Date(Date.now() - 86_400_000).toISOString(),
      eventSource: source,
      eventName: name,
      eventType: 'AwsApiCall',
      awsRegion: 'eu-west-1',
      recipientAccountId: ACCOUNT,
      userIdentity: who,
      requestParameters: params,
    }));
    writeFileSync(path.join(dir, 'usage.json'), JSON.stringify({ Records: events }));
    await ingestCloudTrail([path.join(dir, 'usage.json')], { dbPath, threads: 0 });
    snapshotDir = await new SnapshotBuilder()
      .user('deployer', { inline: { deploy: allow(['s3:*', 'lambda:*', 'cloudformation:Describe*']) } })
      .write(path.join(dir, 'snapshot'));
  });

  it('reports used and unused actions as JSON', async () => {
    const t = io();
    expect(
      await trailUsageCommand('deployer', { snapshot: snapshotDir, db: dbPath, format: 'json' }, t),
    ).toBe(0);
    const r = JSON.parse(t.out());
    expect(r.activity.used.map((u: { action: string }) => u.action)).toEqual([
      'cloudformation:DescribeStacks',
      'lambda:UpdateFunctionCode',
      's3:PutObject',
    ]);
    expect(r.comparison.grantedUnused).toContain('s3:DeleteBucket');
  });

  it('prints a policy that lints without errors', async () => {
    const t = io();
    expect(
      await trailPolicyCommand(
        `arn:aws:iam::${ACCOUNT}:user/deployer`,
        { snapshot: snapshotDir, db: dbPath },
        t,
      ),
    ).toBe(0);
    const policy = JSON.parse(t.out());
    expect(
      validatePolicy(t.out(), { type: 'identity' }).issues.filter((i) => i.severity === 'ERROR'),
    ).toEqual([]);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).toContain('arn:aws:s3:::artifacts/build/1.zip');
    expect(resources).toContain(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:api`);
  });

  it('needs --snapshot and a known principal', async () => {
    await expect(trailUsageCommand('deployer', { db: dbPath }, io())).rejects.toThrow(/--snapshot/);
    await expect(trailUsageCommand('nobody', { snapshot: snapshotDir, db: dbPath }, io())).rejects.toThrow(
      /no user or role/,
    );
  });
});
