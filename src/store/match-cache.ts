/**
 * What the search statements answered (a MATCH's chunks, its best by bm25, a word's defining chunks),
 * remembered while the index is unchanged. Questions share words: `ext4 journal`, then `journal commit`,
 * then `ext4 commit` each ask FTS5 for the chunks of `journal` or `ext4` again, and on the kernel one
 * such MATCH costs 1-4 ms, most of a search. Every entry is forgotten as soon as the index changes, so an
 * answer never comes from rows that are gone.
 */
import type Database from 'better-sqlite3';

/** Entries kept, at most. */
const MAX_ENTRIES = 1_024;
/** Rows kept over all entries, at most (~40 bytes each as ids or ranked rows: a few MiB). */
const MAX_ROWS = 100_000;

export interface MatchCacheLimits {
  maxEntries?: number;
  maxRows?: number;
}

export class MatchCache {
  readonly #entries = new Map<string, readonly unknown[]>();
  readonly #maxEntries: number;
  readonly #maxRows: number;
  readonly #version: Database.Statement<[], number>;
  readonly #ownChanges: Database.Statement<[], number>;
  #rows = 0;
  #seen = '';
  readonly stats = { hits: 0, misses: 0 };

  constructor(db: Database.Database, limits: MatchCacheLimits = {}) {
    this.#maxEntries = limits.maxEntries ?? MAX_ENTRIES;
    this.#maxRows = limits.maxRows ?? MAX_ROWS;
    this.#version = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#ownChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  /**
   * Forgets every entry if the index changed since the last call: a commit of another connection moves
   * `data_version`, one of this connection moves its `total_changes()`. Call once per search.
   */
  revalidate(): void {
    const seen = `${this.#version.get() ?? 0}:${this.#ownChanges.get() ?? 0}`;
    if (seen === this.#seen) return;
    this.#seen = seen;
    this.#entries.clear();
    this.#rows = 0;
  }

  /** The rows remembered for `key`, else `read()`'s, remembered (the least recently used go first). */
  rows<T>(key: string, read: () => T[]): readonly T[] {
    const kept = this.#entries.get(key);
    if (kept !== undefined) {
      this.stats.hits++;
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept as readonly T[];
    }
    this.stats.misses++;
    const rows = read();
    // An answer bigger than a quarter of the room would push out everything else.
    if (rows.length * 4 > this.#maxRows) return rows;
    this.#entries.set(key, rows);
    this.#rows += rows.length;
    for (const [oldest, evicted] of this.#entries) {
      if (this.#rows <= this.#maxRows && this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(oldest);
      this.#rows -= evicted.length;
    }
    return rows;
  }
}
