import type { AuditResult } from '../checks/audit.js';
import type { OrgSnapshot } from '../model/account.js';
import type { InputError } from '../model/errors.js';
import { renderAsff, renderAsffChunks } from './audit-asff.js';
import { renderCsv, renderCsvChunks } from './audit-csv.js';
import { auditJson, auditJsonChunks } from './audit-json.js';
import { renderMarkdown } from './audit-markdown.js';
import { renderOcsf, renderOcsfChunks } from './audit-ocsf.js';
import { renderSarif, renderSarifChunks } from './audit-sarif.js';
import { type Paint, renderAuditTable } from './audit-table.js';
import { renderHtml, renderHtmlChunks } from './html/render.js';
import { PiecedText } from './json-chunks.js';
import { maskEach, type ReportOptions } from './options.js';

export {
  type ContextProviders,
  EMPTY_CONTEXT,
  orderedRegister,
  type ReportContext,
  type ReportPrincipal,
  reportContextFromSnapshot,
  type ServiceAccess,
  type ThirdPartyAccess,
} from './context.js';
export { maskKeyId, maskKeyIds, type ReportOptions } from './options.js';
export { writeReportFile } from './write.js';
export { renderAsff, renderCsv, renderHtml, renderMarkdown, renderOcsf, renderSarif };

/** Every `--format` of `leastpriv audit`, in the order help lists them. */
export const REPORT_FORMATS = ['table', 'json', 'csv', 'sarif', 'ocsf', 'asff', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The file extension `--output` suggests for a format. */
export const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  table: 'txt',
  json: 'json',
  csv: 'csv',
  sarif: 'sarif',
  ocsf: 'ocsf.json',
  asff: 'asff.json',
  markdown: 'md',
  html: 'html',
};

export interface RenderOptions extends ReportOptions {
  /** json and table describe the snapshot too (accounts, identities, gaps): they need it. */
  readonly snapshot?: OrgSnapshot;
  readonly loadErrors?: readonly InputError[];
  readonly configFile?: string;
  /** table: colours (picocolors' `createColors(enabled)`); none when absent. */
  readonly paint?: Paint;
}

const NO_PAINT: Paint = {
  bold: (s) => s,
  dim: (s) => s,
  red: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
  green: (s) => s,
  magenta: (s) => s,
};

function jsonReport(result: AuditResult, options: RenderOptions) {
  if (!options.snapshot) throw new Error('the json and table formats need the snapshot (options.snapshot)');
  const findings = options.showKeyIds ? result.findings : maskEach(result.findings);
  return auditJson(
    options.snapshot,
    { ...result, findings },
    {
      tool: { name: 'leastpriv', version: options.toolVersion ?? '0.0.0' },
      generatedAt: result.now.toISOString(),
      ...(options.loadErrors ? { loadErrors: options.loadErrors } : {}),
      ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
      ...(options.context && options.context.thirdParty.length > 0
        ? { thirdPartyAccess: options.context.thirdParty }
        : {}),
    },
  );
}

/**
 * The one entry point for every format: a pure function of the audit result and options (the
 * same inputs give the same bytes). Access key IDs are masked unless `showKeyIds`.
 */
export function renderReport(format: ReportFormat, result: AuditResult, options: RenderOptions = {}): string {
  return [...pieces(format, result, options)].join('');
}

/**
 * `renderReport`'s text in order, as strings of about a megabyte made as they are asked for: write
 * each as it comes (`writeReportFile`, or stdout) and a report of a large organization is never
 * held whole. Joined, they are exactly `renderReport`'s text.
 */
export function renderReportChunks(
  format: ReportFormat,
  result: AuditResult,
  options: RenderOptions = {},
): Iterable<string> {
  return new PiecedText(() => pieces(format, result, options));
}

function* pieces(format: ReportFormat, result: AuditResult, options: RenderOptions): Generator<string> {
  switch (format) {
    case 'table':
      yield renderAuditTable(jsonReport(result, options), options.paint ?? NO_PAINT);
      return;
    case 'json':
      yield* auditJsonChunks(jsonReport(result, options));
      return;
    case 'csv':
      yield* renderCsvChunks(result, options);
      return;
    case 'sarif':
      yield* renderSarifChunks(result, options);
      return;
    case 'ocsf':
      yield* renderOcsfChunks(result, options);
      return;
    case 'asff':
      yield* renderAsffChunks(result, options);
      return;
    case 'markdown':
      yield renderMarkdown(result, options);
      return;
    case 'html':
      yield* renderHtmlChunks(result, options);
      return;
  }
}
