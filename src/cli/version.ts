import { readFileSync } from 'node:fs';

// Read once from package.json so `--version`, SARIF and JSON reports never disagree with the release.
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
