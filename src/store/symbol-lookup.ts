/**
 * Symbol definitions by exact name or by a `*` / `?` pattern.
 */
import type Database from 'better-sqlite3';

export interface SymbolOptions {
  /** Maximum results (default 100, at most 10,000). */
  limit?: number;
  /** Only symbols of this kind (`function`, `struct`, ...). */
  kind?: string;
}

export interface SymbolResult {
  name: string;
  kind: string;
  path: string;
  line: number;
  endLine: number;
  signature: string;
  parent: string | null;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

const COLUMNS = `s.name, s.kind, f.path, s.start_line AS line, s.end_line AS endLine, s.signature, s.parent
  FROM symbols s JOIN files f ON f.id = s.file_id`;

/** Turns a `*`/`?` pattern into a SQLite GLOB, where `[` would otherwise start a character class. */
export function toSqlGlob(pattern: string): string {
  return pattern.replaceAll('[', '[[]');
}

/** Creates the symbol lookup over an open index database. */
export function createSymbolLookup(db: Database.Database) {
  // An exact name has few rows: sort them by location. A pattern can match millions: walk the name
  // index in order (no sort) so that LIMIT stops the scan early.
  const exact = db.prepare<[Record<string, unknown>], SymbolResult>(
    `SELECT ${COLUMNS} WHERE s.name = @name AND (@kind IS NULL OR s.kind = @kind)
     ORDER BY f.path, s.start_line LIMIT @limit`,
  );
  const glob = db.prepare<[Record<string, unknown>], SymbolResult>(
    `SELECT ${COLUMNS} WHERE s.name GLOB @name AND (@kind IS NULL OR s.kind = @kind)
     ORDER BY s.name, s.id LIMIT @limit`,
  );
  return function symbols(name: string, options: SymbolOptions = {}): SymbolResult[] {
    if (name === '') return [];
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
    const kind = options.kind ?? null;
    const isPattern = name.includes('*') || name.includes('?');
    return isPattern ? glob.all({ name: toSqlGlob(name), kind, limit }) : exact.all({ name, kind, limit });
  };
}
