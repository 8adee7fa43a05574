/**
 * The query index's promise, end to end through the real CLI in-process: `who-can` answered from
 * an index built by `leastpriv index` prints exactly what `who-can --no-index` prints from the
 * loaded snapshot (same principals, grants, evidence, escalation paths, `candidates` and `total`),
 * for many questions on acme and two generated organizations. The loaded snapshot is the oracle;
 * nothing here is computed by hand. --timings on standard error says which way each question was
 * answered, so the suite cannot pass by always falling back to the snapshot.
 *
 * Also `leastpriv index` itself: a snapshot with a file that does not load is not indexed (exit 2,
 * nothing written, the file named), a missing path is a usage error, and --format json reports
 * what was built; and who-can with a stale or damaged index still answers the same.
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../bench/generate-org.js';
import { loadSnapshot } from '../../src/collect/index.js';
import type { OrgSnapshot } from '../../src/model/account.js';
import { type CliRun, runCli as cli } from '../support/cli.js';

const repoRoot = new URL('../../', import.meta.url).pathname;
const acmeDir = join(repoRoot, 'examples', 'acme');

/** Text output ends with how long the engine took: the one part that may differ between two runs. */
function withoutMillis(text: string): string {
  return text.replace(/ with the engine in \d+ ms$/m, ' with the engine in N ms');
}

type Route = 'index' | 'snapshot';

function route(stderr: string): Route | undefined {
  if (stderr.includes('read the query index')) return 'index';
  if (stderr.includes('load the snapshot')) return 'snapshot';
  return undefined;
}

/** One who-can question: its arguments after `who-can`, and how it must be answered from an index. */
interface Question {
  readonly args: readonly string[];
  /** `snapshot`: the index must hand this question to the loaded snapshot. */
  readonly expect?: Route;
}

function principalsOf(snapshot: OrgSnapshot) {
  const roles = [...snapshot.accounts.values()].flatMap((a) => [...a.roles.values()]);
  const resources = [...snapshot.accounts.values()].flatMap((a) => [...a.resources.values()]);
  return { roles, resources };
}

/** The questions asked of every organization; ARNs are picked from the loaded snapshot. */
function questionsFor(snapshot: OrgSnapshot): Question[] {
  const { roles, resources } = principalsOf(snapshot);
  const trusted =
    roles.find((r) => r.trustPolicy && r.roleCategory === 'same-account') ?? roles.find((r) => r.trustPolicy);
  if (!trusted) throw new Error('no role with a trust policy');
  const bucketWithPolicy = resources.find((r) => r.service === 's3' && r.policy);
  const bucketWithout = resources.find((r) => r.service === 's3' && !r.policy);
  const objectArn = bucketWithout
    ? `${bucketWithout.arn}/reports/2026/01.csv`
    : 'arn:aws:s3:::leastpriv-test-bucket/some/key';
  const questions: Question[] = [
    { args: ['iam:PassRole'], expect: 'index' },
    { args: ['s3:GetObject'], expect: 'index' },
    { args: ['sts:AssumeRole'], expect: 'index' },
    { args: ['iam:CreateAccessKey'], expect: 'index' },
    { args: ['ec2:RunInstances'], expect: 'index' },
    { args: ['kms:Decrypt'], expect: 'index' },
    { args: ['lambda:CreateFunction'], expect: 'index' },
    { args: ['iam:AttachRolePolicy'], expect: 'index' },
    // Case does not matter to IAM; the index's filter must not be case-sensitive either.
    { args: ['IAM:passrole'], expect: 'index' },
    // Rarely granted: named by no literal, reached through wildcards.
    { args: ['s3:GetObjectTorrent'], expect: 'index' },
    { args: ['iam:DeleteAccountPasswordPolicy'], expect: 'index' },
    // In no policy but through `*`.
    { args: ['groundstation:ReserveContact'], expect: 'index' },
    // Not in the action catalog: every principal is checked, from the snapshot.
    { args: ['foo:Bar'], expect: 'snapshot' },
    // A role's trust policy is a resource policy for role assumption: from the snapshot.
    { args: ['sts:AssumeRole', trusted.arn], expect: 'snapshot' },
    { args: ['sts:AssumeRole', trusted.arn, '--no-escalation'], expect: 'snapshot' },
    // PassRole on a role is decided by identity policies: from the index.
    { args: ['iam:PassRole', trusted.arn], expect: 'index' },
    { args: ['s3:GetObject', objectArn], expect: 'index' },
    { args: ['s3:PutObject', objectArn] },
    { args: ['iam:PassRole', '--no-escalation'], expect: 'index' },
    { args: ['s3:GetObject', '--no-escalation'], expect: 'index' },
    { args: ['iam:CreateAccessKey', '--format', 'text'], expect: 'index' },
    { args: ['sts:AssumeRole', trusted.arn, '--format', 'text'], expect: 'snapshot' },
    { args: ['s3:GetObject', objectArn, '--no-escalation', '--format', 'text'], expect: 'index' },
  ];
  if (bucketWithPolicy) {
    questions.push(
      // A bucket with a bucket policy: every principal is a candidate, from the snapshot.
      { args: ['s3:ListBucket', bucketWithPolicy.arn], expect: 'snapshot' },
      { args: ['s3:GetBucketPolicy', bucketWithPolicy.arn, '--no-escalation'], expect: 'snapshot' },
      // Its policy governs its objects too (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html).
      { args: ['s3:GetObject', `${bucketWithPolicy.arn}/some/key`], expect: 'snapshot' },
    );
  }
  return questions;
}

