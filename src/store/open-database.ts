/**
 * Opens the SQLite file of an index with grove's pragmas and maps every opening failure to a
 * GroveError that names the file.
 */
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { GroveError } from '../errors.js';
import { prepareSchema } from './migrations.js';
import { toStoreError } from './store-error.js';

/**
 * Required, not imported: importing a CommonJS package from ESM first lexes its sources for named exports,
 * a cost every command pays at startup (~5 ms of an unchanged kernel re-run's ~0.6 s, with `ignore`).
 */
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

/** The page cache SQLite may hold: grove runs under a hard memory budget (256 MiB for everything). */
export const DEFAULT_CACHE_KIB = 16 * 1024;

/**
 * Page size of new indexes: 8 KiB pages made chunk + FTS inserts ~25% cheaper in CPU than 4 KiB on
 * kernel C, and the file ~8% smaller. Only takes effect before the first table is created.
 */
const PAGE_SIZE = 8192;

/** How long a statement waits for another connection's lock before failing with INDEX_LOCKED. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Fault injection for tests of a full disk, across a process boundary: caps the database at this many
 * pages (`PRAGMA max_page_count`), so a write that needs more fails with SQLite's own SQLITE_FULL, the
 * error a full disk gives. Creating a small file system needs root; this needs nothing.
 */
const MAX_PAGES_ENV = 'GROVE_FAULT_MAX_DB_PAGES';

/** After a checkpoint the WAL file is truncated to this size, so one bulk run does not leave GBs behind. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface OpenOptions {
  /** Open for reading only; the file must exist. Default false. */
  readonly?: boolean;
  /** Create the file (and its directory) when missing. Default: true unless readonly. */
  create?: boolean;
  /** SQLite page cache size in KiB. Default 16 MiB. */
  cacheKiB?: number;
}

export interface OpenedDatabase {
  db: BetterSqlite3.Database;
  schemaVersion: number;
}

/**
 * Opens (creating or migrating when allowed) the index database at `dbPath`.
 * Throws GroveError INDEX_NOT_FOUND, INDEX_CORRUPT, INDEX_SCHEMA_NEWER, INDEX_LOCKED, DISK_FULL or IO_ERROR.
 */
export function openDatabase(dbPath: string, options: OpenOptions = {}): OpenedDatabase {
  const readonly = options.readonly ?? false;
  const create = !readonly && (options.create ?? true);
  if (!existsSync(dbPath)) {
    if (!create) {
      throw new GroveError('INDEX_NOT_FOUND', `No index at ${dbPath}.`, { path: dbPath });
    }
    try {
      mkdirSync(dirname(dbPath), { recursive: true });
      createAtomically(dbPath, options.cacheKiB ?? DEFAULT_CACHE_KIB);
    } catch (error) {
      throw toStoreError(error, dbPath);
    }
  }

  let db: BetterSqlite3.Database;
  try {
    db = new Database(dbPath, { readonly, fileMustExist: !create });
  } catch (error) {
    throw toStoreError(error, dbPath);
  }
  try {
    applyPragmas(db, readonly, options.cacheKiB ?? DEFAULT_CACHE_KIB);
    const schemaVersion = prepareSchema(db, dbPath, readonly);
    return { db, schemaVersion };
  } catch (error) {
    db.close();
    throw toStoreError(error, dbPath);
  }
}

/**
 * A new index appears whole or not at all: its schema is written into a private file that is then linked
 * into place. Created in place, a kill between SQLite creating the file and committing the schema would
 * leave an empty file that no reader can open. Linking never replaces an index another process created
 * meanwhile.
 */
function createAtomically(dbPath: string, cacheKiB: number): void {
  const draft = `${dbPath}.creating-${process.pid}`;
  rmSync(draft, { force: true });
  const db = new Database(draft);
  try {
    applyPragmas(db, false, cacheKiB);
    prepareSchema(db, dbPath, false);
  } finally {
    db.close(); // checkpoints: the draft's WAL is folded into it and removed
  }
  try {
    linkSync(draft, dbPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    // A file system without hard links: a rename is atomic too, only not exclusive.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    if (!existsSync(dbPath)) renameSync(draft, dbPath);
  } finally {
    rmSync(draft, { force: true });
  }
}

function applyPragmas(db: BetterSqlite3.Database, readonly: boolean, cacheKiB: number): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Reading the header first: a garbage file fails here with SQLITE_NOTADB, before anything is written.
  db.pragma('schema_version');
  if (!readonly) {
    db.pragma(`page_size = ${PAGE_SIZE}`);
    // WAL: readers (queries, the daemon) never block the one writer, and a crash never tears the file.
    db.pragma('journal_mode = WAL');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  }
  // NORMAL in WAL mode is still crash-consistent; only the last commits may be lost on power loss.
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = ${-Math.max(1024, Math.floor(cacheKiB))}`);
  // mmap would count the whole file against RSS; temp b-trees (sorts) go to disk, not memory.
  db.pragma('mmap_size = 0');
  db.pragma('temp_store = FILE');
  const maxPages = Number(process.env[MAX_PAGES_ENV]);
  if (!readonly && Number.isSafeInteger(maxPages) && maxPages > 0) db.pragma(`max_page_count = ${maxPages}`);
}
