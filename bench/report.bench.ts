/**
 * Report rendering benchmark: in a fresh Node process per format (so each peak RSS is that
 * format's own), loads a synthetic organization, audits it and builds the report context as
 * `leastpriv audit` does (effective access only for html), then times rendering the report and
 * writing it to a file. Prints the input size (findings, principals), the output size, wall and
 * CPU time of the render and write, the heap before, and peak RSS before and after the render.
 *
 *   npx tsx bench/report.bench.ts [--dir /tmp/org-large] [--formats json,sarif,...] [--modes stream,string]
 *
 * Modes: `stream` renders with renderReportChunks and writes the chunks to the file as they come
 * (what the CLI does); `string` renders the whole text with renderReport, then writes it.
 * Make the organization with `npx tsx bench/generate-org.ts --users 5000 --roles 15000 --policies 10000 --out /tmp/org-large`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Child {
  readonly format: string;
  readonly mode: string;
  readonly findings: number;
  readonly principals: number;
  readonly prepareMs: number;
  readonly renderMs: number;
  readonly renderCpuMs: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly heapBeforeMb: number;
  readonly peakRssBeforeMb: number;
  readonly peakRssAfterMb: number;
}

const self = fileURLToPath(import.meta.url);
const NOW = new Date('2026-11-01T00:00:00Z');
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function child(dir: string, format: string, mode: string): Promise<void> {
  const { loadSnapshot } = await import('../src/collect/index.js');
  const { audit } = await import('../src/checks/audit.js');
  const { DEFAULT_CONFIG } = await import('../src/model/config.js');
  const { analysisContext } = await import('../src/cli/report-context.js');
  const report = await import('../src/report/index.js');
  const t0 = performance.now();
  const { snapshot, errors } = await loadSnapshot([dir]);
  const result = audit(snapshot, DEFAULT_CONFIG, { now: NOW });
  const context =
    format === 'html' || format === 'json'
      ? analysisContext(snapshot, DEFAULT_CONFIG, NOW, { access: format === 'html' })
      : undefined;
  const prepareMs = performance.now() - t0;
  const principals = context?.principals.length ?? 0;
  if (!report.isReportFormat(format)) throw new Error(`unknown format ${format}`);
  const options = {
    snapshot,
    toolVersion: '0.0.0-bench',
    loadErrors: errors,
    baseDir: process.cwd(),
    ...(context ? { context } : {}),
  };
  const out = path.join(tmpdir(), `leastpriv-report-bench-${process.pid}.${format}`);
  (globalThis as { gc?: () => void }).gc?.();
  const heapBeforeMb = mb(process.memoryUsage().heapUsed);
  const peakRssBeforeMb = mb(process.resourceUsage().maxRSS * 1024);
  const started = performance.now();
  const cpu = process.cpuUsage();
  if (mode === 'string') await writeFile(out, report.renderReport(format, result, options));
  else await report.writeReportFile(out, report.renderReportChunks(format, result, options));
  const used = process.cpuUsage(cpu);
  const renderMs = performance.now() - started;
  const peakRssAfterMb = mb(process.resourceUsage().maxRSS * 1024);
  const bytes = statSync(out).size;
  const sha256 = await sha256File(out);
  rmSync(out, { force: true });
  const line: Child = {
    format,
    mode,
    findings: result.findings.length,
    principals,
    prepareMs,
    renderMs,
    renderCpuMs: (used.user + used.system) / 1000,
    bytes,
    sha256,
    heapBeforeMb,
    peakRssBeforeMb,
    peakRssAfterMb,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function measure(args: readonly string[]): Child {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as Child;
}

async function main(argv: readonly string[]): Promise<void> {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = path.resolve(get('--dir') ?? '/tmp/org-large');
  const childFormat = get('--child');
  if (childFormat !== undefined) return child(dir, childFormat, get('--mode') ?? 'stream');
  if (!existsSync(path.join(dir, 'manifest.json')))
    throw new Error(`${dir} is not a snapshot: make it with bench/generate-org.ts (see the header)`);
  const formats = (get('--formats') ?? 'json,sarif,csv,ocsf,asff,markdown,html,table').split(',');
  const modes = (get('--modes') ?? 'stream').split(',');
  const ms = (n: number): number => Math.round(n);
  process.stdout.write(
    `report rendering of ${dir}, fresh process per format and mode (Node ${process.version})\n\n`,
  );
  process.stdout.write(
    `${['format', 'mode', 'findings', 'principals', 'output MB', 'render+write ms', 'cpu ms', 'heap before MB', 'peak RSS before MB', 'peak RSS after MB', 'sha256'].join('\t')}\n`,
  );
  for (const format of formats)
    for (const mode of modes) {
      const c = measure(['--child', format, '--mode', mode, '--dir', dir]);
      process.stdout.write(
        `${[
          c.format,
          c.mode,
          c.findings,
          c.principals,
          (c.bytes / 1024 / 1024).toFixed(1),
          ms(c.renderMs),
          ms(c.renderCpuMs),
          c.heapBeforeMb,
          c.peakRssBeforeMb,
          c.peakRssAfterMb,
          c.sha256.slice(0, 12),
        ].join('\t')}\n`,
      );
    }
}

await main(process.argv.slice(2));
