import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ScanError, type ScannedKind, scanCloudTrail } from './scan.js';
import { type EncodedEvents, EventEncoder, encodeEvents } from './stage-format.js';

/** Bounds on one file, so a hostile file cannot exhaust memory. */
export interface DecompressLimits {
  /** Largest decompressed size of one file, in bytes. */
  readonly maxBytes: number;
  /** Largest decompressed / compressed ratio (a real CloudTrail file is about 10-20×). */
  readonly maxRatio: number;
}

export const DEFAULT_LIMITS: DecompressLimits = { maxBytes: 1024 ** 3, maxRatio: 200 };

/** One file read, hashed, decompressed, scanned and its events parsed: what a worker hands back. */
export type PreparedFile =
  | ({
      readonly ok: true;
      readonly path: string;
      readonly sha256: string;
      readonly compressedBytes: number;
      readonly kind: ScannedKind;
      /** Events found, of every class. */
      readonly found: number;
      /** The staging file holding the encoded events (stage-format.ts); null when there are none. */
      readonly stagedPath: string | null;
      /** The staging file of its events above BIG_EVENT_BYTES, if any. */
      readonly bigPath: string | null;
    } & Omit<EncodedEvents, 'bytes' | 'big'>)
  | { readonly ok: false; readonly path: string; readonly sha256: string | null; readonly reason: string };

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Bytes of a file as text: gunzipped when it is gzip (by magic number, not by name). */
export function decompress(raw: Uint8Array, limits: DecompressLimits = DEFAULT_LIMITS): Uint8Array {
  if (!isGzip(raw)) {
    if (raw.length > limits.maxBytes) throw new ScanError(`larger than ${limits.maxBytes} bytes`);
    return raw;
  }
  const cap = Math.min(limits.maxBytes, Math.max(1024 * 1024, raw.length * limits.maxRatio));
  try {
    // Output chunks the size CloudTrail's files usually decompress to (about 9×): with zlib's
    // 16 KB chunks a 6 MB file took 375 allocations and calls and a copy of them all at the end.
    const chunkSize = Math.min(cap, 64 * 1024 * 1024, Math.max(64 * 1024, 12 * raw.length));
    return gunzipSync(raw, { maxOutputLength: cap, chunkSize });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      throw new ScanError(
        `decompresses to more than ${cap} bytes (${limits.maxRatio}× or ${limits.maxBytes} bytes cap): a decompression bomb?`,
      );
    if (e.code === 'Z_BUF_ERROR') throw new ScanError('truncated gzip (unexpected end of file)');
    throw new ScanError(`corrupt gzip: ${e.message}`);
  }
}

/** Digest files prove log integrity; they hold no events. */
export function isDigestPath(path: string): boolean {
  return /[\\/]CloudTrail-Digest[\\/]/.test(path) || /_CloudTrail-Digest_/.test(path);
}

const NO_EVENTS: Omit<EncodedEvents, 'bytes' | 'big'> & {
  readonly stagedPath: null;
  readonly bigPath: null;
} = {
  count: 0,
  keys: new Uint8Array(0),
  keyEnds: new Uint32Array(0),
  keyHashes: new Int32Array(0),
  updated: new Uint8Array(0),
  insights: 0,
  aggregated: 0,
  stagedPath: null,
  bigPath: null,
};

/**
 * The records buffer of the last file, reused for the next: a worker prepares one file at a time,
 * and allocating some megabytes per file made the workers' memory grow faster than V8 collected it.
 * Taken while in use, so overlapping calls each get their own.
 */
let scratch: Buffer | undefined;
function takeScratch(): Buffer | undefined {
  const taken = scratch;
  scratch = undefined;
  return taken;
}

/**
 * Reads one file, finds its events and writes them in the staging format to `stageDir`/`fileId`
 * (the id goes into each record). Never throws: a bad file comes back with its reason.
 */
export async function prepareFile(
  path: string,
  fileId: number,
  stageDir: string,
  limits: DecompressLimits = DEFAULT_LIMITS,
  /** Stage each raw event as a template (schema.ts RawLayout 'template'), else whole. */
  cut = true,
): Promise<PreparedFile> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EACCES'
          ? 'permission denied'
          : `unreadable: ${e.message}`;
    return { ok: false, path, sha256: null, reason };
  }
  const sha256 = createHash('sha256').update(raw).digest('hex');
  if (isDigestPath(path))
    return {
      ok: true,
      path,
      sha256,
      compressedBytes: raw.length,
      kind: 'digest',
      found: 0,
      ...NO_EVENTS,
    };
  try {
    const bytes = decompress(raw, limits);
    // ASCII (CloudTrail's files are) is UTF-8: one pass over the bytes instead of two.
    const ascii = isAscii(bytes);
    if (!ascii && !isUtf8(bytes)) throw new ScanError('not UTF-8 text');
    // Events of Records arrays are walked and encoded as the scan finds them (one pass); the others
    // (JSON lines of single events, lookup-events strings) from the spans the scan returns.
    const visiting = new EventEncoder(bytes, fileId, takeScratch(), cut, ascii);
    const scanned = scanCloudTrail(bytes, visiting.visit);
    const found = scanned.count;
    const head = { ok: true, path, sha256, compressedBytes: raw.length, kind: scanned.kind, found } as const;
    if (scanned.kind === 'digest') return { ...head, ...NO_EVENTS };
    const whole = scanned.bytes === bytes && visiting.found === scanned.count;
    const {
      bytes: staged,
      big,
      ...encoded
    } = whole ? visiting.result() : encodeEvents(scanned.bytes, scanned.spans, fileId, cut);
    const stagedPath = staged.length > 0 ? join(stageDir, `${fileId}.stage`) : null;
    const bigPath = big !== null ? join(stageDir, `${fileId}.big`) : null;
    if (stagedPath) await writeFile(stagedPath, staged);
    if (bigPath && big) await writeFile(bigPath, big);
    scratch = visiting.buffer;
    return { ...head, ...encoded, stagedPath, bigPath };
  } catch (err) {
    if (err instanceof ScanError) return { ok: false, path, sha256, reason: err.message };
    return { ok: false, path, sha256, reason: `unreadable: ${(err as Error).message}` };
  }
}
