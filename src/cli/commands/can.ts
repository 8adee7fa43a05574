import { can } from '../../analysis/access/query.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { renderExplanationText } from '../../policy/evaluate/render-text.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import {
  checkFormat,
  loadForQuery,
  notOnePrincipal,
  parseContext,
  resolvePrincipal,
} from './access-shared.js';

export interface CanOptions {
  readonly snapshot?: string;
  /** `--no-index`: load the snapshot even when `leastpriv index` has prepared it. */
  readonly index?: boolean;
  readonly indexDir?: string;
  /** `--timings`: how long loading (or reading the index) and deciding took, on stderr. */
  readonly timings?: boolean;
  readonly context?: readonly string[];
  readonly format?: string;
}

/**
 * `leastpriv can PRINCIPAL ACTION [RESOURCE] --snapshot DIR [--context k=v…] [--format text|json]`:
 * the engine's decision with its explanation, using every policy that applies in the snapshot
 * (identity and group policies, boundary, SCPs/RCPs, the resource's policy or the role's trust).
 * Exit 0 whatever the decision.
 */
export async function canCommand(args: readonly string[], options: CanOptions, io: CliIO): Promise<number> {
  const format = checkFormat(options.format, ['text', 'json']);
  const [principalText, action, resource] = args;
  if (!principalText || !action)
    throw new UsageError('usage: leastpriv can PRINCIPAL ACTION [RESOURCE] --snapshot DIR');
  const context = parseContext(options.context);
  const started = performance.now();
  const indexed = await fromIndex(principalText, action, resource, options, io);
  const { snapshot, identity } =
    indexed ??
    (await (async () => {
      const loaded = await loadForQuery('can', options.snapshot, io);
      return { snapshot: loaded, identity: resolvePrincipal(loaded, principalText) };
    })());
  const loaded = performance.now();
  const result = can(snapshot, { identity, action, resource: resource ?? '*', context });
  if (options.timings)
    io.stderr(
      `leastpriv can: ${Math.round(loaded - started)} ms to ${indexed ? 'read the query index' : 'load the snapshot'}, ${Math.round(performance.now() - loaded)} ms to decide\n`,
    );
  io.stderr(
    `context: ${Object.entries(result.request.context ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(' ')}\n`,
  );
  for (const n of result.notes) io.stderr(`note: ${n}\n`);
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ decision: result.decision, explanation: result.explanation }, null, 2)}\n`);
  } else {
    io.stdout(
      `${identity.arn} → ${action} on ${result.request.resource}\n${renderExplanationText({ decision: result.decision, explanation: result.explanation })}`,
    );
  }
  return EXIT_OK;
}

const ASSUME = /^sts:assumerole(withsaml|withwebidentity)?$/i;

/**
 * The principal and a snapshot holding just it (whole, with its groups' and managed policies, every
 * account's guardrails and resources) and, for sts:AssumeRole*, the role asked about: everything
 * `can` reads. From the query index when `leastpriv index` prepared the snapshot as it is now;
 * undefined otherwise (or with `--no-index`), and the caller loads the snapshot.
 */
async function fromIndex(
  principalText: string,
  action: string,
  resource: string | undefined,
  options: CanOptions,
  io: CliIO,
): Promise<{ snapshot: OrgSnapshot; identity: Identity } | undefined> {
  if (options.index === false || !options.snapshot) return undefined;
  const { defaultIndexDir, findQueryIndex } = await import('../../query-index/store.js');
  const lookup = await findQueryIndex([options.snapshot], options.indexDir ?? defaultIndexDir());
  if (!lookup.found) {
    if (lookup.problem)
      io.stderr(
        `note: the query index ${lookup.file} is not used (${lookup.problem}); loading the snapshot\n`,
      );
    return undefined;
  }
  const found = lookup.index.findPrincipal(principalText);
  if (!found.ok) throw notOnePrincipal(principalText, found.candidates);
  try {
    const chosen = [found.index];
    const role =
      resource !== undefined && ASSUME.test(action) ? lookup.index.principalIndex(resource) : undefined;
    if (role !== undefined) chosen.push(role);
    const snapshot = lookup.index.partialSnapshot(chosen);
    return {
      snapshot,
      identity: resolvePrincipal(snapshot, lookup.index.header.principals.arn[found.index] as string),
    };
  } catch (error) {
    io.stderr(
      `note: the query index ${lookup.file} could not be read (${error instanceof Error ? error.message : String(error)}); loading the snapshot\n`,
    );
    return undefined;
  }
}
