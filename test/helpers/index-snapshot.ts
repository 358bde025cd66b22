/**
 * Everything an index says about a tree, independent of row ids and timestamps: two indexes with equal
 * snapshots answer every query the same way (ranks aside: a partial link keeps them on big indexes). Used
 * to compare resumed or incremental runs with clean ones.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface IndexSnapshot {
  files: string[];
  symbols: string[];
  refs: string[];
  imports: string[];
  chunks: string[];
  fts: number;
  /** The linked graph: resolved imports and user -> definer edges (weights rounded: float sums). */
  fileImports: string[];
  fileDeps: string[];
  /** The schema's indexes: a first build defers some and must end with all of them. */
  indexes: string[];
}

export async function indexSnapshot(indexDir: string): Promise<IndexSnapshot> {
  const db = new Database(join(indexDir, 'index.db'), { readonly: true });
  try {
    const rows = (sql: string) =>
      (db.prepare(sql).raw().all() as unknown[][]).map((row) => JSON.stringify(row));
    return {
      files: rows(
        'SELECT path, size, hash, language, state, reason, error_code, extractor FROM files ORDER BY path',
      ),
      symbols: rows(
        'SELECT f.path, s.name, s.kind, s.signature, s.start_line, s.end_line, s.parent FROM symbols s JOIN files f ON f.id = s.file_id ORDER BY 1, 5, 2, 3',
      ),
      refs: rows(
        'SELECT f.path, r.name, r.kind, r.lines FROM refs r JOIN files f ON f.id = r.file_id ORDER BY 1, 2, 3',
      ),
      imports: rows(
        'SELECT f.path, i.seq, i.source, i.line FROM imports i JOIN files f ON f.id = i.file_id ORDER BY 1, 2',
      ),
      chunks: rows(
        'SELECT f.path, c.start_line, c.end_line, c.kind, c.symbol, c.text FROM chunks c JOIN files f ON f.id = c.file_id ORDER BY 1, 2, 3',
      ),
      // Every chunk must be findable: the FTS table holds exactly one row per chunk.
      fts: Number(db.prepare('SELECT count(*) FROM chunks_fts').pluck().get()),
      fileImports: rows(
        'SELECT s.path, d.path FROM file_imports e JOIN files s ON s.id = e.src JOIN files d ON d.id = e.dst ORDER BY 1, 2',
      ),
      fileDeps: rows(
        'SELECT s.path, d.path, round(e.weight, 9), e.names FROM file_deps e JOIN files s ON s.id = e.src JOIN files d ON d.id = e.dst ORDER BY 1, 2',
      ),
      indexes: rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
      ),
    };
  } finally {
    db.close();
  }
}
