import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS, type DecompressLimits, type PreparedFile, prepareFile } from './prepare.js';

/**
 * Prepares files on worker threads (reading, hashing, gunzip and scanning are the CPU-heavy part of
 * ingest), or in-process with `threads: 0`. Results come back in submission order.
 */
export class FilePreparer {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (r: PreparedFile) => void>();
  private readonly failures = new Map<number, (e: Error) => void>();
  private next = 0;
  private closed = false;

  constructor(
    readonly threads: number,
    private readonly limits: DecompressLimits = DEFAULT_LIMITS,
  ) {
    for (let k = 0; k < threads; k++) this.workers.push(this.spawn());
  }

  private spawn(): Worker {
    // Under tsx/vitest this module is TypeScript: start the worker through tsx's loader.
    const here = import.meta.url;
    const typescript = here.endsWith('.ts');
    const url = new URL(typescript ? './prepare-worker.ts' : './prepare-worker.js', here);
    const worker = typescript
      ? new Worker(
          `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(here)}))`,
          { eval: true, workerData: { limits: this.limits } },
        )
      : new Worker(url, { workerData: { limits: this.limits } });
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

  prepare(path: string): Promise<PreparedFile> {
    if (this.closed) return Promise.reject(new Error('FilePreparer is closed'));
    if (this.workers.length === 0) return prepareFile(path, this.limits);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise<PreparedFile>((resolve, reject) => {
      this.pending.set(id, resolve);
      this.failures.set(id, reject);
      worker.postMessage({ id, path });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
