import type { SourcePosition } from '../../model/issue.js';
import { describeError } from './issues.js';
import type { JsonArray, JsonEntry, JsonObject, JsonValue } from './json-value.js';

/**
 * A strict RFC 8259 JSON parser that records the line, column and offset of every value and key.
 * Hand-written because `JSON.parse` keeps neither positions nor duplicate keys, and silently lets the
 * last duplicate win (`{"Effect":"Deny","Effect":"Allow"}` would read as Allow).
 *
 * Lines and columns are 1-based; columns count UTF-16 code units. `\n`, `\r\n` and a lone `\r` each
 * end a line. Raw newlines can only occur in whitespace (RFC 8259 forbids them inside strings), so
 * line tracking happens only while skipping whitespace.
 */

export const DEFAULT_MAX_DEPTH = 64;

export interface JsonSyntaxProblem {
  readonly code: 'invalid-json' | 'too-deep';
  readonly message: string;
  readonly pos: SourcePosition;
}

export interface JsonParseResult {
  /** Absent when the text is not JSON. */
  readonly value?: JsonValue;
  readonly problem?: JsonSyntaxProblem;
  /** Characters of whitespace between tokens (IAM leaves them out of a policy's size). */
  readonly whitespace: number;
  /** Whether any object anywhere has a duplicate key, so callers can skip looking when none do. */
  readonly hasDuplicates: boolean;
}

export interface JsonParseOptions {
  readonly maxDepth?: number;
}

/** Thrown inside the parser only; `parseJsonWithPositions` turns it into a result. */
class JsonSyntaxError extends Error {
  constructor(
    readonly code: JsonSyntaxProblem['code'],
    message: string,
    readonly pos: SourcePosition,
  ) {
    super(message);
  }
}

const CH_TAB = 0x09;
const CH_LF = 0x0a;
const CH_CR = 0x0d;
const CH_SPACE = 0x20;
const CH_QUOTE = 0x22;
const CH_PLUS = 0x2b;
const CH_COMMA = 0x2c;
const CH_MINUS = 0x2d;
const CH_DOT = 0x2e;
const CH_0 = 0x30;
const CH_9 = 0x39;
const CH_COLON = 0x3a;
const CH_LBRACKET = 0x5b;
const CH_BACKSLASH = 0x5c;
const CH_RBRACKET = 0x5d;
const CH_LBRACE = 0x7b;
const CH_RBRACE = 0x7d;
const CH_BOM = 0xfeff;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    '"': '"',
    '\\': '\\',
    '/': '/',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
  }),
);

/** Keys in objects at most this big are checked for duplicates by scanning; larger ones use a Set. */
const LINEAR_DUPLICATE_SCAN_LIMIT = 12;

