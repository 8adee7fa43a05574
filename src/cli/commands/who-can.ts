import type { WhoCanResult } from '../../analysis/access/query.js';
import {
  type EscalationNode,
  type EscalationPath,
  reachingHolders,
} from '../../analysis/escalation/index.js';
import { getCatalog } from '../../catalog/index.js';
import {
  defaultIndexDir,
  findQueryIndex,
  indexNotUsedNote,
  indexUnreadableNote,
} from '../../query-index/store.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import { checkFormat, loadForQuery } from './access-shared.js';
import { whoCanFromIndex } from './who-can-index.js';
import { whoCanAction } from './who-can-query.js';

export interface WhoCanOptions {
  readonly snapshot?: string;
  readonly format?: string;
  /** `--no-escalation`: direct grants only (skips building the privilege-escalation graph). */
  readonly escalation?: boolean;
  /** `--timings`: milliseconds per phase (load, direct grants, escalation, output) on stderr. */
  readonly timings?: boolean;
  /** `--no-index`: load the snapshot even when `leastpriv index` has prepared it. */
  readonly index?: boolean;
  /** `--index-dir DIR`: where `leastpriv index` keeps indexes (default: see query-index/store.ts). */
  readonly indexDir?: string;
}

/** The answer, however it was found. */
interface Computed {
  readonly result: WhoCanResult;
  readonly escalation: readonly WhoCanEscalation[] | undefined;
}

/** Loads slower than this suggest `leastpriv index` (the large synthetic organization: ~1 s). */
const INDEX_HINT_MILLIS = 800;

const SKIPPED_NOTE =
  'direct grants only (--no-escalation): principals that could reach the action through a privilege-escalation path are not listed';

/** A principal that cannot perform the action itself but can become (or act as) one that can. */
export interface WhoCanEscalation {
  readonly principal: string;
  readonly kind: 'user' | 'role';
  readonly account: string;
  readonly via: 'escalation';
  /** The principal at the end of the path, one that can perform the action directly. */
  readonly reaches: string;
  /** Some hop depends on something the snapshot cannot show (a condition, a missing document). */
  readonly conditional: boolean;
  readonly conditions: readonly string[];
  readonly hops: EscalationPath['hops'];
}

/**
 * Users and roles that reach a direct holder of the action through escalation edges (the audit's
 * graph: policy attachment, access keys for others, role assumption, PassRole to services, ...).
 * Administrators that can perform the action are direct holders themselves, so reaching admin in
 * general is not counted: an SCP that denies this action denies it to administrators too.
 */
function viaEscalation(
  direct: WhoCanResult,
  reaching: (holders: readonly string[]) => {
    readonly paths: readonly EscalationPath[];
    readonly nodeOf: (arn: string) => EscalationNode | undefined;
  },
): WhoCanEscalation[] {
  const holders = direct.principals.map((p) => p.principal);
  if (holders.length === 0) return [];
  const { paths, nodeOf } = reaching(holders);
  const out: WhoCanEscalation[] = [];
  for (const path of paths) {
    const node = nodeOf(path.principal);
    if (!node || node.kind === 'group') continue; // a group acts only through its members
    out.push({
      principal: path.principal,
      kind: node.kind,
      account: node.accountId,
      via: 'escalation',
      reaches: path.reaches,
      conditional: path.conditional,
      conditions: path.conditions,
      hops: path.hops,
    });
  }
  return out;
}

