/**
 * Term statistics on a real index: counted exactly for the common tokens, refreshed only once enough
 * chunks changed, read before a live count, and not kept on a small index.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';
import { createDocumentFrequency, refreshTermStats } from '../../../src/store/term-stats.js';
import { chunk, fileRecord, makeTempDir, type TempDir } from './store-fixtures.js';

/** `n` files of one chunk each; every chunk says `device`, every third `buffer`, one in 50 `rare_word`. */
function writeFiles(store: Store, from: number, n: number): void {
  const items = [];
  for (let i = from; i < from + n; i++) {
    const words = ['device', i % 3 === 0 ? 'buffer' : 'lock', i % 50 === 0 ? 'rare_word' : `w${i}`];
    items.push({
      file: fileRecord(`src/f${i}.c`, { language: 'c' }),
      extraction: { symbols: [], refs: [], imports: [], chunks: [chunk(words.join(' '), 1)] },
    });
  }
  store.writeBatch(items);
}

describe('term statistics', () => {
  let tmp: TempDir;
  let store: Store;
  let db: Database.Database;

  beforeEach(() => {
    tmp = makeTempDir();
    store = Store.open(tmp.dbPath);
    db = new Database(tmp.dbPath);
  });

  afterEach(() => {
    db.close();
    store.close();
    tmp.cleanup();
  });

  const stored = () =>
    new Map(
      db
        .prepare<[], { term: string; docs: number }>('SELECT term, docs FROM term_stats')
        .all()
        .map((r) => [r.term, r.docs]),
    );
  const liveCount = (token: string) =>
    db.prepare('SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?').pluck().get(`"${token}"`);

  it('counts the common tokens exactly, and refreshes only after 1% of the chunks changed', () => {
    writeFiles(store, 0, 300);
    const first = refreshTermStats(db, { minRows: 100 });
    expect(first.refreshed).toBe(true);
    const counts = stored();
    expect(counts.get('device')).toBe(300);
    expect(counts.get('buffer')).toBe(100);
    expect(counts.get('lock')).toBe(200);
    expect(counts.has('w7')).toBe(false); // in one chunk: counted live when asked
    expect(first.terms).toBe(counts.size);

    // Two new chunks are less than 1% of 302 chunks: the counts stay as they were.
    writeFiles(store, 300, 2);
    expect(refreshTermStats(db, { minRows: 100 }).refreshed).toBe(false);
    const frequency = createDocumentFrequency(db);
    expect(frequency('device')).toBe(300);
    expect(liveCount('device')).toBe(302);
    expect(frequency('w301')).toBe(1);
    expect(frequency('absent')).toBe(0);

    // Rewriting two files deletes and inserts two chunks each: 6 changes in all pass 1%.
    writeFiles(store, 0, 2);
    expect(refreshTermStats(db, { minRows: 100 }).refreshed).toBe(true);
    expect(createDocumentFrequency(db)('device')).toBe(302);
  });

  it('keeps no statistics on a small index', () => {
    writeFiles(store, 0, 99);
    expect(refreshTermStats(db, { minRows: 100 }).refreshed).toBe(false);
    expect(stored().size).toBe(0);
    expect(createDocumentFrequency(db)('device')).toBe(99);
  });
});
