import { join } from 'node:path';
import { generateOrg } from '../../bench/generate-org.js';
import { loadSnapshot } from '../../src/collect/index.js';
import type { OrgSnapshot } from '../../src/model/account.js';
import { repoRoot } from './cli.js';

export type SnapshotName = 'acme' | 'generated org';

/**
 * The example organization and a small generated one (40 users, 120 roles, 80 policies; written
 * under `tmp`), loaded: the two snapshots the query index's unit tests run on. Throws when either
 * does not load cleanly (an index is only built from clean loads).
 */
export async function acmeAndGenerated(
  tmp: string,
  seed: number,
): Promise<Record<SnapshotName, OrgSnapshot>> {
  const org = join(tmp, 'org');
  generateOrg({ users: 40, roles: 120, policies: 80, out: org, seed });
  const out: Partial<Record<SnapshotName, OrgSnapshot>> = {};
  for (const [name, dir] of [
    ['acme', join(repoRoot, 'examples', 'acme')],
    ['generated org', org],
  ] as const) {
    const { snapshot, errors } = await loadSnapshot([dir]);
    if (errors.length > 0) throw new Error(`${name} does not load cleanly: ${errors[0]?.message}`);
    out[name] = snapshot;
  }
  return out as Record<SnapshotName, OrgSnapshot>;
}
