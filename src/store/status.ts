/**
 * Index health from the files table alone: per-file row counts are kept on each files row, so status
 * stays fast on an index with tens of millions of refs.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

export interface IndexStatus {
  files: { indexed: number; textOnly: number; skipped: number; failed: number };
  symbols: number;
  chunks: number;
  refs: number;
  /** Files per language, among indexed and text-only files. */
  languages: Record<string, number>;
  schemaVersion: number;
  /** Size on disk of the database and its write-ahead log. */
  dbBytes: number;
  /** Files per `state:reason`, e.g. `"skipped:binary": 3`. */
  reasons: Record<string, number>;
}

interface StateRow {
  state: string;
  reason: string;
  files: number;
  symbols: number;
  refs: number;
  chunks: number;
}

const STATE_KEYS: Record<string, keyof IndexStatus['files']> = {
  indexed: 'indexed',
  'text-only': 'textOnly',
  skipped: 'skipped',
  failed: 'failed',
};

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // the WAL does not exist after a clean close
  }
}

/** Creates the status reader over an open index database. */
export function createStatus(db: Database.Database, dbPath: string, schemaVersion: number) {
  const byState = db.prepare<[], StateRow>(
    `SELECT state, reason, count(*) AS files, sum(symbol_count) AS symbols, sum(ref_count) AS refs,
       sum(chunk_count) AS chunks
     FROM files GROUP BY state, reason`,
  );
  const byLanguage = db.prepare<[], { language: string; files: number }>(
    `SELECT language, count(*) AS files FROM files
     WHERE language IS NOT NULL AND state IN ('indexed', 'text-only') GROUP BY language ORDER BY language`,
  );
  return function status(): IndexStatus {
    const result: IndexStatus = {
      files: { indexed: 0, textOnly: 0, skipped: 0, failed: 0 },
      symbols: 0,
      chunks: 0,
      refs: 0,
      languages: {},
      schemaVersion,
      dbBytes: fileBytes(dbPath) + fileBytes(`${dbPath}-wal`),
      reasons: {},
    };
    for (const row of byState.all()) {
      const key = STATE_KEYS[row.state];
      if (key !== undefined) result.files[key] += row.files;
      result.symbols += row.symbols;
      result.refs += row.refs;
      result.chunks += row.chunks;
      result.reasons[`${row.state}:${row.reason}`] = row.files;
    }
    for (const row of byLanguage.all()) result.languages[row.language] = row.files;
    return result;
  };
}
