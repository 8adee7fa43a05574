import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditResult, finishAudit, planAudit } from '../../checks/audit.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { type CheckProgress, runChecks, UnknownCheckError } from '../../checks/run.js';
import { attachActivityUsage } from '../../checks/unused-permissions.js';
import type { CollectAwsOptions } from '../../collect/aws/index.js';
import { loadSnapshot } from '../../collect/index.js';
import { findConfigFile } from '../../config/find.js';
import type { LoadedConfig } from '../../config/load.js';
import type { OrgSnapshot } from '../../model/account.js';
import { DEFAULT_CONFIG } from '../../model/config.js';
import { formatInputError, InputError } from '../../model/errors.js';
import {
  COMPLIANCE_FRAMEWORKS,
  type ComplianceFramework,
  type Finding,
  SEVERITIES,
  type Severity,
} from '../../model/finding.js';
import { summariseFindings } from '../../report/audit-json.js';
import { EMPTY_CONTEXT, isReportFormat, REPORT_FORMATS, renderReportChunks } from '../../report/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type CliIO, colorsFor } from '../io.js';
import { type RegisterThread, startRegisterThread } from '../register-thread.js';
import { analysisContext, thirdPartyRows } from '../report-context.js';
import { UsageError } from '../usage-error.js';
import { VERSION } from '../version.js';
import { describeLoad } from './inventory.js';

export interface AuditCliOptions {
  readonly format?: string;
  readonly output?: string;
  /** critical | high | medium | low | info | none. Default high. */
  readonly failOn?: string;
  /** Comma-separated check ids or globs. */
  readonly checks?: string;
  readonly skipChecks?: string;
  readonly compliance?: string;
  readonly config?: string;
  /** `unknown` findings (data missing) do not count for --fail-on. */
  readonly allowUnknown?: boolean;
  /** ISO date-time used as "now" for every age and expiry (reproducible reports). */
  readonly now?: string;
  readonly quiet?: boolean;
  /** A live line on standard error while the checks run (default: when standard error is a terminal). */
  readonly progress?: boolean;
  /** Per phase and per check, how long it took, on standard error (finding the slow part of a big audit). */
  readonly timings?: boolean;
  // --aws: collect live, then audit.
  readonly aws?: boolean;
  readonly profile?: string;
  /** One region or a comma-separated list. */
  readonly region?: string;
  readonly org?: boolean;
  readonly roleName?: string;
  readonly externalId?: string;
  /** Keep the collected snapshot in this folder. */
  readonly save?: string;
  /** Print access key IDs in full instead of masked (`AKIA…WXYZ`). */
  readonly showKeyIds?: boolean;
  /** An activity database (`leastpriv trail ingest`): adds action-level unused-permission findings. */
  readonly activity?: string;
  /**
   * Threads: 1 runs everything on the main thread; 2 or more (the default on four cores or more)
   * computes the JSON and HTML reports' third-party register summaries on a worker thread while the
   * checks run (results are identical either way).
   */
  readonly threads?: string | number;
  /** `--index`: write the query index of the audited snapshot (one folder, or --aws --save). */
  readonly index?: boolean;
  readonly indexDir?: string;
}

/** Injected by tests: the working directory (for .leastpriv.yaml) and the live collector. */
export interface AuditEnvironment {
  readonly cwd?: string;
  readonly collect?: (options: CollectAwsOptions) => Promise<unknown>;
  /** Fewest register roles for which the register thread starts (tests use 0 on small examples). */
  readonly registerThreadMinRoles?: number;
}

export const AUDIT_FORMATS = REPORT_FORMATS;
export const DEFAULT_FAIL_ON: Severity = 'high';

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseFailOn(value: string | undefined): Severity | 'none' {
  const v = (value ?? DEFAULT_FAIL_ON).toLowerCase();
  if (v === 'none' || (SEVERITIES as readonly string[]).includes(v)) return v as Severity | 'none';
  throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')} or none, not "${value}"`);
}

/** Unsuppressed findings at or above the threshold; `unknown` ones count unless allowed (fail closed). */
export function gatingFindings(
  findings: readonly Finding[],
  failOn: Severity | 'none',
  allowUnknown: boolean,
): Finding[] {
  if (failOn === 'none') return [];
  const limit = SEVERITIES.indexOf(failOn);
  return findings.filter(
    (f) => !f.suppressed && SEVERITIES.indexOf(f.severity) <= limit && (f.status === 'fail' || !allowUnknown),
  );
}

