/**
 * Finding a query index again: an index written for a snapshot is found while the snapshot's files
 * are unchanged; a changed file means another key, so the old index is simply not found (no error,
 * no stale answer); a damaged file at the expected path is reported as a problem, not thrown; and
 * the default folder follows LEASTPRIV_INDEX_DIR, then XDG_CACHE_HOME, then ~/.cache.
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allow, SnapshotBuilder, trustService } from '../checks/testing/snapshot-builder.js';
import { loadSnapshot } from '../collect/index.js';
import type { OrgSnapshot } from '../model/account.js';
import { buildQueryIndex } from './build.js';
import { defaultIndexDir, findQueryIndex, indexFile, indexKey, writeQueryIndex } from './store.js';

let tmp: string;
/** A small snapshot folder, copied for each test (the tests change its files). */
let template: string;
let snapshot: OrgSnapshot;
/** The bytes of the index last built by indexNow. */
let built: Buffer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'leastpriv-store-'));
  template = await new SnapshotBuilder()
    .policy('deploy', allow(['iam:PassRole', 'lambda:CreateFunction']))
    .user('alice', { attached: ['deploy'] })
    .role('builder', { trust: trustService('codebuild.amazonaws.com'), attached: ['AdministratorAccess'] })
    .write(join(tmp, 'template'));
  const loaded = await loadSnapshot([template]);
  expect(loaded.errors).toEqual([]);
  snapshot = loaded.snapshot;
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let case_ = 0;
/** A fresh copy of the snapshot and a new index folder. */
function fresh(): { snap: string; dir: string } {
  case_++;
  const snap = join(tmp, `snap-${case_}`);
  cpSync(template, snap, { recursive: true });
  return { snap, dir: join(tmp, `index-${case_}`) };
}

/** The snapshot's one authorization-details export. */
function authorizationDetails(snap: string): string {
  const found = readdirSync(snap, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('iam-get-account-authorization-details.json'),
  );
  expect(found).toHaveLength(1);
  return join(snap, found[0] as string);
}

/** Builds and writes the index of `snap` as its files are now. */
async function indexNow(snap: string, dir: string): Promise<{ key: string; file: string }> {
  const key = await indexKey([snap]);
  if (key === undefined) throw new Error(`no key for ${snap}`);
  built = buildQueryIndex(snapshot, key).bytes;
  return { key, file: await writeQueryIndex(dir, key, built) };
}

describe('findQueryIndex', () => {
  let snap: string;
  let dir: string;
  beforeEach(() => {
    ({ snap, dir } = fresh());
  });

  it('finds the index written for the snapshot as it is', async () => {
    const { key, file } = await indexNow(snap, dir);
    expect(file).toBe(indexFile(dir, key));
    const found = await findQueryIndex([snap], dir);
    expect(found.found).toBe(true);
    if (!found.found) return;
    expect(found.file).toBe(file);
    expect(found.index.header.key).toBe(key);
    expect(found.index.principalCount).toBeGreaterThan(0);
  });

  it('gives the same key for the same files, and another when a file changes', async () => {
    const before = await indexKey([snap]);
    expect(await indexKey([snap])).toBe(before);
    appendFileSync(authorizationDetails(snap), '\n');
    expect(await indexKey([snap])).not.toBe(before);
  });

  const changes: [string, (file: string) => void][] = [
    [
      'its content and modification time change',
      (file) => {
        appendFileSync(file, '\n');
        const later = new Date(Date.now() + 60_000);
        utimesSync(file, later, later);
      },
    ],
    [
      'only its modification time changes',
      (file) => {
        const later = new Date(Date.now() + 120_000);
        utimesSync(file, later, later);
      },
    ],
  ];

  it.each(changes)(
    'finds no index, without a problem, when one snapshot file is touched: %s',
    async (_, change) => {
      const { file } = await indexNow(snap, dir);
      change(authorizationDetails(snap));
      const found = await findQueryIndex([snap], dir);
      expect(found).toEqual({ found: false, file: expect.any(String) });
      expect(found.found === false && found.file).not.toBe(file);
      // The old index is still there: only the key moved on.
      expect(existsSync(file)).toBe(true);
    },
  );

  it('finds no index, without a problem, when a file is added to the snapshot', async () => {
    await indexNow(snap, dir);
    writeFileSync(join(snap, 'account-data', 'notes.txt'), 'hello');
    const found = await findQueryIndex([snap], dir);
    expect(found.found).toBe(false);
    expect(found.found === false && found.problem).toBeFalsy();
  });

  it('finds nothing in an index folder that does not exist', async () => {
    const found = await findQueryIndex([snap], join(dir, 'nowhere'));
    expect(found.found).toBe(false);
    expect(found.found === false && found.problem).toBeFalsy();
  });

  it('finds nothing, and does not throw, for a snapshot path that does not exist', async () => {
    const found = await findQueryIndex([join(tmp, 'no-such-snapshot')], dir);
    expect(found.found).toBe(false);
  });

  const damaged: [string, (bytes: Buffer) => Uint8Array | string][] = [
    ['text that is not an index', () => 'garbage'],
    ['an empty file', () => ''],
    ['the index cut in half', (bytes) => bytes.subarray(0, bytes.length >> 1)],
  ];

  it.each(damaged)('reports a problem, not an error, for %s at the expected path', async (_, content) => {
    const { file } = await indexNow(snap, dir);
    writeFileSync(file, content(built));
    const found = await findQueryIndex([snap], dir);
    expect(found.found).toBe(false);
    if (found.found) return;
    expect(found.file).toBe(file);
    expect(found.problem).toEqual(expect.any(String));
    expect(found.problem?.length).toBeGreaterThan(0);
  });

  it('reports a problem for a whole index of other files put at this key', async () => {
    const key = await indexKey([snap]);
    if (key === undefined) throw new Error('no key');
    await writeQueryIndex(dir, key, buildQueryIndex(snapshot, 'some-other-key').bytes);
    const found = await findQueryIndex([snap], dir);
    expect(found.found).toBe(false);
    expect(found.found === false && found.problem).toMatch(/other files/);
  });
});

