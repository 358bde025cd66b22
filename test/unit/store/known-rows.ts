/** Helpers for the known-files snapshot tests: rows as the merge with the walk sees them, other connections. */
import Database from 'better-sqlite3';
import type { KnownStatPage } from '../../../src/store/known-files.js';

/** Path, stat and kind (resolved through the pages' kind table) of every row, in page order. */
export function knownRows(pages: Iterable<KnownStatPage>): unknown[] {
  const kinds: KnownStatPage['newKinds'] = [];
  const rows: unknown[] = [];
  for (const page of pages) {
    kinds.push(...page.newKinds);
    page.paths.forEach((path, i) => {
      rows.push([path, ...page.stats.subarray(i * 4, i * 4 + 4), kinds[page.kindOf[i] as number]]);
    });
  }
  return rows;
}

/** Runs `fn` on a connection of its own to `dbPath`, as another process (or an older grove) would. */
export function inOtherConnection<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
