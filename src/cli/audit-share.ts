/**
 * The part of an audit that runs on a second thread: it loads the same snapshot files, runs the
 * checks given to it and, for the JSON and HTML reports, computes the third-party register, then
 * hands back plain data (findings, errors, register rows, timings).
 *
 * Why a second copy of the snapshot rather than sharing the main thread's: a loaded snapshot is a
 * graph of objects, and copying it to a worker costs about as much as loading it again, while
 * loading in parallel costs no wall time. Which checks go where is decided by SHARE_CHECKS: the
 * escalation graph is the largest analysis that no other check needs, and the register is needed
 * only by the report.
 */
import { ALL_CHECKS } from '../checks/registry.js';
import { type RunResult, runChecks } from '../checks/run.js';
import { loadSnapshot } from '../collect/index.js';
import type { AuditConfig } from '../model/config.js';
import type { ThirdPartyAccess } from '../report/index.js';
import { startSiblingWorker } from '../runtime/worker.js';
import { thirdPartyRows } from './report-context.js';

/** Checks whose analyses no other check shares: the second thread's share of the work. */
export const SHARE_CHECKS: ReadonlySet<string> = new Set([
  'privilege-escalation-self',
  'privilege-escalation-to-admin',
]);

export interface AuditShareRequest {
  readonly paths: readonly string[];
  readonly config: AuditConfig;
  /** ISO 8601: "now" of the audit. */
  readonly now: string;
  /** In the plan's order. */
  readonly checkIds: readonly string[];
  /** Compute the third-party register rows (JSON and HTML reports). */
  readonly thirdParty: boolean;
}

export interface AuditShareResult {
  readonly run: RunResult;
  readonly thirdParty?: readonly ThirdPartyAccess[];
  /** Milliseconds per phase, for `--timings`. */
  readonly timings: readonly (readonly [string, number])[];
}

/** Does the share's work in this thread: what the worker runs, and the fallback when it fails. */
export async function runAuditShare(request: AuditShareRequest): Promise<AuditShareResult> {
  const timings: [string, number][] = [];
  let started = performance.now();
  // Load errors are the main thread's to report: it reads the same files.
  const { snapshot } = await loadSnapshot(request.paths);
  timings.push(['load', performance.now() - started]);
  const ids = new Set(request.checkIds);
  const checks = ALL_CHECKS.filter((c) => ids.has(c.meta.id));
  const run = runChecks(checks, { snapshot, config: request.config, now: new Date(request.now) }, (p) =>
    timings.push([`check ${p.id}`, p.ms]),
  );
  if (!request.thirdParty) return { run, timings };
  started = performance.now();
  const thirdParty = thirdPartyRows(snapshot, request.config);
  timings.push(['third-party register', performance.now() - started]);
  return { run, thirdParty, timings };
}

type WorkerReply = { ok: true; result: AuditShareResult } | { ok: false; message: string };

/**
 * Starts the share on a worker thread. The promise rejects when the worker fails (it then never
 * leaves a half result): the caller runs the share in its own thread instead.
 */
export function startAuditShare(request: AuditShareRequest): {
  readonly result: Promise<AuditShareResult>;
  stop(): Promise<void>;
} {
  const worker = startSiblingWorker('audit-worker', import.meta.url, request);
  const result = new Promise<AuditShareResult>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply.result);
      else reject(new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the audit worker exited with code ${code}`)));
  });
  // Nobody may be waiting yet: a failure is handled where the result is awaited.
  result.catch(() => {});
  return {
    result,
    stop: async () => {
      await worker.terminate();
    },
  };
}
