// The register thread's worker (register-thread.ts): summarises each role over the copy it is given.
import { parentPort, workerData } from 'node:worker_threads';
import { actionsReachable } from '../analysis/third-party.js';
import type { RegisterWorkerData, RegisterWorkerReply } from './register-thread.js';

const { snapshot, roles } = workerData as RegisterWorkerData;
let reply: RegisterWorkerReply;
try {
  const started = performance.now();
  const reachable = roles.map(([accountId, arn]) => {
    const role = snapshot.accounts.get(accountId)?.roles.get(arn);
    return role ? actionsReachable(snapshot, role) : null;
  });
  reply = { ok: true, reachable, ms: performance.now() - started };
} catch (err) {
  reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
}
parentPort?.postMessage(reply);
