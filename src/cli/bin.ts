import { readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeReportFile } from '../report/write.js';
import { shouldColor } from './io.js';
import { run } from './main.js';

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Temp file then rename: an interrupted run never leaves a half-written report. The text may come
 * in pieces (`renderReportChunks`): each is written as it is made, so a report of hundreds of MB is
 * never held whole, neither as one string nor as one buffer.
 */
async function writeAtomic(path: string, text: string | Iterable<string>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeReportFile(tmp, text);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await rename(tmp, path);
}

function write(stream: NodeJS.WriteStream): (text: string) => void {
  return (text) => {
    stream.write(text);
  };
}

// `leastpriv … | head` closes the pipe early: stop quietly instead of crashing with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

try {
  process.exitCode = await run(process.argv.slice(2), {
    stdout: write(process.stdout),
    stderr: write(process.stderr),
    readFile: readInput,
    writeFile: writeAtomic,
    writeFileChunks: writeAtomic,
    color: shouldColor(process.env, process.stdout.isTTY === true),
  });
} catch (err) {
  process.stderr.write(
    `leastpriv: internal error (please report it): ${(err as Error).stack ?? String(err)}\n`,
  );
  process.exitCode = 70;
}
