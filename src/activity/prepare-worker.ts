import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_LIMITS, type DecompressLimits, prepareFile } from './prepare.js';

/** Worker thread: reads, hashes, gunzips and scans files; hands the bytes back without copying. */
const limits: DecompressLimits =
  (workerData as { limits?: DecompressLimits } | undefined)?.limits ?? DEFAULT_LIMITS;

parentPort?.on('message', async (message: { id: number; path: string }) => {
  const result = await prepareFile(message.path, limits);
  if (!result.ok) {
    parentPort?.postMessage({ id: message.id, result });
    return;
  }
  // Transfer needs buffers that own their whole ArrayBuffer (not slices of Node's pool).
  const bytes =
    result.bytes.byteOffset === 0 && result.bytes.byteLength === result.bytes.buffer.byteLength
      ? result.bytes
      : result.bytes.slice();
  const transfer = [bytes.buffer as ArrayBuffer, result.spans.buffer as ArrayBuffer].filter(
    (b) => b.byteLength > 0,
  );
  parentPort?.postMessage({ id: message.id, result: { ...result, bytes } }, transfer);
});