interface Org {
  readonly dir: string;
  readonly indexDir: string;
  readonly questions: Question[];
  readonly built: CliRun;
}

let tmp: string;
const orgs: Record<string, Org> = {};
const orgNames = ['acme', 'generated org, seed 1', 'generated org, seed 2'];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'leastpriv-who-can-index-'));
  const dirs: Record<string, string> = { acme: acmeDir };
  for (const seed of [1, 2]) {
    const dir = join(tmp, `org-${seed}`);
    generateOrg({ users: 60, roles: 200, policies: 120, out: dir, seed });
    dirs[`generated org, seed ${seed}`] = dir;
  }
  for (const name of orgNames) {
    const dir = dirs[name] as string;
    const indexDir = join(tmp, `index-${orgNames.indexOf(name)}`);
    const built = await cli(['index', dir, '--index-dir', indexDir, '--format', 'json', '-q']);
    const { snapshot } = await loadSnapshot([dir]);
    orgs[name] = { dir, indexDir, built, questions: questionsFor(snapshot) };
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const org = (name: string): Org => orgs[name] as Org;

/**
 * One question asked both ways: from the index in `indexDir`, and loading the snapshot
 * (`--no-index`). `args` are the command and its arguments, without --snapshot.
 */
async function bothWays(
  args: readonly string[],
  dir: string,
  indexDir: string,
): Promise<{ fromIndex: CliRun; loaded: CliRun }> {
  const common = [...args, '--snapshot', dir];
  return {
    fromIndex: await cli([...common, '--index-dir', indexDir]),
    loaded: await cli([...common, '--no-index']),
  };
}

/** who-can's JSON answer from the index in `indexDir`. */
async function whoCanFromIndex(
  dir: string,
  indexDir: string,
  action: string,
): Promise<{ principals: { via?: string }[]; total: number }> {
  const r = await cli(['who-can', action, '--snapshot', dir, '--format', 'json', '--index-dir', indexDir]);
  return JSON.parse(r.stdout);
}

describe.each(orgNames)('who-can from the index of %s', (name) => {
  it('was indexed by `leastpriv index`', () => {
    const { built, indexDir } = org(name);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const summary = JSON.parse(built.stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['principals', 'escalationEdges', 'index', 'bytes']),
    );
    expect(summary.principals).toBeGreaterThan(0);
    expect(summary.escalationEdges).toBeGreaterThan(0);
    expect(existsSync(summary.index)).toBe(true);
    expect(summary.index.startsWith(indexDir)).toBe(true);
    expect(readFileSync(summary.index).length).toBe(summary.bytes);
  });

  it('prints byte for byte what the loaded snapshot prints, for every question', async () => {
    const { dir, indexDir, questions } = org(name);
    const routes: Route[] = [];
    for (const q of questions) {
      const text = q.args.includes('text');
      const format = text ? [] : ['--format', 'json'];
      const { fromIndex, loaded: fromSnapshot } = await bothWays(
        ['who-can', ...q.args, ...format, '--timings'],
        dir,
        indexDir,
      );
      const label = `who-can ${q.args.join(' ')}`;
      expect(fromIndex.code, label).toBe(0);
      expect(fromSnapshot.code, label).toBe(0);
      expect(route(fromSnapshot.stderr), label).toBe('snapshot');
      const used = route(fromIndex.stderr);
      expect(used, label).toBeDefined();
      if (q.expect) expect(used, label).toBe(q.expect);
      routes.push(used as Route);
      // The index was found and whole: no note about an index that is not used.
      expect(fromIndex.stderr, label).not.toMatch(/query index .* is not used/);
      if (text) expect(withoutMillis(fromIndex.stdout), label).toBe(withoutMillis(fromSnapshot.stdout));
      else {
        expect(fromIndex.stdout, label).toBe(fromSnapshot.stdout);
        JSON.parse(fromIndex.stdout);
      }
    }
    // Most questions really were answered from the index.
    expect(routes.filter((r) => r === 'index').length).toBeGreaterThan(questions.length / 2);
  });

  it('lists someone for the central questions (the comparisons above are not of empty answers)', async () => {
    const { dir, indexDir } = org(name);
    for (const action of ['iam:PassRole', 's3:GetObject', 'iam:CreateAccessKey']) {
      const body = await whoCanFromIndex(dir, indexDir, action);
      expect(body.principals.length, action).toBeGreaterThan(0);
      expect(body.total, action).toBeGreaterThan(body.principals.length / 2);
    }
  });
});