describe('writeQueryIndex', () => {
  it('keeps the newest few indexes in a folder, always the one just written', async () => {
    const { dir } = fresh();
    const bytes = buildQueryIndex(snapshot, 'k').bytes;
    const written: string[] = [];
    for (let i = 0; i < 7; i++) written.push(await writeQueryIndex(dir, `key${i}`, bytes));
    const left = readdirSync(dir).filter((f) => f.endsWith('.lpqi'));
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(written.length);
    expect(existsSync(written.at(-1) as string)).toBe(true);
    // Nothing half-written left behind.
    expect(readdirSync(dir).filter((f) => !f.endsWith('.lpqi'))).toEqual([]);
  });

  // The index holds the snapshot's policies, tags and credential-report rows: owner only.
  it.skipIf(process.platform === 'win32')(
    'writes the index readable by its owner only, in a folder only its owner can list',
    async () => {
      const { snap, dir } = fresh();
      const { file } = await indexNow(snap, dir);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    },
  );

  it('creates the folder when it does not exist', async () => {
    const dir = join(tmp, 'deep', 'er', 'index');
    const file = await writeQueryIndex(dir, 'abc', Buffer.from('x'));
    expect(file).toBe(indexFile(dir, 'abc'));
    expect(existsSync(file)).toBe(true);
  });
});

describe('defaultIndexDir', () => {
  const cases: [string, NodeJS.ProcessEnv, string][] = [
    [
      'LEASTPRIV_INDEX_DIR first',
      { LEASTPRIV_INDEX_DIR: '/srv/lp-index', XDG_CACHE_HOME: '/xdg' },
      '/srv/lp-index',
    ],
    ['LEASTPRIV_INDEX_DIR, resolved when relative', { LEASTPRIV_INDEX_DIR: 'rel/idx' }, resolve('rel/idx')],
    ['XDG_CACHE_HOME next', { XDG_CACHE_HOME: '/xdg' }, join('/xdg', 'leastpriv', 'index')],
    [
      'XDG_CACHE_HOME when LEASTPRIV_INDEX_DIR is empty',
      { LEASTPRIV_INDEX_DIR: '', XDG_CACHE_HOME: '/xdg' },
      join('/xdg', 'leastpriv', 'index'),
    ],
    ['~/.cache last', {}, join(homedir(), '.cache', 'leastpriv', 'index')],
    [
      '~/.cache when XDG_CACHE_HOME is empty',
      { XDG_CACHE_HOME: '' },
      join(homedir(), '.cache', 'leastpriv', 'index'),
    ],
  ];

  it.each(cases)('honours %s', (_, env, expected) => {
    expect(defaultIndexDir(env)).toBe(expected);
  });
});
