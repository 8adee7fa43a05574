import { readFile } from 'node:fs/promises';
import { run } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: ReadonlyMap<string, string>;
}

/** Runs the real CLI in-process; files are read from disk unless given in `files`, writes are captured. */
export async function runCli(argv: readonly string[], files: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: async (path) => (path in files ? files[path]! : readFile(path, 'utf8')),
    writeFile: async (path, text) => {
      written.set(path, text);
    },
    color: false,
  });
  return { code, stdout, stderr, files: written };
}

export const repoRoot = new URL('../../', import.meta.url).pathname;
