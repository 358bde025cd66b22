/**
 * grove's BM25 in JavaScript against FTS5's bm25() on a real index: search scores chunks in JavaScript
 * (chunk-scorer.ts) and relies on computing exactly what FTS5 computes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bm25Score, idf, phraseFrequencies, phrasesOf } from '../../../src/store/bm25-score.js';
import { createChunkScorer } from '../../../src/store/chunk-scorer.js';
import { parseQuery } from '../../../src/store/fts-query.js';
import { documentLength, readFtsTotals, readVarints } from '../../../src/store/fts5-stats.js';
import { Store } from '../../../src/store/store.js';
import { chunk, fileRecord, makeTempDir, symbol, type TempDir } from './store-fixtures.js';

const TEXTS = [
  'int getUserName(struct user *u) {\n  return copy_name(u->name, user_name);\n}',
  'the user’s name is copied; see os.path and user-name for the device',
  'static void free_device(struct device *dev)\n{\n  kfree(dev->name);\n  kfree(dev);\n}',
  'void copy_data(void *to, const void *from)\n{\n  memcpy(to, from, DATA_SIZE);\n}\n/* copy data to user space */',
  'XMLHttpRequest request = new XMLHttpRequest(); request.open(url); // data',
  'café naïve résumé user data data data',
  'device device device device\nfree free\nuser',
];

describe('BM25 in JavaScript', () => {
  let tmp: TempDir;
  let db: Database.Database;

  beforeAll(() => {
    tmp = makeTempDir();
    const store = Store.open(tmp.dbPath);
    store.writeBatch(
      TEXTS.map((text, i) => ({
        file: fileRecord(`f${i}.c`, { language: 'c' }),
        extraction: {
          symbols: i === 2 ? [symbol('free_device', 1)] : [],
          refs: [],
          imports: [],
          chunks: [chunk(text, 1, i === 2 ? { kind: 'function', symbol: 'free_device' } : {})],
        },
      })),
    );
    store.close();
    db = new Database(tmp.dbPath, { readonly: true });
  });

  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const ranked = (match: string) =>
    db
      .prepare<[string], { id: number; rank: number }>(
        'SELECT rowid AS id, bm25(chunks_fts, 1.0, 0.4) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank',
      )
      .all(match);

  it('decodes SQLite varints', () => {
    expect(readVarints(new Uint8Array([0x81, 0x5a, 0x05]))).toEqual([218, 5]);
    expect(readVarints(new Uint8Array([0xc3, 0xe3, 0x16]))).toEqual([1110422]);
  });

  it.each([
    'user name',
    'getUserName',
    'device free',
    'copy data to user space',
    'os.path',
    'XMLHttpRequest open',
    'naive cafe data',
  ])('gives the score FTS5 gives for %s', (query) => {
    const totals = readFtsTotals(db);
    expect(totals?.rows).toBe(TEXTS.length);
    const { match } = parseQuery(query);
    const phrases = phrasesOf(match);
    const count = db
      .prepare<[string], number>('SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?')
      .pluck();
    const idfs = phrases.map((p) => idf(totals?.rows ?? 0, count.get(`"${p}"`) ?? 0));
    const rows = ranked(match);
    expect(rows.length).toBeGreaterThan(0);
    const read = db.prepare<[number], { text: string; sz: Uint8Array }>(
      'SELECT c.text, d.sz FROM chunks c JOIN chunks_fts_docsize d ON d.id = c.id WHERE c.id = ?',
    );
    for (const row of rows) {
      const chunkRow = read.get(row.id);
      if (chunkRow === undefined) throw new Error(`chunk ${row.id} missing`);
      // Single-token alternatives only here, so every present phrase counts (see chunk-scorer.ts).
      const single = parseQuery(query).alternatives.every((c) => c.every((a) => a.length === 1));
      if (!single) continue;
      const score = bm25Score(
        phraseFrequencies(chunkRow.text, phrases, 0.4),
        idfs,
        documentLength(chunkRow.sz),
        totals?.averageTokens ?? 1,
      );
      expect(score).toBeCloseTo(-row.rank, 9);
    }
  });

  it.each([
    'device free',
    'copy data to user space',
    'getUserName',
    'os.path',
    'naive cafe data',
  ])('scores every chunk as FTS5 does for %s, the non-matching ones not at all', (query) => {
    const parsed = parseQuery(query);
    const all = ranked(parsed.match);
    expect(all.length).toBeGreaterThan(0);
    const everyChunk = TEXTS.map((_, i) => i + 1);
    const ranks = createChunkScorer(db, 0.4).score(parsed.alternatives, everyChunk);
    expect(ranks.size).toBe(all.length);
    for (const row of all) expect(ranks.get(row.id)).toBeCloseTo(row.rank, 9);
  });

  it("scores real code as FTS5 does: every match of every query over grove's own sources", () => {
    const dir = join(import.meta.dirname, '../../../src/store');
    const texts: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const lines = readFileSync(join(dir, name), 'utf8').split('\n');
      for (let i = 0; i < lines.length; i += 30) texts.push(lines.slice(i, i + 30).join('\n'));
    }
    const code = makeTempDir();
    try {
      const store = Store.open(code.dbPath);
      store.writeBatch(
        texts.map((text, i) => ({
          file: fileRecord(`c${i}.ts`, { language: 'typescript' }),
          extraction: { symbols: [], refs: [], imports: [], chunks: [chunk(text, 1)] },
        })),
      );
      store.close();
      const codeDb = new Database(code.dbPath, { readonly: true });
      const scorer = createChunkScorer(codeDb, 0.4);
      const ids = texts.map((_, i) => i + 1);
      for (const query of [
        'db prepare',
        'chunk text',
        'data',
        'store error',
        'parseQuery match',
        'fts5 rows',
        'isPart token',
        'GroveError',
        'code_terms',
        'os.path',
      ]) {
        const parsed = parseQuery(query);
        const all = codeDb
          .prepare<[string], { id: number; rank: number }>(
            'SELECT rowid AS id, bm25(chunks_fts, 1.0, 0.4) AS rank FROM chunks_fts WHERE chunks_fts MATCH ?',
          )
          .all(parsed.match);
        const ranks = scorer.score(parsed.alternatives, ids);
        expect(ranks.size, query).toBe(all.length);
        for (const row of all) expect(ranks.get(row.id), query).toBeCloseTo(row.rank, 9);
      }
      codeDb.close();
    } finally {
      code.cleanup();
    }
  });
});
