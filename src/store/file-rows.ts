/**
 * The `files` table: one row per path the walk found, whatever became of it.
 */
import type Database from 'better-sqlite3';
import { isErrorCode, type SerializedError } from '../errors.js';
import type { FileRecord, FileState } from '../model.js';

/** Rows fetched per page by `iterateFiles`: bounds memory, and no statement stays open between pages. */
const FILES_PAGE_SIZE = 1_000;

export interface FileRow {
  path: string;
  size: number;
  mtime_ms: number;
  ino: number;
  dev: number;
  hash: string | null;
  language: string | null;
  state: string;
  reason: string;
  error_code: string | null;
  error_message: string | null;
  error_details: string | null;
  extractor: string | null;
}

/** Named parameters for the files upsert (see `index-writer.ts`). */
export function fileParams(
  file: FileRecord,
  counts: { symbols: number; refs: number; chunks: number },
): Record<string, unknown> {
  return {
    path: file.path,
    size: file.size,
    mtime_ms: file.mtimeMs,
    ino: file.ino,
    dev: file.dev,
    hash: file.hash,
    language: file.language,
    state: file.state,
    reason: file.reason,
    error_code: file.error?.code ?? null,
    error_message: file.error?.message ?? null,
    error_details: file.error?.details === undefined ? null : JSON.stringify(file.error.details),
    symbol_count: counts.symbols,
    ref_count: counts.refs,
    chunk_count: counts.chunks,
    updated_at: Date.now(),
    extractor: file.extractor ?? null,
  };
}

function errorOf(row: FileRow): SerializedError | null {
  if (row.error_code === null) return null;
  const error: SerializedError = {
    code: isErrorCode(row.error_code) ? row.error_code : 'INTERNAL',
    message: row.error_message ?? '',
  };
  if (row.error_details !== null) {
    try {
      error.details = JSON.parse(row.error_details) as Record<string, unknown>;
    } catch {
      // Details are informational; a damaged value must not make the file unreadable.
    }
  }
  return error;
}

export function toFileRecord(row: FileRow): FileRecord {
  return {
    path: row.path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    ino: row.ino,
    dev: row.dev,
    hash: row.hash,
    language: row.language,
    state: row.state as FileState,
    reason: row.reason,
    error: errorOf(row),
    extractor: row.extractor,
  };
}

const FILE_COLUMNS =
  'path, size, mtime_ms, ino, dev, hash, language, state, reason, error_code, error_message, error_details, extractor';

/**
 * Iterates all files rows in path order (SQLite BINARY, i.e. UTF-8 byte order), a page at a time.
 * Between pages no statement is open, so the caller may write to the store while iterating.
 */
export function* iterateFiles(db: Database.Database): IterableIterator<FileRecord> {
  const first = db.prepare<[number], FileRow>(`SELECT ${FILE_COLUMNS} FROM files ORDER BY path LIMIT ?`);
  const next = db.prepare<[string, number], FileRow>(
    `SELECT ${FILE_COLUMNS} FROM files WHERE path > ? ORDER BY path LIMIT ?`,
  );
  let page = first.all(FILES_PAGE_SIZE);
  while (page.length > 0) {
    for (const row of page) yield toFileRecord(row);
    const last = page[page.length - 1];
    if (last === undefined || page.length < FILES_PAGE_SIZE) return;
    page = next.all(last.path, FILES_PAGE_SIZE);
  }
}