describe('some answers of the generated organizations go through privilege escalation', () => {
  it('lists escalation paths from the index for iam:PassRole or iam:CreateAccessKey', async () => {
    let paths = 0;
    for (const name of orgNames.slice(1)) {
      const { dir, indexDir } = org(name);
      for (const action of ['iam:PassRole', 'iam:CreateAccessKey']) {
        paths += (await whoCanFromIndex(dir, indexDir, action)).principals.filter(
          (p: { via?: string }) => p.via === 'escalation',
        ).length;
      }
    }
    expect(paths).toBeGreaterThan(0);
  });
});

describe('who-can when the index does not fit the snapshot', () => {
  let snap: string;
  let indexDir: string;

  beforeAll(async () => {
    snap = join(tmp, 'acme-copy');
    cpSync(acmeDir, snap, { recursive: true });
    indexDir = join(tmp, 'index-copy');
    const built = await cli(['index', snap, '--index-dir', indexDir, '-q']);
    expect(built.code).toBe(0);
  });

  const ask = (...extra: string[]) =>
    cli(['who-can', 'iam:PassRole', '--snapshot', snap, '--format', 'json', '--timings', ...extra]);

  it('answers from the snapshot, the same, and without a note, once a snapshot file changed', async () => {
    const before = await ask('--index-dir', indexDir);
    expect(route(before.stderr)).toBe('index');
    const file = join(snap, 'manifest.json');
    appendFileSync(file, '\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const after = await ask('--index-dir', indexDir);
    expect(route(after.stderr)).toBe('snapshot');
    expect(after.stderr).not.toMatch(/is not used/);
    expect(after.stdout).toBe((await ask('--no-index')).stdout);
    expect(after.stdout).toBe(before.stdout);
  });

  it('answers from the snapshot, the same, with a note naming the file, when the index is damaged', async () => {
    const built = await cli(['index', snap, '--index-dir', indexDir, '--format', 'json', '-q']);
    const file = JSON.parse(built.stdout).index as string;
    const whole = readFileSync(file);
    const good = await ask('--index-dir', indexDir);
    expect(route(good.stderr)).toBe('index');
    for (const damage of [whole.subarray(0, whole.length - 7), Buffer.from('not an index')]) {
      writeFileSync(file, damage);
      const r = await ask('--index-dir', indexDir);
      expect(r.code).toBe(0);
      expect(route(r.stderr)).toBe('snapshot');
      expect(r.stderr).toContain(`note: the query index ${file} is not used`);
      expect(r.stdout).toBe(good.stdout);
    }
  });
  // Nothing checks the blob section's bytes (only that refs lie inside it), so an index damaged in
  // place (same size: bit rot, a partial overwrite) opens; who-can must then fall back when an
  // entry does not decode, not throw.
  it('answers from the snapshot, the same, when bytes inside the index are damaged in place', async () => {
    const built = await cli(['index', snap, '--index-dir', indexDir, '--format', 'json', '-q']);
    const file = JSON.parse(built.stdout).index as string;
    const good = await ask('--no-index');
    const bytes = readFileSync(file);
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength));
    const at = 12 + headerLength + (header.snapshot[0] as number);
    bytes.fill(0, at, at + 16);
    writeFileSync(file, bytes);
    const r = await ask('--index-dir', indexDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(good.stdout);
  });
});

