import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_LIMITS, type DecompressLimits, prepareFile } from './prepare.js';

/** Worker thread: reads, hashes, gunzips, scans and parses files, and writes their staging files. */
const data = workerData as { limits?: DecompressLimits; stageDir: string; cut?: boolean };
const limits: DecompressLimits = data.limits ?? DEFAULT_LIMITS;

// One file at a time: requests queue up here instead of all reading and decompressing at once,
// so a worker holds one file's bytes however far ahead the main thread submits.
let done: Promise<void> = Promise.resolve();
parentPort?.on('message', (message: { id: number; path: string; fileId: number }) => {
  done = done.then(async () => {
    const result = await prepareFile(message.path, message.fileId, data.stageDir, limits, data.cut ?? true);
    // Each array has a buffer of its own (or is empty and shared, and stays).
    const transfer = result.ok
      ? [result.updated, result.keys, result.keyEnds, result.keyHashes]
          .filter((a) => a.byteLength > 0)
          .map((a) => a.buffer as ArrayBuffer)
      : [];
    parentPort?.postMessage({ id: message.id, result }, transfer);
  });
});
