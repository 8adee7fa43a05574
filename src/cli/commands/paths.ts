import { escalationGraph, principalsReaching, reachableFrom } from '../../analysis/escalation/index.js';
import { canReach, type EscalationPath } from '../../analysis/escalation/paths.js';
import { loadSnapshot } from '../../collect/index.js';
import type { OrgSnapshot } from '../../model/account.js';
import { formatInputError, type InputError } from '../../model/errors.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type CliIO, colorsFor } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface PathsOptions {
  readonly snapshot?: readonly string[] | string;
  readonly to?: string;
  readonly format?: string;
  /** `--no-index`: load the snapshot even when `leastpriv index` has prepared it. */
  readonly index?: boolean;
  readonly indexDir?: string;
}

const FORMATS = ['text', 'json'] as const;

/**
 * `leastpriv paths [PRINCIPAL] --snapshot DIR [--to admin] [--format text|json]`: the escalation
 * paths from a principal (its shortest path to admin and every principal it can become), or with
 * `--to admin` every principal that can reach administrator access. Exit 0, 2 on usage or input error.
 */
export async function pathsCommand(
  principal: string | undefined,
  options: PathsOptions,
  io: CliIO,
): Promise<number> {
  const format = options.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be text or json, not "${format}"`);
  if (options.to !== undefined && options.to !== 'admin')
    throw new UsageError(`--to accepts only "admin", not "${options.to}"`);
  const paths =
    options.snapshot === undefined
      ? []
      : typeof options.snapshot === 'string'
        ? [options.snapshot]
        : options.snapshot;
  if (paths.length === 0) throw new UsageError('name a snapshot with --snapshot DIR');
  if (options.to === undefined && !principal)
    throw new UsageError('name a PRINCIPAL (ARN or name), or use --to admin');

  const { snapshot, errors, from } = await snapshotFor(paths, options, io);
  for (const e of errors) io.stderr(`leastpriv paths: ${formatInputError(e)}\n`);
  if (snapshot.accounts.size === 0) {
    io.stderr('leastpriv paths: no account data found in the given paths\n');
    return EXIT_USAGE;
  }
  const started = performance.now();
  const graph = escalationGraph(snapshot);
  io.stderr(
    `escalation graph: ${graph.nodes.size} principals, ${countEdges(snapshot)} edges ${from === 'index' ? 'read from the query index' : `in ${Math.round(performance.now() - started)} ms`}\n`,
  );

  if (options.to === 'admin') {
    const reaching = principalsReaching(snapshot, 'admin');
    if (format === 'json')
      io.stdout(
        `${JSON.stringify({ schemaVersion: 1, to: 'admin', principals: reaching.map(json) }, null, 2)}\n`,
      );
    else io.stdout(renderToAdmin(reaching, colorsFor(io)));
    return errors.length > 0 ? EXIT_USAGE : EXIT_OK;
  }

  const arn = resolvePrincipal(snapshot, principal ?? '');
  if (!arn) {
    io.stderr(`leastpriv paths: no user, role or group "${principal}" in the snapshot\n`);
    return EXIT_USAGE;
  }
  const node = graph.nodes.get(arn);
  const toAdmin = canReach(snapshot, arn);
  const reachable = reachableFrom(snapshot, arn);
  if (format === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          principal: arn,
          admin: node?.admin ?? false,
          incomplete: node?.incomplete ?? false,
          pathToAdmin: toAdmin ? json(toAdmin) : null,
          reachable: reachable.map(json),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const c = colorsFor(io);
    const lines: string[] = [];
    if (node?.admin)
      lines.push(
        `${c.bold(arn)} is already an administrator${node.adminConditions.length > 0 ? ` (${node.adminConditions.join('; ')})` : ''}.`,
      );
    else if (toAdmin)
      lines.push(
        `${c.bold(arn)} can reach administrator access in ${toAdmin.hops.length} step(s)${toAdmin.conditional ? ' (conditional)' : ''}:`,
        ...renderHops(toAdmin),
      );
    else lines.push(`${c.bold(arn)} has no escalation path to administrator access in this snapshot.`);
    if (node?.incomplete)
      lines.push(
        c.yellow('Some of its policy documents are missing from the snapshot: paths may be missing.'),
      );
    const others = reachable.filter((p) => p.reaches !== 'admin');
    if (others.length > 0) {
      lines.push('', `It can also become or act as ${others.length} principal(s):`);
      for (const p of others)
        lines.push(
          `  ${p.reaches}  (${p.hops.map((h) => h.technique).join(' → ')}${p.conditional ? ', conditional' : ''})`,
        );
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  return errors.length > 0 ? EXIT_USAGE : EXIT_OK;
}

/**
 * The snapshot, or (one snapshot path that `leastpriv index` prepared, no `--no-index`) a snapshot
 * whose escalation graph is read from the index instead of built: every answer of this command
 * comes from the graph, and the stored graph is the one `escalationGraph` built.
 */
async function snapshotFor(
  paths: readonly string[],
  options: PathsOptions,
  io: CliIO,
): Promise<{ snapshot: OrgSnapshot; errors: readonly InputError[]; from: 'index' | 'snapshot' }> {
  if (options.index !== false && paths.length === 1) {
    const store = await import('../../query-index/store.js');
    const lookup = await store.findQueryIndex(paths, options.indexDir ?? store.defaultIndexDir());
    if (lookup.found) {
      try {
        return { snapshot: lookup.index.graphSnapshot(), errors: [], from: 'index' };
      } catch (error) {
        io.stderr(store.indexUnreadableNote(lookup.file, error));
      }
    } else io.stderr(store.indexNotUsedNote(lookup) ?? '');
  }
  const { snapshot, errors } = await loadSnapshot(paths);
  return { snapshot, errors, from: 'snapshot' };
}

function countEdges(snapshot: OrgSnapshot): number {
  let n = 0;
  for (const edges of escalationGraph(snapshot).out.values()) n += edges.length;
  return n;
}

function json(p: EscalationPath): Record<string, unknown> {
  return {
    principal: p.principal,
    reaches: p.reaches,
    conditional: p.conditional,
    conditions: p.conditions,
    hops: p.hops,
  };
}

function renderHops(p: EscalationPath): string[] {
  return p.hops.map(
    (h, i) => `  ${i + 1}. [${h.technique}] ${h.explanation}\n     actions: ${h.actions.join(', ')}`,
  );
}

function renderToAdmin(paths: readonly EscalationPath[], c: ReturnType<typeof colorsFor>): string {
  if (paths.length === 0) return 'No principal can escalate to administrator access in this snapshot.\n';
  const lines = [`${paths.length} principal(s) can reach administrator access:`];
  for (const p of paths) {
    lines.push(
      '',
      `${c.bold(p.principal)}  ${p.hops.length} step(s)${p.conditional ? ', conditional' : ''}`,
      ...renderHops(p),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** An ARN, or a user/role/group name when it is unique in the snapshot. */
export function resolvePrincipal(snapshot: OrgSnapshot, given: string): string | undefined {
  const graph = escalationGraph(snapshot);
  if (graph.nodes.has(given)) return given;
  const matches = [...graph.nodes.values()].filter((n) => n.name === given);
  return matches.length === 1 ? matches[0]!.arn : undefined;
}
