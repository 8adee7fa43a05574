import type { Worker } from 'node:worker_threads';
import { startSiblingWorker } from '../runtime/worker.js';
import { DEFAULT_LIMITS, type DecompressLimits, type PreparedFile, prepareFile } from './prepare.js';

/**
 * Prepares files on worker threads (reading, hashing, gunzip, scanning and JSON parsing are the
 * CPU-heavy part of ingest), or in-process with `threads: 0`. Each file's events are written to a
 * staging file in `stageDir`.
 */
export class FilePreparer {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (r: PreparedFile) => void>();
  private readonly failures = new Map<number, (e: Error) => void>();
  private next = 0;
  private inProcess: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly threads: number,
    private readonly stageDir: string,
    private readonly limits: DecompressLimits = DEFAULT_LIMITS,
    /** Stage raw events as templates (prepareFile). */
    private readonly cut = true,
  ) {
    for (let k = 0; k < threads; k++) this.workers.push(this.spawn());
  }

  private spawn(): Worker {
    // Under tsx/vitest this module is TypeScript: the helper starts the worker through tsx's loader.
    const worker = startSiblingWorker('prepare-worker', import.meta.url, {
      limits: this.limits,
      stageDir: this.stageDir,
      cut: this.cut,
    });
    worker.on('message', (m: { id: number; result: PreparedFile }) => {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      this.failures.delete(m.id);
      resolve?.(m.result);
    });
    worker.on('error', (err) => {
      for (const reject of this.failures.values()) reject(err);
      this.pending.clear();
      this.failures.clear();
    });
    return worker;
  }

  /** `fileId` names the staging file and is written into each of its records. */
  prepare(path: string, fileId: number): Promise<PreparedFile> {
    if (this.closed) return Promise.reject(new Error('FilePreparer is closed'));
    if (this.workers.length === 0) {
      // In-process, one file at a time too (see prepare-worker.ts).
      const result = this.inProcess.then(() =>
        prepareFile(path, fileId, this.stageDir, this.limits, this.cut),
      );
      this.inProcess = result.then(() => undefined);
      return result;
    }
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise<PreparedFile>((resolve, reject) => {
      this.pending.set(id, resolve);
      this.failures.set(id, reject);
      worker.postMessage({ id, path, fileId });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