/**
 * `leastpriv audit SNAPSHOT…` or `leastpriv audit --aws`: run the checks, print the report to stdout
 * (or --output), progress to stderr. Exit 0 when nothing unsuppressed is at or above --fail-on, 1 when
 * something is, 2 on a usage error, a bad configuration, or input that could not be read (the report
 * of what could be read is still written).
 */
export async function auditCommand(
  snapshotPaths: readonly string[],
  options: AuditCliOptions,
  io: CliIO,
  env: AuditEnvironment = {},
): Promise<number> {
  const format = options.format ?? 'table';
  if (!isReportFormat(format))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${format}"`);
  const failOn = parseFailOn(options.failOn);
  const compliance = options.compliance;
  if (compliance !== undefined && !(compliance in COMPLIANCE_FRAMEWORKS))
    throw new UsageError(
      `--compliance must be one of ${Object.keys(COMPLIANCE_FRAMEWORKS).join(', ')}, not "${compliance}"`,
    );
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime()))
    throw new UsageError(`--now must be an ISO 8601 date-time, not "${options.now}"`);
  const threads = options.threads === undefined ? defaultThreads() : Number(options.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new UsageError(`--threads must be a whole number from 1 to 64, not "${options.threads}"`);
  if (options.aws && snapshotPaths.length > 0) throw new UsageError('give snapshot paths or --aws, not both');
  if (!options.aws && snapshotPaths.length === 0)
    throw new UsageError(
      'name a snapshot (a folder in leastpriv or CloudMapper layout, or export files), or use --aws',
    );
  if (!options.aws)
    for (const flag of ['profile', 'region', 'org', 'roleName', 'externalId', 'save'] as const)
      if (options[flag] !== undefined && options[flag] !== false)
        throw new UsageError(
          `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} only goes with --aws`,
        );
  if (options.org && !options.roleName)
    throw new UsageError('--org needs --role-name: the role to assume in each account');
  // The index is found again by the files of one snapshot path; a temporary collection is deleted.
  if (options.index && (options.aws ? options.save === undefined : snapshotPaths.length !== 1))
    throw new UsageError(
      options.aws
        ? '--index with --aws needs --save DIR: the index is of the saved snapshot'
        : '--index prepares one snapshot: give one snapshot path',
    );
  if (options.indexDir !== undefined && !options.index)
    throw new UsageError('--index-dir only goes with --index');

  const progress = (line: string) => {
    if (!options.quiet) io.stderr(`leastpriv audit: ${line}\n`);
  };
  const timings = new PhaseTimer();

  // The YAML parser and schema validator load only when there is a configuration to read.
  const configFile = options.config ?? (await findConfigFile(env.cwd ?? process.cwd()));
  let config: LoadedConfig = { config: DEFAULT_CONFIG };
  try {
    if (configFile !== undefined)
      config = await (await import('../../config/load.js')).loadConfig(configFile, env.cwd ?? process.cwd(), {
        knownChecks: ALL_CHECKS.map((c) => c.meta.id),
        read: io.readFile,
      });
  } catch (e) {
    const { ConfigError, formatConfigError } = await import('../../config/load.js');
    if (e instanceof ConfigError) {
      io.stderr(`${formatConfigError(e)}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      io.stderr(`leastpriv audit: ${formatInputError(e)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (config.file) progress(`configuration ${config.file}`);
  let plan: ReturnType<typeof planAudit>;
  try {
    plan = planAudit(config.config, {
      selection: {
        only: list(options.checks),
        skip: list(options.skipChecks),
        ...(compliance !== undefined ? { compliance: compliance as ComplianceFramework } : {}),
      },
    });
  } catch (e) {
    if (e instanceof UnknownCheckError) throw new UsageError(e.message);
    throw e;
  }
  // The JSON and HTML reports carry the third-party register.
  const wantsRegister = format === 'html' || format === 'json';

  let paths = snapshotPaths;
  let tempDir: string | undefined;
  let registerThread: RegisterThread | undefined;
  let live: ReturnType<typeof liveLine> | undefined;
  try {
    if (options.aws) {
      if (options.save === undefined) tempDir = await mkdtemp(join(tmpdir(), 'leastpriv-audit-'));
      const out = options.save ?? (tempDir as string);
      const regions = list(options.region);
      const collect = env.collect ?? (await import('../../collect/aws/index.js')).collectAws;
      progress(`collecting from AWS into ${options.save ?? 'a temporary folder'}`);
      await collect({
        out,
        ...(options.profile ? { profile: options.profile } : {}),
        ...(regions.length > 0 ? { regions } : {}),
        ...(options.org ? { org: true } : {}),
        ...(options.roleName ? { roleName: options.roleName } : {}),
        ...(options.externalId ? { externalId: options.externalId } : {}),
        toolVersion: VERSION,
        ...(options.quiet
          ? {}
          : { progress: (line: string) => io.stderr(`leastpriv audit: collect: ${line}\n`) }),
      });
      paths = [out];
    }

    // Before loading: a file that changes while it loads gives the index a key no query matches.
    const index = options.index ? await import('../../query-index/store.js') : undefined;
    const indexKey = index ? await index.indexKey(paths) : undefined;
    timings.start('load');
    const { snapshot, summary, errors } = await loadSnapshot(paths);
    timings.stop();
    for (const e of errors) io.stderr(`leastpriv audit: ${formatInputError(e)}\n`);
    progress(describeLoad(summary));
    if (summary.counts.accounts === 0) {
      io.stderr('leastpriv audit: no account data found in the given paths\n');
      return EXIT_USAGE;
    }

    if (options.activity) {
      timings.start('activity');
      // Granted versus used over the unused-days window, computed before the (synchronous) checks run.
      const since = new Date(now.getTime() - config.config.thresholds.unusedDays * 86_400_000);
      try {
        attachActivityUsage(
          snapshot,
          // DuckDB loads only for --activity (about 240 ms of start-up otherwise).
          await (await import('../../activity/usage/report.js')).unusedPermissionsFromActivity(
            options.activity,
            snapshot,
            { since },
          ),
        );
      } catch (e) {
        throw new InputError(`cannot read the activity database: ${(e as Error).message}`, {
          file: options.activity,
          hint: 'create it with `leastpriv trail ingest`',
        });
      }
    }

    if (wantsRegister && threads >= 2) {
      timings.start('start the register thread');
      registerThread = startRegisterThread(snapshot, config.config, env.registerThreadMinRoles);
    }
    timings.stop();
    live =
      options.quiet !== true && (options.progress ?? process.stderr.isTTY === true)
        ? liveLine(io)
        : undefined;
    const onCheck = (p: CheckProgress) => {
      timings.record(`check ${p.id}`, p.ms);
      live?.show(`leastpriv audit: checks ${p.index + 1}/${p.total} (${p.id} done)`);
    };
    live?.show(`leastpriv audit: checks 0/${plan.checks.length}`);
    const run = runChecks(plan.checks, { snapshot, config: config.config, now }, onCheck);
    live?.clear();
    const result: AuditResult = finishAudit(plan, run, config.config, now);
    if (registerThread) {
      timings.start('wait for the register thread');
      try {
        const ms = await registerThread.done;
        timings.record(`third-party register, ${registerThread.roles} roles (second thread)`, ms);
      } catch (e) {
        // The summaries are then computed here: the report is the same, only later.
        progress(`the register thread failed (${(e as Error).message}); computing the register here`);
      }
      timings.stop();
    }
    for (const e of result.checkErrors)
      io.stderr(`leastpriv audit: check ${e.checkId} failed (reported as unknown): ${e.message}\n`);
    for (const e of result.expiredSuppressions)
      io.stderr(
        `leastpriv audit: suppression #${e.index} (${e.suppression.checkId}) expired on ${e.suppression.expires} and no longer suppresses\n`,
      );

    if (index) {
      // Before the report: its buffers are gone by the time the report's are made (a lower peak).
      timings.start('write the query index');
      await writeIndex(index, indexKey, snapshot, errors.length, options.indexDir, io, progress);
      timings.stop();
    }
    live?.show(`leastpriv audit: writing the ${format} report`, true);
    // The HTML pages and the JSON's third-party register need the analyses' view of each identity.
    timings.start('report context');
    // JSON shows only the register from the context; the HTML pages show every identity too.
    const context =
      format === 'html'
        ? analysisContext(snapshot, config.config, now, { access: true })
        : format === 'json'
          ? { ...EMPTY_CONTEXT, thirdParty: thirdPartyRows(snapshot, config.config) }
          : undefined;
    // Rendered in pieces and written as they come: the report of a large organization (hundreds of
    // MB of HTML or JSON) is never held whole.
    timings.start(`render and write ${format}`);
    const chunks = renderReportChunks(format, result, {
      snapshot,
      toolVersion: VERSION,
      loadErrors: errors,
      baseDir: process.cwd(),
      paint: colorsFor(io),
      ...(options.showKeyIds ? { showKeyIds: true } : {}),
      ...(context ? { context } : {}),
      ...(config.file ? { configFile: config.file } : {}),
    });
    if (options.output) {
      if (io.writeFileChunks) await io.writeFileChunks(options.output, chunks);
      else await io.writeFile(options.output, [...chunks].join(''));
    } else for (const chunk of chunks) io.stdout(chunk);
    live?.clear();
    timings.stop();
    if (options.timings) io.stderr(timings.table('leastpriv audit: timings'));

    const s = summariseFindings(result.findings);
    progress(
      `${result.checks.length} checks: ${s.total} findings, ${s.unknown} unknown, ${s.suppressed} suppressed` +
        (options.save ? `; snapshot kept in ${options.save}` : ''),
    );
    if (errors.length > 0) return EXIT_USAGE;
    return gatingFindings(result.findings, failOn, options.allowUnknown === true).length > 0
      ? EXIT_FINDINGS
      : EXIT_OK;
  } finally {
    live?.clear();
    await registerThread?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * Two threads only with four cores or more. On two cores the garbage collector's helper threads
 * already keep the second core busy during an audit, and the worker's register (cold code, its own
 * catalogue) costs more CPU than on the main thread: measured on this project's 2-core machine,
 * medium, median of 5 interleaved: one thread 2.22 s wall, two 2.31 s.
 */
export function defaultThreads(): number {
  return availableParallelism() >= 4 ? 2 : 1;
}

/**
 * One line on standard error rewritten in place (a terminal's carriage return and erase-line), at
 * most every 100 ms unless forced; cleared before anything else is printed.
 */
function liveLine(io: CliIO): { show(text: string, force?: boolean): void; clear(): void } {
  let last = -Infinity;
  let shown = false;
  return {
    show(text, force = false) {
      const now = performance.now();
      if (!force && now - last < 100) return;
      last = now;
      shown = true;
      io.stderr(`\r\u001b[2K${text}`);
    },
    clear() {
      if (shown) io.stderr('\r\u001b[2K');
      shown = false;
    },
  };
}

/** Wall-clock milliseconds per named phase, printed slowest first. */
class PhaseTimer {
  private readonly entries: [string, number][] = [];
  private current: { name: string; started: number } | undefined;

  start(name: string): void {
    this.stop();
    this.current = { name, started: performance.now() };
  }

  stop(): void {
    if (this.current) this.record(this.current.name, performance.now() - this.current.started);
    this.current = undefined;
  }

  record(name: string, ms: number): void {
    this.entries.push([name, ms]);
  }

  table(title: string): string {
    const total = this.entries.reduce((sum, [, ms]) => sum + ms, 0);
    const rows = [...this.entries].sort((a, b) => b[1] - a[1]);
    const lines = rows.map(([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
    return `${title} (${total.toFixed(0)} ms in all)\n${lines.join('\n')}\n`;
  }
}

/**
 * `audit --index`: the query index of the snapshot just audited (the escalation graph the checks
 * built is reused). A failure to write it is reported and does not change the audit's exit code.
 */
async function writeIndex(
  store: typeof import('../../query-index/store.js'),
  key: string | undefined,
  snapshot: OrgSnapshot,
  loadErrors: number,
  indexDir: string | undefined,
  io: CliIO,
  progress: (line: string) => void,
): Promise<void> {
  if (loadErrors > 0 || key === undefined) {
    io.stderr(
      `leastpriv audit: the query index is not written: ${key === undefined ? 'the snapshot files cannot be listed' : `${loadErrors} file${loadErrors === 1 ? '' : 's'} could not be read`}\n`,
    );
    return;
  }
  const { buildQueryIndex } = await import('../../query-index/build.js');
  const dir = indexDir ?? store.defaultIndexDir();
  const built = buildQueryIndex(snapshot, key);
  try {
    const file = await store.writeQueryIndex(dir, key, built.bytes);
    progress(
      `query index ${file} (${(built.bytes.length / 1e6).toFixed(1)} MB): who-can on this snapshot answers from it`,
    );
  } catch (error) {
    io.stderr(
      `leastpriv audit: cannot write the query index to ${dir}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
