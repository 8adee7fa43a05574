// The audit's second thread (audit-share.ts): runs its share and posts the plain-data result.
import { parentPort, workerData } from 'node:worker_threads';
import { type AuditShareRequest, runAuditShare } from './audit-share.js';

try {
  parentPort?.postMessage({ ok: true, result: await runAuditShare(workerData as AuditShareRequest) });
} catch (err) {
  parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
