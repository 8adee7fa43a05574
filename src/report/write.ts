import { open } from 'node:fs/promises';
import { batched } from './json-chunks.js';

/**
 * Writes a report's text, given whole or as the pieces `renderReportChunks` makes, to `path`
 * (created or truncated). Pieces are encoded and written about a megabyte at a time, so a report of
 * hundreds of MB never exists whole in memory, neither as a string nor as a buffer.
 */
export async function writeReportFile(path: string, text: string | Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (const chunk of typeof text === 'string' ? [text] : batched(text)) {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let done = 0; done < bytes.length; ) {
        const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
    }
  } finally {
    await file.close();
  }
}
