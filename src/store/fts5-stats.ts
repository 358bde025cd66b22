/**
 * FTS5's own statistics, read from its shadow tables, so grove can compute the BM25 score FTS5 would give
 * a chunk without asking FTS5's bm25(): that function counts the documents of every query phrase by
 * walking the phrase's whole doclist on every call (~100 ns a chunk: ~30 ms for `device` on the kernel).
 *
 * Formats (fts5_storage.c / fts5_index.c): `chunks_fts_data` row 1 holds the averages record, varints
 * of the row count then the token count of each column; `chunks_fts_docsize.sz` holds one varint per
 * column, the chunk's tokens in that column. Varints are SQLite's (7 bits a byte, big-endian; a ninth
 * byte carries 8 bits).
 */
import type Database from 'better-sqlite3';

/** Decodes the SQLite varints in `bytes`. */
export function readVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let value = 0;
    let n = 0;
    for (;;) {
      const byte = bytes[i++] ?? 0;
      if (n === 8) {
        value = value * 256 + byte;
        break;
      }
      value = value * 128 + (byte & 0x7f);
      n++;
      if ((byte & 0x80) === 0 || i >= bytes.length) break;
    }
    values.push(value);
  }
  return values;
}

export interface FtsTotals {
  /** Rows in the FTS index (FTS5's N). */
  rows: number;
  /** Average tokens per row over all columns (FTS5's avgdl). */
  averageTokens: number;
}

/** Returns a reader of FTS5's row count and average row length (null when the index has no rows yet). */
export function createFtsTotals(db: Database.Database): () => FtsTotals | null {
  const averages = db.prepare<[], Uint8Array>('SELECT block FROM chunks_fts_data WHERE id = 1').pluck();
  return () => {
    const block = averages.get();
    if (block === undefined) return null;
    const [rows = 0, ...columns] = readVarints(block);
    const tokens = columns.reduce((a, b) => a + b, 0);
    return rows > 0 ? { rows, averageTokens: tokens / rows } : null;
  };
}

/** Reads FTS5's row count and average row length once; null when the index has no rows yet. */
export function readFtsTotals(db: Database.Database): FtsTotals | null {
  return createFtsTotals(db)();
}

/** A chunk's token count over all columns (FTS5's D) from its `chunks_fts_docsize.sz` blob. */
export function documentLength(sz: Uint8Array): number {
  return readVarints(sz).reduce((a, b) => a + b, 0);
}
