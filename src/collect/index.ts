import type { LoadSummary, OrgSnapshot } from '../model/account.js';
import type { InputError } from '../model/errors.js';
import { loadIamExtras } from './files/iam-extras.js';
import { type LoadOptions, type LoadProgress, SnapshotLoader } from './files/loader.js';

export type { LoadOptions, LoadProgress };

export interface LoadResult {
  readonly snapshot: OrgSnapshot;
  /** Same as `snapshot.load`. */
  readonly summary: LoadSummary;
  /** One per file that could not be read (the rest loaded); same as `summary.errors`. */
  readonly errors: readonly InputError[];
}

/**
 * Loads a snapshot from folders and files: a leastpriv snapshot (with manifest.json), a CloudMapper
 * `account-data` collection or one account of it, or single exports (authorization details,
 * credential report, password policy). Never throws for bad input: each bad file is one InputError
 * in `errors`, and every missing artifact is a gap in the snapshot.
 */
export async function loadSnapshot(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const snapshot = await new SnapshotLoader(options).load(paths);
  // Virtual MFA devices and server certificates: read from files the core loader passes over.
  await loadIamExtras(snapshot);
  return { snapshot, summary: snapshot.load, errors: snapshot.load.errors };
}
