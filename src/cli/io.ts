import pc from 'picocolors';

/** Where a command writes. Injected so tests run commands in-process and read what they print. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Read a file argument; `-` means standard input. */
  readonly readFile: (path: string) => Promise<string>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /** Writes text made in pieces as they come (a large report is never held whole); else `writeFile` of the joined text. */
  readonly writeFileChunks?: (path: string, chunks: Iterable<string>) => Promise<void>;
  /** Colour on stdout: a terminal, and neither NO_COLOR nor a pipe, unless FORCE_COLOR. */
  readonly color: boolean;
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(io: CliIO): Colors {
  return pc.createColors(io.color);
}

export function shouldColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY && env.TERM !== 'dumb';
}
