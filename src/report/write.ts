import { open } from 'node:fs/promises';
import { batched } from './json-chunks.js';

/**
 * Writes a report's text, given whole or as the pieces `renderReportChunks` makes, to `path`
 * (created or truncated). Pieces are encoded about a megabyte at a time into one reused buffer, so
 * a report of hundreds of MB is never held whole, neither as a string nor as buffers waiting for
 * the garbage collector (a new buffer per piece grew RSS by ~270 MB on the large org's HTML).
 */
export async function writeReportFile(path: string, text: string | Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let buffer = Buffer.allocUnsafe(0);
    const put = async (chunk: string): Promise<void> => {
      // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
      if (buffer.length < chunk.length * 3) buffer = Buffer.allocUnsafe(chunk.length * 3);
      const length = buffer.write(chunk, 0, 'utf8');
      for (let done = 0; done < length; ) {
        const { bytesWritten } = await file.write(buffer, done, length - done);
        done += bytesWritten;
      }
    };
    // A surrogate pair split between two pieces is encoded whole, as the joined text would be.
    let carry = '';
    for (const piece of typeof text === 'string' ? [text] : batched(text)) {
      let chunk = carry + piece;
      carry = '';
      const last = chunk.charCodeAt(chunk.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        carry = chunk.slice(-1);
        chunk = chunk.slice(0, -1);
      }
      await put(chunk);
    }
    if (carry !== '') await put(carry);
  } finally {
    await file.close();
  }
}
