/**
 * Index health from the files table alone: per-file row counts are kept on each files row, so status
 * stays fast on an index with tens of millions of refs. The counts are also kept in `meta` (key
 * `STATUS_CACHE_KEY`): every write transaction that can change them deletes that row (`index-writer.ts`),
 * so a cached value is always the committed truth, and a re-run that wrote nothing does not scan the
 * table again (~70 ms of a ~1 s unchanged kernel re-run).
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

/** The meta row holding the counts of the last `status()` of a writable store; see the module comment. */
export const STATUS_CACHE_KEY = 'status';

/** What the cache holds: everything but what is read from the file system or the connection. */
type CachedCounts = Omit<IndexStatus, 'schemaVersion' | 'dbBytes'>;

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

/**
 * Creates the status reader over an open index database. A writable store also saves what it computed
 * (`writable`), for the next status to read.
 */
export function createStatus(
  db: Database.Database,
  dbPath: string,
  schemaVersion: number,
  writable: boolean,
) {
  const byState = db.prepare<[], StateRow>(
    `SELECT state, reason, count(*) AS files, sum(symbol_count) AS symbols, sum(ref_count) AS refs,
       sum(chunk_count) AS chunks
     FROM files GROUP BY state, reason`,
  );
  const byLanguage = db.prepare<[], { language: string; files: number }>(
    `SELECT language, count(*) AS files FROM files
     WHERE language IS NOT NULL AND state IN ('indexed', 'text-only') GROUP BY language ORDER BY language`,
  );
  const readCache = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const writeCache = writable
    ? db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
    : null;
  const counts = (): CachedCounts => {
    const cached = parseCounts(readCache.get(STATUS_CACHE_KEY));
    if (cached !== null) return cached;
    const computed = countFiles();
    writeCache?.run(STATUS_CACHE_KEY, JSON.stringify(computed));
    return computed;
  };
  const countFiles = (): CachedCounts => {
    const result: CachedCounts = {
      files: { indexed: 0, textOnly: 0, skipped: 0, failed: 0 },
      symbols: 0,
      chunks: 0,
      refs: 0,
      languages: {},
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
  return function status(): IndexStatus {
    return { ...counts(), schemaVersion, dbBytes: fileBytes(dbPath) + fileBytes(`${dbPath}-wal`) };
  };
}

/** The cached counts, or null when absent or not in the expected shape (then they are recounted). */
function parseCounts(json: string | undefined): CachedCounts | null {
  if (json === undefined) return null;
  try {
    const value = JSON.parse(json) as Partial<CachedCounts> | null;
    const complete =
      typeof value?.files?.indexed === 'number' &&
      typeof value.symbols === 'number' &&
      typeof value.chunks === 'number' &&
      typeof value.refs === 'number' &&
      typeof value.languages === 'object' &&
      typeof value.reasons === 'object';
    return complete ? (value as CachedCounts) : null;
  } catch {
    return null;
  }
}
