/**
 * The statements that write a file's rows, and the row writes themselves, for the index writer
 * (index-writer.ts), which owns the transactions around them.
 */
import type Database from 'better-sqlite3';
import type { ChunkRecord, RefRecord, SymbolRecord } from '../model.js';
import { codeTerms } from './code-terms.js';
import { CHUNK_CHANGES_KEY } from './term-stats.js';

export interface RowCounts {
  symbols: number;
  refs: number;
  chunks: number;
}

const FILE_UPSERT = `
INSERT INTO files (path, size, mtime_ms, ino, dev, hash, language, state, reason, error_code, error_message,
  error_details, symbol_count, ref_count, chunk_count, updated_at, extractor)
VALUES (@path, @size, @mtime_ms, @ino, @dev, @hash, @language, @state, @reason, @error_code, @error_message,
  @error_details, @symbol_count, @ref_count, @chunk_count, @updated_at, @extractor)
ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, ino = excluded.ino,
  dev = excluded.dev, hash = excluded.hash, language = excluded.language, state = excluded.state,
  reason = excluded.reason, error_code = excluded.error_code, error_message = excluded.error_message,
  error_details = excluded.error_details, symbol_count = excluded.symbol_count,
  ref_count = excluded.ref_count, chunk_count = excluded.chunk_count, updated_at = excluded.updated_at,
  extractor = excluded.extractor
RETURNING id`;

/** The write statements, prepared once per store: preparing per row would cost more than the inserts. */
export interface WriteStatements {
  fileId: Database.Statement<[string], number>;
  upsertFile: Database.Statement<[Record<string, unknown>], number>;
  deleteFile: Database.Statement<[number]>;
  deleteFts: Database.Statement<[number]>;
  deleteChunks: Database.Statement<[number]>;
  deleteSymbols: Database.Statement<[number]>;
  deleteRefs: Database.Statement<[number]>;
  deleteImports: Database.Statement<[number]>;
  insertSymbol: Database.Statement<[number, string, string, string, number, number, string | null]>;
  insertRef: Database.Statement<[number, string, string, string]>;
  insertImport: Database.Statement<[number, number, string, number]>;
  insertChunk: Database.Statement<[number, number, number, string, string | null, string]>;
  insertFts: Database.Statement<[number | bigint, string, string]>;
  setMeta: Database.Statement<[string, string]>;
  dropStatus: Database.Statement<[string]>;
  countChunkChanges: Database.Statement<[string, number]>;
}

export function prepareWriteStatements(db: Database.Database): WriteStatements {
  return {
    fileId: db.prepare<[string], number>('SELECT id FROM files WHERE path = ?').pluck(),
    upsertFile: db.prepare<[Record<string, unknown>], number>(FILE_UPSERT).pluck(),
    deleteFile: db.prepare<[number]>('DELETE FROM files WHERE id = ?'),
    deleteFts: db.prepare<[number]>(
      'DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE file_id = ?)',
    ),
    deleteChunks: db.prepare<[number]>('DELETE FROM chunks WHERE file_id = ?'),
    deleteSymbols: db.prepare<[number]>('DELETE FROM symbols WHERE file_id = ?'),
    deleteRefs: db.prepare<[number]>('DELETE FROM refs WHERE file_id = ?'),
    deleteImports: db.prepare<[number]>('DELETE FROM imports WHERE file_id = ?'),
    insertSymbol: db.prepare<[number, string, string, string, number, number, string | null]>(
      'INSERT INTO symbols (file_id, name, kind, signature, start_line, end_line, parent) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertRef: db.prepare<[number, string, string, string]>(
      'INSERT INTO refs (file_id, name, kind, lines) VALUES (?, ?, ?, ?)',
    ),
    insertImport: db.prepare<[number, number, string, number]>(
      'INSERT INTO imports (file_id, seq, source, line) VALUES (?, ?, ?, ?)',
    ),
    insertChunk: db.prepare<[number, number, number, string, string | null, string]>(
      'INSERT INTO chunks (file_id, start_line, end_line, kind, symbol, text) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertFts: db.prepare<[number | bigint, string, string]>(
      'INSERT INTO chunks_fts (rowid, text, terms) VALUES (?, ?, ?)',
    ),
    setMeta: db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    dropStatus: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
    countChunkChanges: db.prepare<[string, number]>(
      `INSERT INTO meta (key, value) VALUES (?, CAST(? AS INTEGER))
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value`,
    ),
  };
}

