import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../index.js';
import { iamExtrasEntries } from './iam-extras.js';
import { loadWithCache } from './snapshot-cache.js';
import { ACCOUNT, authzExport, makeTree } from './test-fixtures.js';

const ACME = new URL('../../../examples/acme', import.meta.url).pathname;
const cold = (paths: readonly string[]) => loadSnapshot(paths);
const made: string[] = [];
async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leastpriv-cache-test-'));
  made.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

/** The snapshot as loaded, without the one figure that differs per run. */
function comparable(s: Awaited<ReturnType<typeof loadSnapshot>>['snapshot']) {
  return { ...s, load: { ...s.load, millis: 0 } };
}

describe('loadWithCache', () => {
  it('reads back the same model, IAM extras included, for unchanged files', async () => {
    const dir = await cacheDir();
    const first = await loadWithCache([ACME], { dir }, cold);
    const second = await loadWithCache([ACME], { dir }, cold);
    expect([first.cache, second.cache]).toEqual(['stored', 'hit']);
    expect(comparable(second.snapshot)).toEqual(comparable(first.snapshot));
    expect(iamExtrasEntries(second.snapshot)).toEqual(iamExtrasEntries(first.snapshot));
    expect(iamExtrasEntries(second.snapshot).length).toBeGreaterThan(0);
    // Shared objects stay shared: an AWS managed policy in several accounts is one object.
    const byArn = new Map<string, Set<unknown>>();
    for (const a of second.snapshot.accounts.values())
      for (const p of a.managedPolicies.values())
        if (p.awsManaged) byArn.set(p.arn, (byArn.get(p.arn) ?? new Set()).add(p.document));
    const occurrences = [...second.snapshot.accounts.values()].flatMap((a) =>
      [...a.managedPolicies.values()].filter((p) => p.awsManaged),
    ).length;
    expect(occurrences).toBeGreaterThan(byArn.size);
    for (const docs of byArn.values()) expect(docs.size).toBe(1);
  });

  it('loads again when a file changes, and serves the new content', async () => {
    const dir = await cacheDir();
    const root = await makeTree({
      [`account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`]: authzExport(),
    });
    made.push(root);
    const file = join(root, `account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`);
    const before = await loadWithCache([root], { dir }, cold);
    const changed = authzExport();
    (changed.UserDetailList as unknown[]).splice(1);
    await writeFile(file, JSON.stringify(changed));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const after = await loadWithCache([root], { dir }, cold);
    expect(after.cache).toBe('stored');
    const users = (r: typeof before) => r.snapshot.accounts.get(ACCOUNT)?.users.size;
    expect(users(after)).toBe(1);
    expect(users(before)).toBeGreaterThan(1);
  });

  it('does not store a load with errors, and still returns them', async () => {
    const dir = await cacheDir();
    const root = await makeTree({
      [`account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`]: '{ not json',
    });
    made.push(root);
    const result = await loadWithCache([root], { dir }, cold);
    expect(result.cache).toBe('not-stored');
    expect(result.errors.length).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('treats a damaged entry as absent', async () => {
    const dir = await cacheDir();
    await loadWithCache([ACME], { dir }, cold);
    const [entry] = await readdir(dir);
    await writeFile(join(dir, entry as string), 'not a cache entry');
    const again = await loadWithCache([ACME], { dir }, cold);
    expect(again.cache).toBe('stored');
    expect(again.snapshot.accounts.size).toBeGreaterThan(0);
  });

  it('keeps at most maxEntries entries', async () => {
    const dir = await cacheDir();
    const roots = await Promise.all(
      [0, 1, 2].map((i) =>
        makeTree({
          [`account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`]: {
            ...authzExport(),
            i,
          },
        }),
      ),
    );
    made.push(...roots);
    for (const r of roots) await loadWithCache([r], { dir, maxEntries: 2 }, cold);
    expect((await readdir(dir)).filter((n) => n.endsWith('.v8')).length).toBe(2);
  });
});
