/**
 * The index schema and its versions. `PRAGMA user_version` holds the schema version and
 * `PRAGMA application_id` marks the file as a grove index, so a foreign SQLite file is refused
 * instead of being written into.
 *
 * Layout choices, for insert speed on millions of rows (the Linux kernel has tens of millions of refs):
 * - refs and imports are WITHOUT ROWID tables keyed by file_id first: rows of one file are contiguous,
 *   so deleting a file is a range delete and needs no separate file_id index (one b-tree less to
 *   update per row).
 * - refs hold one row per (file, name, kind) with all its line numbers in `lines`: on kernel C that is
 *   3.4x fewer rows than one per reference, and ref inserts got 3x faster (the b-tree work per row,
 *   not the JS call, is the cost).
 * - chunk text is stored once, in `chunks`; the FTS5 table is contentless (`content=''`) with
 *   `contentless_delete=1` so that re-indexing a file can delete its old entries. Snippets come from
 *   `chunks.text`.
 * - per-file row counts live on the files row so that status never counts big tables.
 */
import type Database from 'better-sqlite3';
import { GroveError } from '../errors.js';
import { STATUS_CACHE_KEY } from './status.js';

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 4;

/** 'grov' in ASCII: marks a SQLite file as a grove index. */
export const APPLICATION_ID = 0x67726f76;

const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  ino INTEGER NOT NULL,
  dev INTEGER NOT NULL,
  hash TEXT,
  language TEXT,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  error_details TEXT,
  symbol_count INTEGER NOT NULL DEFAULT 0,
  ref_count INTEGER NOT NULL DEFAULT 0,
  chunk_count INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

CREATE TABLE symbols (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  signature TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  parent TEXT
);
CREATE INDEX symbols_name ON symbols (name);
CREATE INDEX symbols_file ON symbols (file_id);

-- lines: the comma-separated line numbers of the references, in extraction order.
CREATE TABLE refs (
  file_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  lines TEXT NOT NULL,
  PRIMARY KEY (file_id, name, kind)
) WITHOUT ROWID;
CREATE INDEX refs_name ON refs (name);

CREATE TABLE imports (
  file_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  source TEXT NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY (file_id, seq)
) WITHOUT ROWID;
CREATE INDEX imports_source ON imports (source);

CREATE TABLE chunks (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  kind TEXT NOT NULL,
  symbol TEXT,
  text TEXT NOT NULL
);
CREATE INDEX chunks_file ON chunks (file_id);

CREATE VIRTUAL TABLE chunks_fts USING fts5 (
  text,
  terms,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 tokenchars '_'"
);
`;

/**
 * v2: incremental indexing. `extractor` records what produced a file's rows, so a grammar or extraction
 * change redoes exactly the files it affects (v1 rows have none: all are redone once); `files_hash` finds
 * rows to reuse for identical content (renames, copies, branch switches).
 */
const V2 = `
ALTER TABLE files ADD COLUMN extractor TEXT;
CREATE INDEX files_hash ON files (hash);
`;

/**
 * v3: the reference graph (see graph-store.ts). `symbols_name` also holds `file_id` and `kind`, so finding the
 * files that define a name never touches the table (600k definer lookups on the kernel). `graph_dirty`
 * lists files written since the last link, so a crash between the write and the link loses nothing.
 * Existing rows are all marked dirty: the first run after the upgrade links the whole index.
 */
const V3 = `
DROP INDEX symbols_name;
CREATE INDEX symbols_name ON symbols (name, file_id, kind);
CREATE TABLE file_imports (src INTEGER NOT NULL, dst INTEGER NOT NULL, PRIMARY KEY (src, dst)) WITHOUT ROWID;
CREATE INDEX file_imports_dst ON file_imports (dst, src);
CREATE TABLE file_deps (
  src INTEGER NOT NULL,
  dst INTEGER NOT NULL,
  weight REAL NOT NULL,
  names INTEGER NOT NULL,
  PRIMARY KEY (src, dst)
) WITHOUT ROWID;
CREATE INDEX file_deps_dst ON file_deps (dst, src);
CREATE TABLE graph_dirty (file_id INTEGER PRIMARY KEY, names_changed INTEGER NOT NULL);
ALTER TABLE files ADD COLUMN rank REAL NOT NULL DEFAULT 0;
INSERT INTO graph_dirty (file_id, names_changed) SELECT id, 1 FROM files;
`;

/**
 * v4: the document frequencies of common tokens (term-stats.ts), so a search does not walk their doclists.
 * Empty until the next run refreshes them; searches count live meanwhile.
 */
const V4 = `
CREATE TABLE term_stats (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
`;

/** Index i upgrades a database from version i to version i + 1. */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) => db.exec(V1),
  (db) => db.exec(V2),
  (db) => db.exec(V3),
  (db) => db.exec(V4),
];

function pragmaNumber(db: Database.Database, name: string): number {
  return Number(db.pragma(name, { simple: true }));
}

/**
 * Checks that the database at `dbPath` is a grove index this code can use, creating or upgrading the
 * schema when writable. Returns the schema version. Throws INDEX_CORRUPT for a foreign file,
 * INDEX_SCHEMA_NEWER for a newer schema, INDEX_NOT_FOUND for an empty file opened read-only.
 */
export function prepareSchema(db: Database.Database, dbPath: string, readonly: boolean): number {
  const check = (): number => {
    const version = pragmaNumber(db, 'user_version');
    const appId = pragmaNumber(db, 'application_id');
    const objects = Number(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get());
    if (appId !== APPLICATION_ID && (objects > 0 || version !== 0)) {
      throw new GroveError('INDEX_CORRUPT', `${dbPath} is a SQLite database but not a grove index.`, {
        path: dbPath,
      });
    }
    if (version > SCHEMA_VERSION) {
      throw new GroveError(
        'INDEX_SCHEMA_NEWER',
        `Index ${dbPath} has schema version ${version}; this grove reads up to version ${SCHEMA_VERSION}.`,
        { path: dbPath, schemaVersion: version, supported: SCHEMA_VERSION },
      );
    }
    return version;
  };

  const found = check();
  if (found === SCHEMA_VERSION) return found;
  if (readonly) {
    if (found === 0) {
      throw new GroveError('INDEX_NOT_FOUND', `Index ${dbPath} is empty: no index was written yet.`, {
        path: dbPath,
      });
    }
    throw new GroveError(
      'INDEX_CORRUPT',
      `Index ${dbPath} has the old schema version ${found}; run \`grove index\` to upgrade it.`,
      { path: dbPath, schemaVersion: found },
    );
  }
  // IMMEDIATE takes the write lock first, so two processes creating the same index do not both migrate.
  db.transaction(() => {
    const version = check();
    for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v]?.(db);
    // Counts cached by an older schema's code may not mean what this code's status means.
    db.prepare('DELETE FROM meta WHERE key = ?').run(STATUS_CACHE_KEY);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return SCHEMA_VERSION;
}
