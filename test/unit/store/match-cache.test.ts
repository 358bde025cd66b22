/**
 * The search statements' cache over a real SQLite index: answers are remembered while the index is
 * unchanged, forgotten after any commit (another connection's or this one's), and bounded.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Extraction } from '../../../src/model.js';
import { MatchCache } from '../../../src/store/match-cache.js';
import { createSearch } from '../../../src/store/search.js';
import { Store } from '../../../src/store/store.js';
import { chunk, fileRecord, makeTempDir, type TempDir } from './store-fixtures.js';

function text(body: string): Extraction {
  return { symbols: [], refs: [], imports: [], chunks: [chunk(body)] };
}

describe('MatchCache', () => {
  let tmp: TempDir;
  let writer: Store;
  let reader: Database.Database;

  beforeEach(() => {
    tmp = makeTempDir();
    writer = Store.open(tmp.dbPath);
    writer.writeBatch([{ file: fileRecord('a.c', { language: 'c' }), extraction: text('journal commit') }]);
    reader = new Database(tmp.dbPath, { readonly: true });
  });

  afterEach(() => {
    reader.close();
    writer.close();
    tmp.cleanup();
  });

  /** A read that counts its calls. */
  function counted(rows: number[]) {
    const read = { calls: 0, run: () => (read.calls++, rows) };
    return read;
  }

  it('answers a key again without reading, until another connection commits', () => {
    const cache = new MatchCache(reader);
    const read = counted([1, 2]);
    cache.revalidate();
    expect(cache.rows('k', read.run)).toEqual([1, 2]);
    cache.revalidate();
    expect(cache.rows('k', read.run)).toEqual([1, 2]);
    expect(read.calls).toBe(1);
    writer.writeBatch([{ file: fileRecord('b.c', { language: 'c' }), extraction: text('ext4 journal') }]);
    cache.revalidate();
    cache.rows('k', read.run);
    expect(read.calls).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
  });

  it("forgets after this connection's own writes, which do not move data_version", () => {
    const own = new Database(tmp.dbPath);
    try {
      const cache = new MatchCache(own);
      const read = counted([7]);
      cache.revalidate();
      cache.rows('k', read.run);
      own.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'x')").run();
      cache.revalidate();
      cache.rows('k', read.run);
      expect(read.calls).toBe(2);
    } finally {
      own.close();
    }
  });

  it('keeps at most its entries and rows, dropping the least recently used first', () => {
    const cache = new MatchCache(reader, { maxEntries: 2, maxRows: 8 });
    cache.revalidate();
    const a = counted([1]);
    const b = counted([2]);
    const c = counted([3]);
    cache.rows('a', a.run);
    cache.rows('b', b.run);
    cache.rows('a', a.run); // `a` is now the most recently used
    cache.rows('c', c.run); // a third entry: `b` goes
    cache.rows('a', a.run);
    cache.rows('b', b.run);
    expect([a.calls, b.calls, c.calls]).toEqual([1, 2, 1]);
    // Two rows fit a quarter of the room; three would not, and are answered but not kept.
    const big = counted([1, 2, 3]);
    cache.rows('big', big.run);
    cache.rows('big', big.run);
    expect(big.calls).toBe(2);
    const rows = counted([1, 2]);
    for (const key of ['r1', 'r2', 'r3', 'r4', 'r5']) cache.rows(key, rows.run);
    cache.rows('r5', rows.run);
    expect(rows.calls).toBe(5);
  });
});

describe('search with the cache', () => {
  let tmp: TempDir;
  afterEach(() => tmp.cleanup());

  it('finds what another connection wrote after the same search was answered', () => {
    tmp = makeTempDir();
    const writer = Store.open(tmp.dbPath);
    const reader = new Database(tmp.dbPath, { readonly: true });
    try {
      writer.writeBatch([
        { file: fileRecord('old.c', { language: 'c' }), extraction: text('journal commit record') },
      ]);
      const search = createSearch(reader);
      const paths = () => search('journal commit', { limit: 5 }).results.map((r) => r.path);
      expect(paths()).toEqual(['old.c']);
      expect(paths()).toEqual(['old.c']);
      writer.writeBatch([
        { file: fileRecord('new.c', { language: 'c' }), extraction: text('journal commit journal commit') },
      ]);
      expect(paths().sort()).toEqual(['new.c', 'old.c']);
      writer.deleteFiles(['old.c']);
      expect(paths()).toEqual(['new.c']);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('keeps a filtered answer apart from the unfiltered one of the same words', () => {
    tmp = makeTempDir();
    const writer = Store.open(tmp.dbPath);
    writer.writeBatch([
      { file: fileRecord('log.c', { language: 'c' }), extraction: text('journal commit') },
      { file: fileRecord('log.py', { language: 'python' }), extraction: text('journal commit') },
    ]);
    writer.close();
    const reader = new Database(tmp.dbPath, { readonly: true });
    try {
      const search = createSearch(reader);
      const paths = (language?: string) =>
        search('journal commit', { limit: 5, ...(language ? { language } : {}) })
          .results.map((r) => r.path)
          .sort();
      expect(paths()).toEqual(['log.c', 'log.py']);
      expect(paths('python')).toEqual(['log.py']);
      expect(paths('c')).toEqual(['log.c']);
      expect(paths()).toEqual(['log.c', 'log.py']);
    } finally {
      reader.close();
    }
  });
});
