import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** The file `leastpriv audit` reads from the working directory when `--config` is not given. */
export const CONFIG_FILE_NAMES = ['.leastpriv.yaml', '.leastpriv.yml'] as const;

/**
 * The configuration file in `cwd`, if there is one. Kept apart from the parser so a run without a
 * configuration does not load the YAML parser and the schema validator (about 110 ms).
 */
export async function findConfigFile(cwd: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(cwd, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}
