/**
 * A full integrity check of an index file. SQLite notices a damaged page only when a statement reads
 * it, so a query or an incremental run may never touch it; this reads every page (`PRAGMA quick_check`:
 * b-tree structure, record formats, index/table agreement) and names what it found. It costs one read of
 * the whole file, so it runs on request (`grove status --check`), never on every open.
 */
import type Database from 'better-sqlite3';
import { GroveError } from '../errors.js';

/** Enough of SQLite's findings to act on; the first one is usually the cause of the rest. */
const MAX_PROBLEMS = 10;

/** Throws INDEX_CORRUPT naming `dbPath` when any page is damaged; returns quietly when all is well. */
export function checkIntegrity(db: Database.Database, dbPath: string): void {
  const findings = db.pragma(`quick_check(${MAX_PROBLEMS})`, { simple: false }) as Array<{
    quick_check: string;
  }>;
  const problems = findings.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length === 0) return;
  throw new GroveError('INDEX_CORRUPT', `Index ${dbPath} is corrupt: ${problems.join('; ')}`, {
    path: dbPath,
    problems,
  });
}
