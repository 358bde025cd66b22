/**
 * Finds the index a query command should open: `--index DIR`, else `$GROVE_INDEX_DIR`, else the nearest
 * `.grove/index.db` from the working directory upwards (like git finds `.git`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { indexDbPath } from '../config/resolve-config.js';
import { GroveError } from '../errors.js';

/** The index directory (holding index.db) a query command should open; see locateIndexDb. */
export function locateIndexDir(cwd: string, indexDir?: string): string {
  return dirname(locateIndexDb(cwd, indexDir));
}

export function locateIndexDb(cwd: string, indexDir?: string): string {
  const explicit = indexDir ?? process.env.GROVE_INDEX_DIR;
  if (explicit) return indexDbPath(resolve(cwd, explicit));
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, '.grove', 'index.db');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new GroveError('INDEX_NOT_FOUND', `no grove index in ${cwd} or any parent directory`);
}