class Parser {
  private index = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  whitespace = 0;
  hasDuplicates = false;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonValue {
    // RFC 8259 §8.1 lets parsers ignore a leading byte order mark; editors on Windows write one.
    if (this.text.charCodeAt(0) === CH_BOM) {
      this.index = 1;
      this.lineStart = 1;
      this.whitespace++;
    }
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.index < this.text.length) {
      throw this.error(`Unexpected ${this.describeHere()} after the end of the JSON value`);
    }
    return value;
  }

  private position(): SourcePosition {
    return { line: this.line, column: this.index - this.lineStart + 1, offset: this.index };
  }

  private error(message: string, code: JsonSyntaxProblem['code'] = 'invalid-json'): JsonSyntaxError {
    return new JsonSyntaxError(code, message, this.position());
  }

  private describeHere(): string {
    if (this.index >= this.text.length) return 'end of text';
    const ch = this.text[this.index] ?? '';
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0')}`;
    return `'${ch}'`;
  }

  private skipWhitespace(): void {
    const text = this.text;
    const start = this.index;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === CH_SPACE || c === CH_TAB) {
        i++;
      } else if (c === CH_LF) {
        i++;
        this.line++;
        this.lineStart = i;
      } else if (c === CH_CR) {
        i++;
        if (text.charCodeAt(i) !== CH_LF) {
          this.line++;
          this.lineStart = i;
        }
      } else {
        break;
      }
    }
    this.whitespace += i - start;
    this.index = i;
  }

  private parseValue(): JsonValue {
    const c = this.text.charCodeAt(this.index);
    if (c === CH_LBRACE) return this.parseObject();
    if (c === CH_LBRACKET) return this.parseArray();
    if (c === CH_QUOTE) {
      const pos = this.position();
      return { kind: 'string', value: this.parseString(), pos };
    }
    if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) return this.parseNumber();
    if (this.text.startsWith('true', this.index)) return this.literal(4, { kind: 'boolean', value: true });
    if (this.text.startsWith('false', this.index)) return this.literal(5, { kind: 'boolean', value: false });
    if (this.text.startsWith('null', this.index)) return this.literal(4, { kind: 'null' });
    throw this.error(`Expected a JSON value but found ${this.describeHere()}`);
  }

  private literal<T extends object>(length: number, value: T): T & { pos: SourcePosition } {
    const pos = this.position();
    this.index += length;
    return { ...value, pos };
  }

  private enter(): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw this.error(`JSON is nested more than ${this.maxDepth} levels deep`, 'too-deep');
    }
  }

  private parseObject(): JsonObject {
    const pos = this.position();
    this.enter();
    this.index++; // {
    const entries: JsonEntry[] = [];
    let duplicateKeys: string[] | undefined;
    let keySet: Set<string> | undefined;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.index) === CH_RBRACE) {
      this.index++;
      this.depth--;
      return { kind: 'object', entries, duplicateKeys: [], pos };
    }
    for (;;) {
      if (this.text.charCodeAt(this.index) !== CH_QUOTE) {
        throw this.error(`Expected a property name in double quotes but found ${this.describeHere()}`);
      }
      const keyPos = this.position();
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.index) !== CH_COLON) {
        throw this.error(`Expected ':' after property name but found ${this.describeHere()}`);
      }
      this.index++;
      this.skipWhitespace();
      const value = this.parseValue();

      let duplicate = false;
      if (keySet !== undefined) {
        duplicate = keySet.has(key);
        keySet.add(key);
      } else {
        for (const entry of entries) {
          if (entry.key === key) {
            duplicate = true;
            break;
          }
        }
        if (entries.length >= LINEAR_DUPLICATE_SCAN_LIMIT) {
          keySet = new Set(entries.map((entry) => entry.key));
          keySet.add(key);
        }
      }
      if (duplicate) {
        duplicateKeys ??= [];
        if (!duplicateKeys.includes(key)) duplicateKeys.push(key);
        this.hasDuplicates = true;
      }
      entries.push({ key, keyPos, value });

      this.skipWhitespace();
      const c = this.text.charCodeAt(this.index);
      if (c === CH_COMMA) {
        this.index++;
        this.skipWhitespace();
        continue;
      }
      if (c === CH_RBRACE) {
        this.index++;
        this.depth--;
        return { kind: 'object', entries, duplicateKeys: duplicateKeys ?? [], pos };
      }
      throw this.error(`Expected ',' or '}' after property value but found ${this.describeHere()}`);
    }
  }

  private parseArray(): JsonArray {
    const pos = this.position();
    this.enter();
    this.index++; // [
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.index) === CH_RBRACKET) {
      this.index++;
      this.depth--;
      return { kind: 'array', items, pos };
    }
    for (;;) {
      items.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.index);
      if (c === CH_COMMA) {
        this.index++;
        this.skipWhitespace();
        continue;
      }
      if (c === CH_RBRACKET) {
        this.index++;
        this.depth--;
        return { kind: 'array', items, pos };
      }
      throw this.error(`Expected ',' or ']' after array element but found ${this.describeHere()}`);
    }
  }

  /** Parses the string starting at the opening quote; leaves `index` after the closing quote. */
  private parseString(): string {
    const text = this.text;
    this.index++; // opening quote
    let chunkStart = this.index;
    let out = '';
    for (;;) {
      const c = text.charCodeAt(this.index);
      if (c === CH_QUOTE) {
        out += text.slice(chunkStart, this.index);
        this.index++;
        return out;
      }
      if (c === CH_BACKSLASH) {
        out += text.slice(chunkStart, this.index);
        out += this.parseEscape();
        chunkStart = this.index;
        continue;
      }
      if (Number.isNaN(c)) throw this.error("Unterminated string: expected a closing '\"'");
      if (c < CH_SPACE) {
        throw this.error(
          `Unescaped control character U+${c.toString(16).padStart(4, '0')} in string (escape it, e.g. \\n)`,
        );
      }
      this.index++;
    }
  }

  private parseEscape(): string {
    const next = this.text[this.index + 1];
    if (next === undefined) {
      this.index++;
      throw this.error("Unterminated string: expected a closing '\"'");
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      this.index += 2;
      return simple;
    }
    if (next === 'u') {
      const hex = this.text.slice(this.index + 2, this.index + 6);
      if (hex.length === 4 && isHex4(hex)) {
        this.index += 6;
        // Lone surrogates are allowed by the RFC 8259 grammar; they are kept as UTF-16 code units.
        return String.fromCharCode(Number.parseInt(hex, 16));
      }
      throw this.error('Invalid \\u escape: expected four hexadecimal digits');
    }
    throw this.error(`Invalid escape '\\${next}' in string`);
  }

  private parseNumber(): JsonValue {
    const text = this.text;
    const pos = this.position();
    const start = this.index;
    let i = start;
    if (text.charCodeAt(i) === CH_MINUS) i++;
    const firstDigit = text.charCodeAt(i);
    if (firstDigit === CH_0) {
      i++;
    } else if (firstDigit > CH_0 && firstDigit <= CH_9) {
      while (isDigit(text.charCodeAt(i))) i++;
    } else {
      this.index = i;
      throw this.error(`Expected a digit but found ${this.describeHere()}`);
    }
    if (text.charCodeAt(i) === CH_DOT) {
      i++;
      if (!isDigit(text.charCodeAt(i))) {
        this.index = i;
        throw this.error(`Expected a digit after the decimal point but found ${this.describeHere()}`);
      }
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === CH_PLUS || sign === CH_MINUS) i++;
      if (!isDigit(text.charCodeAt(i))) {
        this.index = i;
        throw this.error(`Expected a digit in the exponent but found ${this.describeHere()}`);
      }
      while (isDigit(text.charCodeAt(i))) i++;
    }
    this.index = i;
    return { kind: 'number', raw: text.slice(start, i), pos };
  }
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isHex4(s: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    const hex = (c >= CH_0 && c <= CH_9) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!hex) return false;
  }
  return true;
}

/** Parses JSON text. Never throws: syntax errors come back as `problem`. */
export function parseJsonWithPositions(text: string, options: JsonParseOptions = {}): JsonParseResult {
  const parser = new Parser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  try {
    const value = parser.parseDocument();
    return { value, whitespace: parser.whitespace, hasDuplicates: parser.hasDuplicates };
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return {
        problem: { code: error.code, message: error.message, pos: error.pos },
        whitespace: parser.whitespace,
        hasDuplicates: parser.hasDuplicates,
      };
    }
    // A RangeError from the engine (e.g. string too long) is still bad input, not a bug to surface.
    return {
      problem: {
        code: 'invalid-json',
        message: `Could not parse JSON: ${describeError(error)}`,
        pos: { line: 1, column: 1, offset: 0 },
      },
      whitespace: parser.whitespace,
      hasDuplicates: parser.hasDuplicates,
    };
  }
}
