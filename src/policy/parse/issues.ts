import type { IssueSeverity, PolicyIssue, SourcePosition } from '../../model/issue.js';

/**
 * Every issue code the parser can emit. Codes are stable once published: add, never rename.
 * (The linter in policy/validate owns the codes about meaning, such as unknown actions.)
 */
export const PARSE_ISSUE_CODES = [
  'too-large',
  'invalid-url-encoding',
  'invalid-json',
  'too-deep',
  'duplicate-key',
  'not-an-object',
  'unknown-element',
  'invalid-type',
  'empty-array',
  'missing-statement',
  'invalid-version',
  'missing-version',
  'missing-effect',
  'invalid-effect',
  'missing-action',
  'conflicting-elements',
  'missing-resource',
  'resource-not-allowed',
  'missing-principal',
  'principal-not-allowed',
  'invalid-principal',
  'invalid-condition',
  'invalid-condition-operator',
  'invalid-condition-value',
  'invalid-sid',
  'duplicate-sid',
  'policy-too-large',
  'internal-error',
] as const;

export type ParseIssueCode = (typeof PARSE_ISSUE_CODES)[number];

export function makeIssue(
  code: ParseIssueCode,
  severity: IssueSeverity,
  path: string,
  pos: SourcePosition,
  message: string,
  fix?: string,
): PolicyIssue {
  const issue = { code, severity, path, line: pos.line, column: pos.column, message };
  return fix === undefined ? issue : { ...issue, fix };
}

/** Describes a caught value without risking a second throw (hostile objects can throw from toString). */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
    return String(error);
  } catch {
    return 'unreadable error';
  }
}

const MAX_QUOTED_CHARS = 80;

/** Policy text echoed in a message, quoted and cut short: messages stay one line whatever the input. */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  return `'${JSON.stringify(cut).slice(1, -1)}'`;
}
