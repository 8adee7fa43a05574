import { stat } from 'node:fs/promises';
import { loadSnapshot } from '../../collect/index.js';
import { formatInputError } from '../../model/errors.js';
import { buildQueryIndex } from '../../query-index/build.js';
import { defaultIndexDir, indexKey, writeQueryIndex } from '../../query-index/store.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface IndexOptions {
  readonly indexDir?: string;
  readonly format?: string;
  readonly quiet?: boolean;
}

/**
 * `leastpriv index SNAPSHOT [--index-dir DIR]`: prepares a snapshot for repeated questions, as
 * PMapper's `graph create` does. The index holds every user, role and managed policy as its own
 * entry and the whole privilege-escalation graph, so `who-can`, `can`, `access` and `paths` read
 * only what one question needs.
 * It is found again by a key over the snapshot's files and leastpriv's code: a changed snapshot or
 * a new leastpriv uses no stale index. A snapshot whose files do not all load is not indexed (the
 * errors would be hidden from every later query). Exit 0, 2 on usage or input error.
 */
export async function indexCommand(snapshotPath: string, options: IndexOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, not "${format}"`);
  try {
    await stat(snapshotPath);
  } catch {
    throw new UsageError(`no snapshot at ${snapshotPath}`);
  }
  const started = performance.now();
  const progress = (text: string) => {
    if (!options.quiet) io.stderr(`leastpriv index: ${text}\n`);
  };
  // The key first: a file that changes while it loads gives the index a key no later query matches.
  const key = await indexKey([snapshotPath]);
  if (key === undefined) throw new UsageError(`cannot list the files of ${snapshotPath}`);
  progress(`loading ${snapshotPath}`);
  const { snapshot, errors } = await loadSnapshot([snapshotPath]);
  for (const e of errors) io.stderr(`leastpriv index: ${formatInputError(e)}\n`);
  if (snapshot.accounts.size === 0) throw new UsageError(`no account data found in ${snapshotPath}`);
  if (errors.length > 0) {
    io.stderr(
      `leastpriv index: not indexed: ${errors.length} file${errors.length === 1 ? '' : 's'} could not be read; fix ${errors.length === 1 ? 'it' : 'them'}, or query the snapshot without an index\n`,
    );
    return EXIT_USAGE;
  }
  progress('building the privilege-escalation graph and the index');
  const built = buildQueryIndex(snapshot, key);
  const dir = options.indexDir ?? defaultIndexDir();
  let file: string;
  try {
    file = await writeQueryIndex(dir, key, built.bytes);
  } catch (error) {
    throw new UsageError(
      `cannot write the index to ${dir}: ${error instanceof Error ? error.message : String(error)} (choose another folder with --index-dir or LEASTPRIV_INDEX_DIR)`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    snapshot: snapshotPath,
    index: file,
    bytes: built.bytes.length,
    principals: built.principals,
    escalationEdges: built.edges,
    seconds: Math.round(seconds * 100) / 100,
  };
  io.stdout(
    format === 'json'
      ? `${JSON.stringify(summary, null, 2)}\n`
      : `indexed ${snapshotPath}: ${built.principals} users and roles, ${built.edges} escalation edges, ${(built.bytes.length / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s\n  ${file}\nwho-can, can, access and paths --snapshot ${snapshotPath} now answer from it while the snapshot's files are unchanged.\n`,
  );
  return EXIT_OK;
}