describe('leastpriv index', () => {
  it('does not index a snapshot with a file that does not load: exit 2, nothing written, the file named', async () => {
    const snap = join(tmp, 'acme-broken');
    cpSync(acmeDir, snap, { recursive: true });
    const broken = join(
      snap,
      'account-data',
      '729354810066',
      'us-east-1',
      'iam-get-account-authorization-details.json',
    );
    expect(existsSync(broken)).toBe(true);
    writeFileSync(broken, '{"UserDetailList": [ {"UserName": ');
    const indexDir = join(tmp, 'index-broken');
    const r = await cli(['index', snap, '--index-dir', indexDir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(broken);
    expect(r.stderr).toMatch(/not indexed/);
    expect(existsSync(indexDir) ? readdirSync(indexDir) : []).toEqual([]);
    // who-can on it still works, from the snapshot.
    const q = await cli([
      'who-can',
      'iam:PassRole',
      '--snapshot',
      snap,
      '--index-dir',
      indexDir,
      '--timings',
    ]);
    expect(route(q.stderr)).toBe('snapshot');
  });

  it('refuses a path that does not exist with exit 2 and a message naming it', async () => {
    const missing = join(tmp, 'no-such-snapshot');
    const indexDir = join(tmp, 'index-missing');
    const r = await cli(['index', missing, '--index-dir', indexDir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no snapshot at ${missing}`);
    expect(existsSync(indexDir)).toBe(false);
  });

  it('refuses an unknown --format with exit 2', async () => {
    const r = await cli(['index', acmeDir, '--index-dir', join(tmp, 'index-format'), '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(existsSync(join(tmp, 'index-format'))).toBe(false);
  });

  it('prints progress on standard error unless -q, and a summary naming the file in text', async () => {
    const indexDir = join(tmp, 'index-text');
    const r = await cli(['index', acmeDir, '--index-dir', indexDir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^leastpriv index: loading /m);
    const [file] = readdirSync(indexDir);
    expect(file).toBeDefined();
    expect(r.stdout).toContain(join(indexDir, file as string));
  });
});

/**
 * `audit --index` writes the index of the snapshot it audited, reusing the escalation graph the
 * checks built: who-can then answers from it exactly as from the index `leastpriv index` writes.
 */
describe('leastpriv audit --index', () => {
  const name = 'generated org, seed 1';

  it('writes an index who-can answers from, as from the one `leastpriv index` writes', async () => {
    const { dir, indexDir, questions } = org(name);
    const auditIndex = join(tmp, 'index-from-audit');
    const audit = await cli([
      'audit',
      dir,
      '--format',
      'json',
      '--now',
      '2026-11-01T00:00:00Z',
      '--index',
      '--index-dir',
      auditIndex,
    ]);
    expect([0, 1]).toContain(audit.code);
    expect(audit.stderr).toMatch(/query index .*\.lpqi/);
    expect(readdirSync(auditIndex)).toHaveLength(1);
    let fromIndex = 0;
    for (const q of questions.filter((x) => !x.args.includes('text')).slice(0, 10)) {
      const common = ['who-can', ...q.args, '--snapshot', dir, '--format', 'json', '--timings'];
      const a = await cli([...common, '--index-dir', auditIndex]);
      const b = await cli([...common, '--index-dir', indexDir]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(route(a.stderr)).toBe(route(b.stderr));
      if (route(a.stderr) === 'index') fromIndex++;
    }
    expect(fromIndex).toBeGreaterThan(0);
  });

  it.each([
    ['two snapshot paths', ['audit', 'A', 'B', '--index'], 'give one snapshot path'],
    ['--aws without --save', ['audit', '--aws', '--index'], 'needs --save'],
    ['--index-dir without --index', ['audit', 'A', '--index-dir', 'X'], '--index-dir only goes with --index'],
  ])('refuses %s with exit 2', async (_, argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('writes no index, and says so, when a snapshot file does not load', async () => {
    const snap = join(tmp, 'acme-broken-audit');
    cpSync(acmeDir, snap, { recursive: true });
    writeFileSync(
      join(snap, 'account-data', '729354810066', 'us-east-1', 'iam-get-account-authorization-details.json'),
      '{"UserDetailList": [',
    );
    const auditIndex = join(tmp, 'index-audit-broken');
    const r = await cli(['audit', snap, '--format', 'json', '-q', '--index', '--index-dir', auditIndex]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the query index is not written: 1 file could not be read');
    expect(existsSync(auditIndex) ? readdirSync(auditIndex) : []).toEqual([]);
  });
});

/**
 * `paths` reads the escalation graph from the index (nodes, and every principal's edges in and
 * out, in the order the graph builder found them), so every path it prints is the one the built
 * graph gives: the searches to admin and from a principal visit edges in that order.
 */
describe.each(orgNames)('paths from the index of %s', (name) => {
  it('prints byte for byte what it prints after building the graph, for --to admin and for principals', async () => {
    const { dir, indexDir } = org(name);
    const { snapshot } = await loadSnapshot([dir]);
    const principals: string[] = [];
    for (const account of snapshot.accounts.values()) {
      principals.push(...[...account.users.keys()].slice(0, 3), ...[...account.roles.keys()].slice(0, 3));
      principals.push(...[...account.groups.keys()].slice(0, 1));
    }
    const questions: string[][] = [
      ['--to', 'admin'],
      ['--to', 'admin', '--format', 'text'],
      ...principals.map((p) => [p]),
      // By unique name, as users type it.
      [[...snapshot.accounts.values()][0]?.users.values().next().value?.name ?? 'nobody'],
    ];
    let reachesSomething = 0;
    for (const q of questions) {
      const format = q.includes('text') ? [] : ['--format', 'json'];
      const { fromIndex, loaded: built } = await bothWays(['paths', ...q, ...format], dir, indexDir);
      expect(fromIndex.code, q.join(' ')).toBe(built.code);
      expect(fromIndex.stderr).toContain('read from the query index');
      expect(built.stderr).not.toContain('query index');
      expect(fromIndex.stdout, q.join(' ')).toBe(built.stdout);
      if (/"hops": \[\s*\{/.test(fromIndex.stdout)) reachesSomething++;
    }
    // The comparisons are not all of empty answers.
    expect(reachesSomething).toBeGreaterThan(0);
  });
});

/**
 * `can` from the index decodes the one principal (whole), its groups' and managed policies, every
 * account's guardrails and resources, and for sts:AssumeRole* the role asked about: the decision,
 * its explanation, the request context and the notes are the loaded snapshot's.
 */
describe.each(orgNames)('can from the index of %s', (name) => {
  it('prints byte for byte what it prints from the loaded snapshot (stdout and stderr)', async () => {
    const { dir, indexDir } = org(name);
    const { snapshot } = await loadSnapshot([dir]);
    const users = [...snapshot.accounts.values()].flatMap((a) => [...a.users.values()]).slice(0, 3);
    const roles = [...snapshot.accounts.values()].flatMap((a) => [...a.roles.values()]).slice(0, 4);
    const buckets = [...snapshot.accounts.values()].flatMap((a) => [...a.resources.values()]);
    const principals = [...users, ...roles];
    expect(principals.length).toBeGreaterThan(3);
    const questions: string[][] = [];
    for (const [i, p] of principals.entries()) {
      // By ARN, by name and by KIND/NAME, as users type them.
      const who = i % 3 === 0 ? p.arn : i % 3 === 1 ? p.name : `${p.kind}/${p.name}`;
      questions.push([who, 'iam:PassRole'], [who, 's3:GetObject', '--format', 'text']);
      const target = roles[(i + 1) % roles.length];
      if (target) questions.push([who, 'sts:AssumeRole', target.arn]);
      const bucket = buckets[i % Math.max(1, buckets.length)];
      if (bucket) questions.push([who, 's3:GetObject', `${bucket.arn}/reports/q1.csv`]);
      questions.push([who, 'ec2:RunInstances', '*', '--context', 'aws:RequestedRegion=eu-west-1']);
    }
    // Not one principal: the same usage error either way.
    questions.push(['no-such-principal', 'iam:PassRole']);
    let fromIndex = 0;
    for (const q of questions) {
      const format = q.includes('text') ? [] : ['--format', 'json'];
      const { fromIndex: a, loaded: b } = await bothWays(
        ['can', ...q, ...format, '--timings'],
        dir,
        indexDir,
      );
      const label = q.join(' ');
      expect(a.code, label).toBe(b.code);
      expect(a.stdout, label).toBe(b.stdout);
      const withoutTimings = (t: string) => t.replace(/^leastpriv can: .*\n/m, '');
      expect(withoutTimings(a.stderr), label).toBe(withoutTimings(b.stderr));
      if (a.stderr.includes('read the query index')) fromIndex++;
    }
    expect(fromIndex).toBeGreaterThan(questions.length / 2);
  });
});

/**
 * `access` from the index decodes the one principal whole with its service last-accessed data:
 * effective access by service and level, conditional grants and unused services are the loaded
 * snapshot's.
 */
describe.each(orgNames)('access from the index of %s', (name) => {
  it('prints byte for byte what it prints from the loaded snapshot', async () => {
    const { dir, indexDir } = org(name);
    const { snapshot } = await loadSnapshot([dir]);
    const principals = [...snapshot.accounts.values()].flatMap((a) => [
      ...[...a.users.values()].slice(0, 3),
      ...[...a.roles.values()].slice(0, 3),
    ]);
    // Principals with last-accessed data first (acme has some): the unused marks come from it.
    const withUsage = [...snapshot.accounts.values()].flatMap((a) => [...a.lastAccessed.keys()]).slice(0, 4);
    const questions: string[][] = [
      ...withUsage.map((arn) => [arn]),
      ...principals.map((p, i) => [i % 2 === 0 ? p.arn : p.name]),
      ...withUsage.slice(0, 1).map((arn) => [arn, '--unused-days', '30', '--format', 'text']),
    ];
    let fromIndex = 0;
    let answered = 0;
    let usageKnown = 0;
    for (const q of questions) {
      const format = q.includes('text') ? [] : ['--format', 'json'];
      const { fromIndex: a, loaded: b } = await bothWays(
        ['access', ...q, ...format, '--timings'],
        dir,
        indexDir,
      );
      const label = q.join(' ');
      expect(a.code, label).toBe(b.code);
      expect(a.stdout, label).toBe(b.stdout);
      // A question that names no single user or role (a group's last-accessed data, a shared
      // name) is a usage error both ways, before anything is read.
      if (a.code === 0) answered++;
      if (a.stderr.includes('read the query index')) fromIndex++;
      if (a.stdout.includes('"usageKnown": true')) usageKnown++;
    }
    expect(answered).toBeGreaterThan(questions.length / 2);
    expect(fromIndex).toBe(answered);
    if (withUsage.length > 0) expect(usageKnown).toBeGreaterThan(0);
  });
});
