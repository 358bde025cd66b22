/**
 * Content-addressed reuse: a file whose content (hash) and extractor version match rows already in the
 * index gets those rows instead of a parse. Same path, same content (a touch, a branch switch back):
 * only its stat columns change. Another path (a rename, a copy, a second worktree): the rows are copied.
 */
import type Database from 'better-sqlite3';
import type { KnownStat } from './known-files.js';

/** What the pipeline needs to know about a path to decide whether it must be read again, or reuse rows. */
export interface KnownFile extends KnownStat {
  hash: string | null;
}

/** How a batch item reuses existing rows instead of carrying an extraction. */
export type FileReuse = { kind: 'same' } | { kind: 'copy'; fromPath: string };

interface SourceRow {
  id: number;
  hash: string | null;
  extractor: string | null;
  state: string;
  symbol_count: number;
  ref_count: number;
  chunk_count: number;
}

export interface ChunkRow {
  start_line: number;
  end_line: number;
  kind: string;
  symbol: string | null;
  text: string;
}

/** The prepared statements of reuse, made once per store. */
export interface ReuseStatements {
  known: Database.Statement<[string], KnownFile>;
  reusable: Database.Statement<[string, string], string>;
  source: Database.Statement<[string], SourceRow>;
  touch: Database.Statement<[number, number, number, number, number, string, string, string]>;
  copySymbols: Database.Statement<[number, number]>;
  copyRefs: Database.Statement<[number, number]>;
  copyImports: Database.Statement<[number, number]>;
  chunksOf: Database.Statement<[number], ChunkRow>;
}

export function prepareReuseStatements(db: Database.Database): ReuseStatements {
  return {
    known: db.prepare<[string], KnownFile>(
      `SELECT path, size, mtime_ms AS mtimeMs, ino, dev, hash, state, reason, language, extractor
       FROM files WHERE path = ?`,
    ),
    reusable: db
      .prepare<[string, string], string>(
        "SELECT path FROM files WHERE hash = ? AND extractor = ? AND state IN ('indexed', 'text-only') LIMIT 1",
      )
      .pluck(),
    source: db.prepare<[string], SourceRow>(
      'SELECT id, hash, extractor, state, symbol_count, ref_count, chunk_count FROM files WHERE path = ?',
    ),
    touch: db.prepare<[number, number, number, number, number, string, string, string]>(
      `UPDATE files SET size = ?, mtime_ms = ?, ino = ?, dev = ?, updated_at = ?
       WHERE path = ? AND hash = ? AND extractor = ?`,
    ),
    copySymbols: db.prepare<[number, number]>(
      `INSERT INTO symbols (file_id, name, kind, signature, start_line, end_line, parent)
       SELECT ?, name, kind, signature, start_line, end_line, parent FROM symbols WHERE file_id = ? ORDER BY id`,
    ),
    copyRefs: db.prepare<[number, number]>(
      'INSERT INTO refs (file_id, name, kind, lines) SELECT ?, name, kind, lines FROM refs WHERE file_id = ?',
    ),
    copyImports: db.prepare<[number, number]>(
      'INSERT INTO imports (file_id, seq, source, line) SELECT ?, seq, source, line FROM imports WHERE file_id = ?',
    ),
    chunksOf: db.prepare<[number], ChunkRow>(
      'SELECT start_line, end_line, kind, symbol, text FROM chunks WHERE file_id = ? ORDER BY id',
    ),
  };
}

/** The rows to copy from, when `fromPath` still holds exactly the content and extractor wanted. */
export function reusableSource(
  s: ReuseStatements,
  fromPath: string,
  hash: string | null,
  extractor: string | null | undefined,
): SourceRow | undefined {
  const source = s.source.get(fromPath);
  if (!source || source.hash !== hash || source.extractor !== (extractor ?? null)) return undefined;
  return source.state === 'indexed' || source.state === 'text-only' ? source : undefined;
}
