/**
 * The indexes ordered by name (symbols, refs, import sources) are the costly part of a first build:
 * rows arrive in file order, so every insert lands on a random page of each index, and with a bounded
 * page cache most of those pages are read back from disk. Into an empty index they are built once at the
 * end instead, by a sort: replaying the kernel's 8.7M rows took 73 s of wall (46 s of CPU) with the
 * indexes kept up to date and 31 s (30 s) with them built afterwards.
 *
 * While they are missing, queries stay correct (scans instead of seeks). A run that dies before building
 * them leaves them missing; the next writer to open the index builds them (`ensureNameIndexes`).
 */
import type Database from 'better-sqlite3';

/** The latest definitions (see migrations.ts, which created them). */
const NAME_INDEXES: ReadonlyArray<{ name: string; create: string }> = [
  { name: 'symbols_name', create: 'CREATE INDEX symbols_name ON symbols (name, file_id, kind)' },
  { name: 'refs_name', create: 'CREATE INDEX refs_name ON refs (name)' },
  { name: 'imports_source', create: 'CREATE INDEX imports_source ON imports (source)' },
];

/**
 * Sorter threads for building them: the parse workers are gone by then, and SQLite's merge sort splits
 * across threads.
 */
const SORT_THREADS = 2;

function presentNames(db: Database.Database): Set<string> {
  const rows = db
    .prepare<[], string>(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('symbols', 'refs', 'imports')",
    )
    .pluck()
    .all();
  return new Set(rows);
}

/**
 * Drops the name indexes when the index holds no files yet (a first build or `--full`); returns whether
 * it did. A non-empty index keeps them: an incremental run writes few rows.
 */
export function deferNameIndexes(db: Database.Database): boolean {
  const empty = db.prepare('SELECT 1 FROM files LIMIT 1').get() === undefined;
  if (!empty) return false;
  const present = presentNames(db);
  const drops = NAME_INDEXES.filter((index) => present.has(index.name)).map(
    (index) => `DROP INDEX ${index.name};`,
  );
  if (drops.length > 0) db.exec(drops.join('\n'));
  return true;
}

/** Builds the name indexes that are missing; returns how many it built. */
export function ensureNameIndexes(db: Database.Database): number {
  const present = presentNames(db);
  const missing = NAME_INDEXES.filter((index) => !present.has(index.name));
  if (missing.length === 0) return 0;
  const threads = db.pragma('threads', { simple: true }) as number;
  db.pragma(`threads = ${SORT_THREADS}`);
  try {
    db.transaction(() => {
      for (const index of missing) db.exec(index.create);
    }).immediate();
  } finally {
    db.pragma(`threads = ${threads}`);
  }
  return missing.length;
}