function renderText(
  r: WhoCanResult,
  escalation: readonly WhoCanEscalation[] | undefined,
  millis: number,
): string {
  const lines = [
    `who can ${r.action} on ${r.resource}: ${r.principals.length} principal${r.principals.length === 1 ? '' : 's'} directly` +
      (escalation ? `, ${escalation.length} more through privilege escalation` : ''),
  ];
  for (const p of r.principals) {
    const how = p.how
      .map((h) => `${h.policy}${h.statement !== undefined ? `#${h.sid ?? h.statement}` : ''}`)
      .join(', ');
    const kind = p.grant === 'all' ? '' : p.grant === 'scoped' ? ' [on some resources]' : ' [conditional]';
    lines.push(`  ${p.principal}${kind}  via ${how || '(resource policy)'}`);
    for (const c of p.conditions ?? []) lines.push(`      when ${c}`);
  }
  if (escalation && escalation.length > 0) {
    lines.push('', 'through privilege escalation:');
    for (const e of escalation) {
      lines.push(
        `  ${e.principal}  reaches ${e.reaches} in ${e.hops.length} step${e.hops.length === 1 ? '' : 's'}${e.conditional ? ' [conditional]' : ''}`,
      );
      for (const [i, h] of e.hops.entries()) lines.push(`      ${i + 1}. [${h.technique}] ${h.explanation}`);
    }
  }
  lines.push(
    '',
    `note: ${escalation ? 'account root users are not listed' : `${SKIPPED_NOTE}; account root users are not listed`}`,
    `checked ${r.candidates} of ${r.total} principals with the engine in ${Math.round(millis)} ms`,
  );
  return `${lines.join('\n')}\n`;
}

/** The phases in the order they ran, with the total. */
function timingTable(phases: readonly (readonly [string, number])[]): string {
  const total = phases.reduce((sum, [, ms]) => sum + ms, 0);
  const rows = phases.map(([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  return `leastpriv who-can: timings (${total.toFixed(0)} ms in all)\n${rows.join('\n')}\n`;
}

/**
 * `leastpriv who-can ACTION [RESOURCE] --snapshot DIR [--format text|json]`: every user and role
 * that can perform the action (on the resource, or on `*` and on some resources when none is
 * given), with the policy and statement that grant it.
 */
export async function whoCanCommand(
  args: readonly string[],
  options: WhoCanOptions,
  io: CliIO,
): Promise<number> {
  const format = checkFormat(options.format, ['text', 'json']);
  const [action, resource] = args;
  if (!action) throw new UsageError('usage: leastpriv who-can ACTION [RESOURCE] --snapshot DIR');
  if (!action.includes(':') || action.includes('*') || action.includes('?'))
    throw new UsageError(`ACTION must be one action such as s3:GetObject, not "${action}"`);
  if (!getCatalog().lookupAction(action))
    io.stderr(`note: ${action} is not in the action catalog; every principal is checked\n`);
  const phases: [string, number][] = [];
  let mark = performance.now();
  const phase = (name: string): void => {
    const now = performance.now();
    phases.push([name, now - mark]);
    mark = now;
  };
  const withEscalation = options.escalation !== false;
  let started = performance.now();
  let computed: Computed | undefined;
  if (options.index !== false && options.snapshot) {
    const lookup = await findQueryIndex([options.snapshot], options.indexDir ?? defaultIndexDir());
    if (lookup.found) {
      try {
        const indexed = whoCanFromIndex(lookup.index, action, resource);
        if (indexed) {
          phase('read the query index');
          started = performance.now();
          const result = indexed.direct();
          phase('direct grants');
          const escalation = withEscalation ? viaEscalation(result, indexed.escalation) : undefined;
          if (escalation) phase('privilege escalation');
          computed = { result, escalation };
        }
      } catch (error) {
        // Damaged in place (it opened, but an entry does not decode): the snapshot still answers.
        if (error instanceof UsageError) throw error;
        phase('the query index (not usable)');
        io.stderr(indexUnreadableNote(lookup.file, error));
      }
    } else io.stderr(indexNotUsedNote(lookup) ?? '');
  }
  if (!computed) {
    const loading = performance.now();
    const snapshot = await loadForQuery('who-can', options.snapshot, io);
    phase('load the snapshot');
    // Worth saying only where it pays: a snapshot that takes most of a second or more to load.
    if (options.index !== false && performance.now() - loading >= INDEX_HINT_MILLIS)
      io.stderr(
        `note: \`leastpriv index ${options.snapshot}\` prepares this snapshot once; who-can then reads only what each question needs (docs/query-index.md)\n`,
      );
    started = performance.now();
    const result = whoCanAction(snapshot, action, resource);
    phase('direct grants');
    // Only the edges into holders (and into whoever reaches them) are built, not the whole graph.
    const escalation = withEscalation
      ? viaEscalation(result, (holders) => reachingHolders(snapshot, holders))
      : undefined;
    if (escalation) phase('privilege escalation');
    computed = { result, escalation };
  }
  const { result, escalation } = computed;
  const millis = performance.now() - started;
  if (format === 'json') {
    const body = escalation
      ? { ...result, principals: [...result.principals, ...escalation], escalation: 'covered' }
      : { ...result, escalation: 'skipped', note: SKIPPED_NOTE };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
  } else io.stdout(renderText(result, escalation, millis));
  phase(`render ${format}`);
  if (options.timings) io.stderr(timingTable(phases));
  return EXIT_OK;
}