export function insertSymbols(
  s: WriteStatements,
  fileId: number,
  symbols: ReadonlyArray<SymbolRecord>,
): void {
  const { insertSymbol } = s;
  for (const sym of symbols) {
    insertSymbol.run(fileId, sym.name, sym.kind, sym.signature, sym.startLine, sym.endLine, sym.parent);
  }
}

/** One row per (name, kind) with all its lines: see the schema comment in `migrations.ts`. */
export function insertRefs(s: WriteStatements, fileId: number, refs: ReadonlyArray<RefRecord>): void {
  const grouped = new Map<string, { name: string; kind: string; lines: string }>();
  for (const ref of refs) {
    const key = `${ref.kind}\0${ref.name}`;
    const group = grouped.get(key);
    if (group === undefined) grouped.set(key, { name: ref.name, kind: ref.kind, lines: String(ref.line) });
    else group.lines += `,${ref.line}`;
  }
  const { insertRef } = s;
  for (const g of grouped.values()) insertRef.run(fileId, g.name, g.kind, g.lines);
}

/** A chunk's full-text entry, waiting to be inserted (see `insertChunks`). */
export interface FtsRow {
  rowid: number | bigint;
  text: string;
}

/**
 * Inserts the chunks; their full-text entries go into `ftsRows` when given (written later by
 * `insertFtsRows`), else at once.
 */
export function insertChunks(
  s: WriteStatements,
  fileId: number,
  chunks: ReadonlyArray<ChunkRecord>,
  ftsRows?: FtsRow[],
): void {
  const { insertChunk } = s;
  if (chunks.length > 0) s.countChunkChanges.run(CHUNK_CHANGES_KEY, chunks.length);
  for (const c of chunks) {
    const { lastInsertRowid } = insertChunk.run(fileId, c.startLine, c.endLine, c.kind, c.symbol, c.text);
    if (ftsRows) ftsRows.push({ rowid: lastInsertRowid, text: c.text });
    else s.insertFts.run(lastInsertRowid, c.text, codeTerms(c.text));
  }
}

/**
 * Writes full-text entries held back by `insertChunks`. FTS5 keeps new entries in memory and writes them
 * out as a new segment whenever a statement opens a savepoint, as the files row's upsert (`RETURNING id`)
 * does: with each file's entries inserted among its other rows, every file became its own segment, and writing and merging those cost more than all the other inserts. Inserted after everything
 * else in the transaction, a batch's entries become one segment (a 1,000-file replay wrote in 1.45-1.69 s
 * instead of 2.0-2.25 s).
 */
export function insertFtsRows(s: WriteStatements, rows: ReadonlyArray<FtsRow>): void {
  const { insertFts } = s;
  for (const row of rows) insertFts.run(row.rowid, row.text, codeTerms(row.text));
}

/** Deletes a file's rows, FTS entries first (they are found through `chunks`). */
export function deleteFileRows(s: WriteStatements, fileId: number): void {
  s.deleteFts.run(fileId);
  const { changes } = s.deleteChunks.run(fileId);
  // Term statistics are counted again once enough chunks changed (term-stats.ts).
  if (changes > 0) s.countChunkChanges.run(CHUNK_CHANGES_KEY, changes);
  s.deleteSymbols.run(fileId);
  s.deleteRefs.run(fileId);
  s.deleteImports.run(fileId);
}
