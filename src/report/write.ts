import { open } from 'node:fs/promises';
import { PiecedText } from './json-chunks.js';

// Bytes gathered before each write.
const BATCH = 1 << 20;

/**
 * Writes a report's text, given whole or in pieces (`renderReportChunks`), to `path` (created or
 * truncated). Pieces are encoded straight into one reused buffer and written about a megabyte at a
 * time, so a report of hundreds of MB is never held whole, neither as a string nor as a buffer,
 * and no piece is copied into a joined string first.
 */
export async function writeReportFile(path: string, text: string | Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let buffer = Buffer.allocUnsafe(4 * BATCH);
    let used = 0;
    const flush = async (): Promise<void> => {
      for (let done = 0; done < used; ) {
        const { bytesWritten } = await file.write(buffer, done, used - done);
        done += bytesWritten;
      }
      used = 0;
    };
    // A surrogate pair split between two pieces is encoded whole, as the joined text would be.
    let carry = '';
    for (const piece of typeof text === 'string'
      ? [text]
      : text instanceof PiecedText
        ? text.pieces()
        : text) {
      let chunk = carry === '' ? piece : carry + piece;
      carry = '';
      const last = chunk.charCodeAt(chunk.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        carry = chunk.slice(-1);
        chunk = chunk.slice(0, -1);
      }
      // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
      const room = chunk.length * 3;
      if (used + room > buffer.length) {
        await flush();
        if (room > buffer.length) buffer = Buffer.allocUnsafe(room);
      }
      used += buffer.write(chunk, used, 'utf8');
      if (used >= BATCH) await flush();
    }
    if (carry !== '') {
      if (used + 3 > buffer.length) await flush();
      used += buffer.write(carry, used, 'utf8');
    }
    await flush();
  } finally {
    await file.close();
  }
}
