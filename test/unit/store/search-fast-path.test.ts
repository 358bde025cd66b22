/**
 * The fast search path against the exhaustive ranking on a real SQLite index where, with a lowered
 * threshold, most words are "common": the fast path must find the same top results, and say when it
 * may not have.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Extraction } from '../../../src/model.js';
import { createSearch } from '../../../src/store/search.js';
import { Store } from '../../../src/store/store.js';
import { chunk, fileRecord, makeTempDir, symbol, type TempDir } from './store-fixtures.js';

/** Deterministic filler so chunks differ in length and term counts. */
function body(seed: number, words: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < 3 + (seed % 5); i++) {
    lines.push(words.map((w, j) => ((seed + i + j) % 3 === 0 ? `${w} ${w}` : w)).join(' '));
  }
  return lines.join('\n');
}

function extraction(text: string, defines?: string): Extraction {
  return {
    symbols: defines ? [symbol(defines, 1, { endLine: text.split('\n').length })] : [],
    refs: [],
    imports: [],
    chunks: [chunk(text, 1, defines ? { kind: 'function', symbol: defines } : {})],
  };
}

describe('fast search path', () => {
  let tmp: TempDir;
  let db: Database.Database;
  let fast: ReturnType<typeof createSearch>;
  let ranked: ReturnType<typeof createSearch>;

  beforeAll(() => {
    tmp = makeTempDir();
    const store = Store.open(tmp.dbPath);
    const items = [];
    for (let i = 0; i < 60; i++) {
      const words = ['device', 'buffer', i % 2 === 0 ? 'lock' : 'free', i % 7 === 0 ? 'zebra_quota' : 'data'];
      items.push({
        file: fileRecord(`src/f${i}.c`, { language: 'c' }),
        extraction: extraction(body(i, words)),
      });
    }
    // `device_buffer` as typed in 6 chunks; its parts `device` and `buffer` are in every chunk.
    for (let i = 0; i < 6; i++) {
      items.push({
        file: fileRecord(`src/db${i}.c`, { language: 'c' }),
        extraction: extraction(body(i, ['device_buffer', i % 2 === 0 ? 'reset' : 'flush'])),
      });
    }
    items.push({
      file: fileRecord('src/lock.c', { language: 'c' }),
      extraction: extraction('void lock(struct device *d)\n{\n  spin(d);\n}', 'lock'),
    });
    store.writeBatch(items);
    store.close();
    db = new Database(tmp.dbPath, { readonly: true });
    // Words in more than 10 of the 61 chunks are common here, as `device` is on the kernel.
    fast = createSearch(db, { commonWordChunks: 10, costModel: false });
    // And a MATCH of more than 10 chunks is ranked by FTS5 first, as one of more than 1,000 is by default.
    ranked = createSearch(db, { commonWordChunks: 10, scoredMatches: 10, costModel: false });
  });

  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const keys = (query: string, exhaustive: boolean) =>
    fast(query, { limit: 5, exhaustive }).results.map((r) => `${r.path}:${r.startLine}`);

  it('finds the exhaustive top results for a query mixing rare and common words', () => {
    expect(keys('zebra_quota device buffer', false)).toEqual(keys('zebra_quota device buffer', true));
    // Common words count in the score of rare-word chunks: `device device` lines rank those higher.
    const fastScores = fast('zebra_quota device', { limit: 3 }).results.map((r) => r.score);
    const exactScores = fast('zebra_quota device', { limit: 3, exhaustive: true }).results.map(
      (r) => r.score,
    );
    expect(fastScores).toEqual(exactScores);
  });

  it('ranks the definition of a common word by its full score', () => {
    const [first] = fast('lock', { limit: 3 }).results;
    expect(first?.path).toBe('src/lock.c');
    expect(keys('lock device', false)[0]).toBe(keys('lock device', true)[0]);
  });

  it('says when the answer may differ from the exhaustive ranking', () => {
    // Every word common and no chunk has all of them: only an exhaustive pass is exact.
    const commonOnly = fast('device buffer', { limit: 5 });
    expect(commonOnly.results.length).toBe(5);
    expect(fast('device buffer', { limit: 5, exhaustive: true }).approximate).toBe(false);
    // A rare word with fewer matches than the limit: everything was ranked.
    const rare = fast('zebra_quota', { limit: 20 });
    expect(rare.results.length).toBe(9);
    expect(rare.approximate).toBe(false);
    // Every chunk with either word is scored: exact, though both words are common.
    expect(fast('lock free', { limit: 5 }).approximate).toBe(false);
    expect(keys('lock free', false)).toEqual(keys('lock free', true));
    // FTS5's best 30 of the 61 are scored: chunks left out may outscore the last result once boosted.
    expect(ranked('lock free', { limit: 5 }).approximate).toBe(true);
    expect(ranked('lock free', { limit: 5 }).results.map((r) => r.score)).toEqual(
      fast('lock free', { limit: 5 }).results.map((r) => r.score),
    );
  });

  it('matches an identifier as typed first when its parts are common', () => {
    const asTyped = fast('device_buffer', { limit: 5 });
    expect(asTyped.results.every((r) => r.path.startsWith('src/db'))).toBe(true);
    expect(asTyped.results.map((r) => `${r.path}:${r.startLine}`)).toEqual(keys('device_buffer', true));
    // Chunks with only the parts were not ranked: the answer says it may differ.
    expect(asTyped.approximate).toBe(true);
    // More results asked for than chunks hold it as typed: chunks with its parts fill them, exactly.
    const filled = fast('device_buffer', { limit: 10 });
    expect(filled.results.filter((r) => r.path.startsWith('src/db')).length).toBe(6);
    expect(filled.results.length).toBe(10);
    expect(filled.approximate).toBe(false);
    expect(filled.results.map((r) => `${r.path}:${r.startLine}`)).toEqual(
      fast('device_buffer', { limit: 10, exhaustive: true }).results.map((r) => `${r.path}:${r.startLine}`),
    );
  });

  it('applies filters on both paths alike', () => {
    const options = { limit: 5, pathGlob: 'src/f[1-2]*' };
    const a = fast('zebra_quota', options).results.map((r) => r.path);
    const b = fast('zebra_quota', { ...options, exhaustive: true }).results.map((r) => r.path);
    expect(a).toEqual(b);
    expect(a.sort()).toEqual(['src/f14.c', 'src/f21.c', 'src/f28.c']);
    const options2 = { limit: 5, pathGlob: 'src/f1*' };
    // Chunks holding only the common word `device` are left out: the answer says so.
    const partial = fast('device zebra_quota', options2);
    expect(partial.results.map((r) => r.path)).toEqual(['src/f14.c']);
    expect(partial.approximate).toBe(true);
  });
});
