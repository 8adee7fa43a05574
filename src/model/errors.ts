/**
 * An error the user caused with their input (a file, a flag, a request). Printed as one clear
 * message, never with a stack; exit code 2. Bugs stay ordinary exceptions.
 */
export interface InputErrorDetails {
  /** The file (or `<stdin>`, or a flag name) the problem is in. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Where inside the input, e.g. `request 3` or `policies.scp[1][0]`. */
  readonly place?: string;
  /** What was expected there. */
  readonly expected?: string;
  /** What to do about it. */
  readonly hint?: string;
}

export class InputError extends Error {
  readonly details: InputErrorDetails;
  constructor(message: string, details: InputErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
    this.details = details;
  }
}

/** `file:line:column: place: message (expected …) — hint`, leaving out the parts that are unknown. */
export function formatInputError(error: InputError): string {
  const d = error.details;
  let where = d.file ?? '';
  if (d.file && d.line) where += `:${d.line}${d.column ? `:${d.column}` : ''}`;
  const parts = [where, d.place].filter((p): p is string => Boolean(p));
  let text = parts.length > 0 ? `${parts.join(': ')}: ${error.message}` : error.message;
  if (d.expected) text += ` (expected ${d.expected})`;
  if (d.hint) text += `. ${d.hint}`;
  return text;
}
