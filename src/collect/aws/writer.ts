import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/** Where temporary files live until they are renamed into place; removed at the end of a run. */
export const TEMP_DIR = '.leastpriv-tmp';

// Most file systems cap one name at 255 bytes.
const MAX_NAME_BYTES = 255;

/**
 * A per-resource file name: the URL-encoded identifier (docs/snapshot-format.md). `.` and `..`
 * survive encodeURIComponent, so their dots are escaped too. Undefined when the name would be too
 * long for a file system: the caller records a gap rather than writing somewhere else.
 */
export function resourceFileName(identifier: string): string | undefined {
  let name = encodeURIComponent(identifier);
  if (name === '' || name === '.' || name === '..') name = name.replace(/\./g, '%2E') || '%00';
  return Buffer.byteLength(name) <= MAX_NAME_BYTES ? name : undefined;
}

/**
 * The JSON the AWS CLI would print for an SDK v3 output: the same PascalCase members, dates as
 * ISO 8601 strings, blobs as base64, and no `$metadata` (request ids and retry counts are not data).
 */
export function cliJson(output: unknown): string {
  let root = output;
  if (root !== null && typeof root === 'object' && !Array.isArray(root) && '$metadata' in root) {
    const { $metadata: _ignored, ...rest } = root as Record<string, unknown>;
    root = rest;
  }
  return `${JSON.stringify(root, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value), 2)}\n`;
}

/**
 * Writes snapshot files atomically: each file is written whole under TEMP_DIR and renamed into
 * place, so a file that exists is complete; that is what makes --resume safe.
 */
export class SnapshotWriter {
  private written = 0;
  private readonly dirs = new Set<string>();

  constructor(readonly root: string) {}

  get filesWritten(): number {
    return this.written;
  }

  path(relative: string): string {
    const full = join(this.root, relative);
    // Relative paths are built from encoded names, so this only trips on a bug; keep it loud.
    if (!full.startsWith(this.root + sep) && full !== this.root)
      throw new Error(`path escapes the snapshot: ${relative}`);
    return full;
  }

  async exists(relative: string): Promise<boolean> {
    try {
      return (await stat(this.path(relative))).isFile();
    } catch {
      return false;
    }
  }

  async readJson(relative: string): Promise<unknown> {
    return JSON.parse(await readFile(this.path(relative), 'utf8'));
  }

  /** `count: false` for files rewritten during a run (the manifest), so the count means data files. */
  async writeText(relative: string, text: string, count = true): Promise<void> {
    const target = this.path(relative);
    const tempDir = join(this.root, TEMP_DIR);
    await this.ensureDir(tempDir);
    await this.ensureDir(dirname(target));
    const temp = join(tempDir, `${randomBytes(8).toString('hex')}.tmp`);
    await writeFile(temp, text, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, target);
    if (count) this.written++;
  }

  async writeJson(relative: string, output: unknown): Promise<void> {
    await this.writeText(relative, cliJson(output));
  }

  /** Removes leftovers of this run or of an interrupted one. */
  async cleanTemp(): Promise<void> {
    await rm(join(this.root, TEMP_DIR), { recursive: true, force: true });
    this.dirs.delete(join(this.root, TEMP_DIR));
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.dirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.dirs.add(dir);
  }
}
