/**
 * Translates SQLite failures into grove's error codes, by SQLite's result code (never by message text),
 * so that callers can tell a damaged index from a full disk from a second writer.
 */
import { type ErrorCode, GroveError, toGroveError } from '../errors.js';

interface CodedError {
  code?: unknown;
  message?: unknown;
}

/** The SQLite primary result code of an error thrown by better-sqlite3 (`SQLITE_IOERR_WRITE` -> `SQLITE_IOERR`). */
function sqliteCode(error: unknown): string | null {
  const code = (error as CodedError | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const extended = code.indexOf('_', 'SQLITE_'.length);
  return extended < 0 ? code : code.slice(0, extended);
}

const BY_SQLITE_CODE: Record<string, { code: ErrorCode; what: string }> = {
  SQLITE_NOTADB: { code: 'INDEX_CORRUPT', what: 'is not a grove index (not a SQLite database)' },
  SQLITE_CORRUPT: { code: 'INDEX_CORRUPT', what: 'is corrupt' },
  SQLITE_FULL: { code: 'DISK_FULL', what: 'could not be written: the disk is full' },
  SQLITE_BUSY: { code: 'INDEX_LOCKED', what: 'is locked by another writer' },
  SQLITE_LOCKED: { code: 'INDEX_LOCKED', what: 'is locked by another writer' },
  SQLITE_READONLY: { code: 'IO_ERROR', what: 'is read-only here (check permissions of the index directory)' },
  SQLITE_CANTOPEN: { code: 'IO_ERROR', what: 'could not be opened' },
  SQLITE_IOERR: { code: 'IO_ERROR', what: 'had an I/O error' },
  SQLITE_PERM: { code: 'IO_ERROR', what: 'is not accessible (permissions)' },
};

/**
 * Maps anything thrown while using the index at `dbPath` to a GroveError whose message names the file.
 * GroveErrors pass through unchanged; errors with a Node errno go through `toGroveError`.
 */
export function toStoreError(error: unknown, dbPath: string): GroveError {
  if (error instanceof GroveError) return error;
  const sqlite = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (sqlite !== null) {
    const known = BY_SQLITE_CODE[sqlite];
    const code = known?.code ?? 'INTERNAL';
    const what = known?.what ?? 'failed';
    const details = { path: dbPath, sqliteCode: (error as CodedError).code };
    return new GroveError(code, `Index ${dbPath} ${what}: ${message}`, details, { cause: error });
  }
  return toGroveError(error, { path: dbPath });
}

/** Runs `fn`, rethrowing any failure as a GroveError about the index at `dbPath`. */
export function guarded<T>(dbPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStoreError(error, dbPath);
  }
}
