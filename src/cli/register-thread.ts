/**
 * The audit's second thread: the third-party register's per-role summaries (actionsReachable, the
 * costly part of the register: hundreds of roles, each a few hundred engine decisions) computed on
 * a worker while the main thread runs the checks.
 *
 * The worker gets a copy of only the roles concerned (snapshotForRoles: their policies, their
 * accounts' guardrails) by structured clone, a few milliseconds; loading the whole organization a
 * second time would cost more CPU than the register itself (measured: a worker with its own load
 * made a 2-core audit slower). The answers are seeded back (seedActionsReachable), so the register
 * built on the main thread is the same, byte for byte.
 */
import { zoneOptionsFromConfig } from '../analysis/exposure/index.js';
import { snapshotForRoles } from '../analysis/snapshot-subset.js';
import { type ActionsReachable, registerRoles, seedActionsReachable } from '../analysis/third-party.js';
import type { OrgSnapshot } from '../model/account.js';
import type { AuditConfig } from '../model/config.js';
import { startSiblingWorker } from '../runtime/worker.js';

/** Fewer roles than this and the worker's start-up (~0.2 s of CPU) outweighs the work it takes. */
export const REGISTER_THREAD_MIN_ROLES = 32;

export interface RegisterWorkerData {
  readonly snapshot: OrgSnapshot;
  /** Account id and ARN of each role, in the order of the reply. */
  readonly roles: readonly (readonly [string, string])[];
}

export type RegisterWorkerReply =
  | { readonly ok: true; readonly reachable: readonly (ActionsReachable | null)[]; readonly ms: number }
  | { readonly ok: false; readonly message: string };

export interface RegisterThread {
  /** Roles summarised on the worker. */
  readonly roles: number;
  /** Resolves once the summaries are seeded (worker milliseconds); rejects when the worker fails. */
  readonly done: Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the register's summaries on a worker, or returns undefined when there are fewer than
 * `minRoles` roles to summarise. Pass the same configuration the report uses (its zone of trust
 * decides which roles are in the register).
 */
export function startRegisterThread(
  snapshot: OrgSnapshot,
  config: AuditConfig,
  minRoles = REGISTER_THREAD_MIN_ROLES,
): RegisterThread | undefined {
  const roles = registerRoles(snapshot, zoneOptionsFromConfig(config));
  if (roles.length === 0 || roles.length < minRoles) return undefined;
  const data: RegisterWorkerData = {
    snapshot: snapshotForRoles(snapshot, roles),
    roles: roles.map((r) => [r.accountId, r.arn] as const),
  };
  const worker = startSiblingWorker('register-worker', import.meta.url, data);
  const done = new Promise<number>((resolve, reject) => {
    worker.once('message', (reply: RegisterWorkerReply) => {
      if (!reply.ok) {
        reject(new Error(reply.message));
        return;
      }
      roles.forEach((role, i) => {
        const r = reply.reachable[i];
        if (r) seedActionsReachable(role, r);
      });
      resolve(reply.ms);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the register worker exited with code ${code}`)));
  });
  // Awaited by the caller later; a failure then falls back to the main thread.
  done.catch(() => {});
  return {
    roles: roles.length,
    done,
    stop: async () => {
      await worker.terminate();
    },
  };
}
