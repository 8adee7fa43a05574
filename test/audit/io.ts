import { readFile } from 'node:fs/promises';
import type { CliIO } from '../../src/cli/io.js';

export interface Captured {
  readonly io: CliIO;
  readonly out: () => string;
  readonly err: () => string;
  readonly written: Map<string, string>;
}

/** A CliIO that captures what a command prints and writes; files are read from disk unless given. */
export function captureIo(files: Record<string, string> = {}): Captured {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  return {
    io: {
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
    },
    out: () => stdout,
    err: () => stderr,
    written,
  };
}

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const ACME = `${repoRoot}examples/acme`;
/** The example organization's fixed "now". */
export const ACME_NOW = '2026-11-01T00:00:00Z';
