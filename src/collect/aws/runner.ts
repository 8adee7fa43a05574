import { classifyError, type Redactor } from './classify-error.js';
import type { Gap, GapReason } from './manifest.js';
import { drainPages, type MergeSpec, type Page, RepeatedTokenError, TooManyPagesError } from './paginate.js';
import type { Semaphore } from './semaphore.js';
import { resourceFileName, type SnapshotWriter } from './writer.js';

export interface PollSettings {
  /** First wait before asking whether a job finished. */
  readonly initialDelayMs: number;
  /** Waits grow by half each time up to this. */
  readonly maxDelayMs: number;
  /** Give up (a gap) after waiting this long in total. */
  readonly maxWaitMs: number;
}

export const DEFAULT_POLL: PollSettings = { initialDelayMs: 1000, maxDelayMs: 10_000, maxWaitMs: 300_000 };

/** Shared by every account of one run. */
export interface RunContext {
  readonly writer: SnapshotWriter;
  readonly semaphore: Semaphore;
  readonly redactor: Redactor;
  readonly resume: boolean;
  readonly poll: PollSettings;
  readonly stats: { calls: number; skipped: number };
}

export interface ArtifactRequest {
  /** Folder relative to the snapshot root, e.g. `account-data/111111111111/us-east-1`. */
  readonly dir: string;
  /** The region the gap is recorded under; absent for organization artifacts. */
  readonly region?: string;
  /** File name without `.json`, or folder name for per-resource artifacts. */
  readonly artifact: string;
  /** Per-resource artifacts: the identifier, URL-encoded into the file name. */
  readonly target?: string;
  /** `service:Operation`, for gaps. */
  readonly call: string;
  readonly fetch: () => AsyncIterable<object>;
  readonly pages?: MergeSpec;
  /** Error codes meaning "this resource has nothing to collect": no file, no gap. */
  readonly absentOn?: readonly string[];
  /** Reshapes the output before it is written; undefined means nothing to write. */
  readonly transform?: (output: Page) => Page | undefined;
}

/** Sleeps without holding a permit. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Raised inside a custom flow to end it with a gap of a given reason. */
export class GapError extends Error {
  constructor(
    readonly reason: GapReason,
    message: string,
  ) {
    super(message);
    this.name = 'GapError';
  }
}

/**
 * Collects artifacts for one account: each artifact is read from disk (with --resume), or fetched
 * page by page under the shared concurrency limit and written atomically; a failure becomes a gap.
 */
export class AccountCollector {
  readonly gaps: Gap[] = [];
  /** Requests and files of this account alone, for its progress line. */
  calls = 0;
  files = 0;

  constructor(
    readonly ctx: RunContext,
    readonly account: string,
  ) {}

  /** The relative path of an artifact, or undefined when its name cannot be a file name. */
  relPath(req: Pick<ArtifactRequest, 'dir' | 'artifact' | 'target'>): string | undefined {
    if (req.target === undefined) return `${req.dir}/${req.artifact}.json`;
    const name = resourceFileName(req.target);
    return name === undefined ? undefined : `${req.dir}/${req.artifact}/${name}`;
  }

  /** One API request under the concurrency limit, counted. */
  async request<T>(step: () => Promise<T>): Promise<T> {
    return this.ctx.semaphore.run(async () => {
      this.ctx.stats.calls++;
      this.calls++;
      return step();
    });
  }

  /** Fetches (or, resuming, reads back) one artifact. Undefined when there is none or it failed. */
  async artifact(req: ArtifactRequest): Promise<Page | undefined> {
    const rel = this.relPath(req);
    if (rel === undefined) {
      this.gap(req, 'not-collected', 'the identifier is too long for a file name');
      return undefined;
    }
    const resumed = await this.resumed(rel);
    if (resumed) return resumed;
    try {
      const output = await drainPages(req.fetch(), req.pages ?? {}, (step) => this.request(step));
      const shaped = req.transform ? req.transform(output) : output;
      if (shaped === undefined) return undefined;
      await this.write(rel, shaped);
      return shaped;
    } catch (error) {
      this.fail(req, error);
      return undefined;
    }
  }

  async write(rel: string, output: unknown): Promise<void> {
    await this.ctx.writer.writeJson(rel, output);
    this.files++;
  }

  /** Reads back a file a previous run completed; undefined when there is none or it is unreadable. */
  async resumed(rel: string): Promise<Page | undefined> {
    if (!this.ctx.resume || !(await this.ctx.writer.exists(rel))) return undefined;
    try {
      const value = await this.ctx.writer.readJson(rel);
      if (value === null || typeof value !== 'object') return undefined;
      this.ctx.stats.skipped++;
      return value as Page;
    } catch {
      return undefined;
    }
  }

  /** Records a failure of `req` as a gap, unless its code means "nothing there". */
  fail(
    req: Pick<ArtifactRequest, 'region' | 'artifact' | 'target' | 'call' | 'absentOn'>,
    error: unknown,
  ): void {
    if (error instanceof RepeatedTokenError || error instanceof TooManyPagesError) {
      this.gap(req, 'error', `${error.name}: ${error.message}`);
      return;
    }
    if (error instanceof GapError) {
      this.gap(req, error.reason, error.message);
      return;
    }
    const failure = classifyError(error, req.absentOn);
    if (failure.kind === 'gap') this.gap(req, failure.reason, failure.message);
  }

  gap(
    req: Pick<ArtifactRequest, 'region' | 'artifact' | 'target' | 'call'>,
    reason: GapReason,
    message: string,
  ): void {
    this.gaps.push({
      account: this.account,
      ...(req.region !== undefined ? { region: req.region } : {}),
      call: req.call,
      ...(req.target !== undefined ? { target: req.target } : {}),
      artifact: req.artifact,
      reason,
      message: this.ctx.redactor.redact(message, 500),
    });
  }

  /**
   * Calls `check` until it reports done, waiting longer each time (with jitter) and at most
   * `poll.maxWaitMs` in total. Each check is one request under the concurrency limit.
   */
  async poll<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
    const { initialDelayMs, maxDelayMs, maxWaitMs } = this.ctx.poll;
    let waited = 0;
    let delay = initialDelayMs;
    for (;;) {
      const done = await this.request(check);
      if (done !== undefined) return done;
      if (waited >= maxWaitMs) throw new GapError('error', `${what} did not complete within ${maxWaitMs} ms`);
      const wait = Math.min(delay * (0.75 + Math.random() / 2), maxWaitMs - waited + 1);
      await sleep(wait);
      waited += wait;
      delay = Math.min(delay * 1.5, maxDelayMs);
    }
  }
}
