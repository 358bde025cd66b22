/**
 * Damages one b-tree page inside an existing index file, as a bad sector or a torn write would: not the
 * header, a page in the middle of a table or an index. The page's type byte is made invalid, so SQLite
 * must notice whenever it reads the page (random bytes alone could leave a page that still parses).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface DamagedPage {
  /** The table or index the page belonged to (`files`, `chunks_fts_data`, `symbols_name`, ...). */
  object: string;
  pageno: number;
  pagetype: string;
}

/** The b-tree objects of an index with their pages, page 1 (header and schema) left out. */
export function btreePages(dbPath: string): Map<string, Array<{ pageno: number; pagetype: string }>> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT name, pageno, pagetype FROM dbstat WHERE pagetype IN ('internal', 'leaf') AND pageno > 1 ORDER BY name, pageno",
      )
      .all() as Array<{ name: string; pageno: number; pagetype: string }>;
    const pages = new Map<string, Array<{ pageno: number; pagetype: string }>>();
    for (const row of rows) {
      const list = pages.get(row.name) ?? [];
      list.push({ pageno: row.pageno, pagetype: row.pagetype });
      pages.set(row.name, list);
    }
    return pages;
  } finally {
    db.close();
  }
}

/** Valid b-tree page types are 2, 5, 10 and 13; anything else is damage SQLite reports. */
const INVALID_PAGE_TYPES = [0x00, 0x01, 0x03, 0x07, 0x0b, 0x11, 0x5a, 0xff];

/**
 * Overwrites page `pageno` of the (checkpointed, WAL-empty) database with seeded garbage whose first byte
 * is an invalid page type.
 */
export function damagePage(dbPath: string, pageno: number, random: () => number): void {
  const db = new Database(dbPath, { readonly: true });
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  const garbage = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i++) garbage[i] = Math.floor(random() * 256);
  garbage[0] = INVALID_PAGE_TYPES[Math.floor(random() * INVALID_PAGE_TYPES.length)]!;
  const fd = openSync(dbPath, 'r+');
  try {
    writeSync(fd, garbage, 0, pageSize, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
