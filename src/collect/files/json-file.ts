import { readFile } from 'node:fs/promises';
import { InputError } from '../../model/errors.js';
import { parseJsonWithPositions } from '../../policy/parse/json-with-positions.js';

/** Refused unread: a 15,000-role export is ~200 MB; V8's string limit is ~512 MB. */
export const MAX_FILE_BYTES = 480 * 1024 * 1024;

/** Reads a file as UTF-8 text without its byte-order mark. Throws InputError when unreadable. */
export async function readTextFile(file: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? (err as Error).message})`,
      {
        file,
        hint: code === 'EACCES' ? 'Check the file permissions' : undefined,
      },
    );
  }
  if (buffer.length > MAX_FILE_BYTES) {
    throw new InputError(`the file has ${buffer.length} bytes; more than ${MAX_FILE_BYTES} is refused`, {
      file,
      hint: 'Split the export into pages (one file per page) and pass the folder',
    });
  }
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON text with the built-in parser (fast on 200 MB exports). Several JSON values one after
 * another (JSON lines, or concatenated paginated responses) come back as an array of values.
 * A syntax error becomes an InputError naming the line and column.
 */
export function parseJsonText(text: string, file: string): unknown[] {
  const values: unknown[] = [];
  let start = 0;
  while (start < text.length) {
    const chunk = start === 0 ? text : text.slice(start);
    try {
      values.push(JSON.parse(chunk));
      return values;
    } catch (err) {
      const message = (err as Error).message;
      const position = errorPosition(message);
      if (/non-whitespace character after JSON/.test(message) && position !== undefined && position > 0) {
        // A complete value followed by another: parse the first on its own, then go on.
        values.push(JSON.parse(chunk.slice(0, position)));
        start += position;
        while (start < text.length && /\s/.test(text[start]!)) start++;
        continue;
      }
      const at =
        position === undefined
          ? locateSyntaxError(chunk, start, text)
          : lineAndColumn(text, start + position);
      const atEnd = /end of JSON input/.test(message);
      const end = atEnd ? lineAndColumn(text, text.length) : undefined;
      throw new InputError(`not valid JSON: ${describeSyntaxError(message)}`, {
        file,
        line: (at ?? end)?.line,
        column: (at ?? end)?.column,
        expected: atEnd ? 'the rest of the JSON document (the file looks cut short)' : 'a JSON document',
        hint: atEnd
          ? 'Re-export the file; it was probably truncated while being written'
          : 'Fix or re-export the file; the other files were still loaded',
      });
    }
  }
  if (values.length === 0) {
    throw new InputError('the file is empty', {
      file,
      expected: 'a JSON document',
      hint: 'Re-export the file',
    });
  }
  return values;
}

export async function readJsonFile(file: string): Promise<unknown[]> {
  return parseJsonText(await readTextFile(file), file);
}

/** Above this, a syntax error without a position from V8 is reported without line and column. */
const MAX_RESCAN_CHARS = 64 * 1024 * 1024;

/**
 * V8 leaves the position out of some messages (`Unexpected token '}', "…" is not valid JSON`):
 * re-read the text with the positional parser to find it. Only on the failure path.
 */
function locateSyntaxError(
  chunk: string,
  start: number,
  text: string,
): { line: number; column: number } | undefined {
  if (chunk.length > MAX_RESCAN_CHARS) return undefined;
  const problem = parseJsonWithPositions(chunk, { maxDepth: 10_000 }).problem;
  if (problem === undefined || problem.pos.offset < 0) return undefined;
  return lineAndColumn(text, start + problem.pos.offset);
}

function errorPosition(message: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  return undefined;
}

function describeSyntaxError(message: string): string {
  // V8 quotes a slice of the input in some messages; keep only its own words (the input is untrusted).
  const cut = message
    .replace(/, "[\s\S]*" is not valid JSON$/, '')
    .replace(/ in JSON at position \d+.*$/, '');
  return cut.length > 160 ? `${cut.slice(0, 160)}…` : cut;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
