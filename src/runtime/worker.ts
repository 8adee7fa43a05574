import { Worker } from 'node:worker_threads';

/**
 * Starts the worker script that sits beside the calling module: `name` without its extension,
 * `from` the caller's `import.meta.url`. Built, the caller is JavaScript and so is its sibling; under
 * tsx or vitest the caller is TypeScript, and the worker is started through tsx's loader so it can
 * import the TypeScript sources too.
 */
export function startSiblingWorker(name: string, from: string, workerData: unknown): Worker {
  const typescript = from.endsWith('.ts');
  const url = new URL(`./${name}${typescript ? '.ts' : '.js'}`, from);
  return typescript
    ? new Worker(
        `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(from)}))`,
        { eval: true, workerData },
      )
    : new Worker(url, { workerData });
}
