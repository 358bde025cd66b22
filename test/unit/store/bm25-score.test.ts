/**
 * grove's BM25 in JavaScript against FTS5's bm25() on a real index: the definer scoring relies on
 * computing exactly what FTS5 computes.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bm25Score, idf, phraseFrequencies, phrasesOf } from '../../../src/store/bm25-score.js';
import { createDefinerScoring, leastSquares } from '../../../src/store/definer-scoring.js';
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
      // Single-token alternatives only here, so every present phrase counts (see definer-scoring.ts).
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

  it('solves small least-squares systems and refuses singular ones', () => {
    const solved = leastSquares(
      [
        [1, 2],
        [3, 1],
        [2, 2],
      ],
      [5, 5, 6],
      2,
    );
    expect(solved?.[0]).toBeCloseTo(1, 9);
    expect(solved?.[1]).toBeCloseTo(2, 9);
    expect(
      leastSquares(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
        2,
      ),
    ).toBeNull();
  });

  it.each([
    'device free',
    'copy data to user space',
    'getUserName',
    'os.path',
  ])('scores chunks as FTS5 does from the idfs of ranked ones for %s', (query) => {
    const parsed = parseQuery(query);
    const all = ranked(parsed.match);
    // Half the chunks play the ranked ones; the others are scored and compared.
    const known = all.filter((_, i) => i % 2 === 0);
    const others = all.filter((_, i) => i % 2 === 1);
    const { ranks, unscored } = createDefinerScoring(db, 0.4).score(
      parsed.alternatives,
      known,
      others.map((r) => r.id),
    );
    for (const row of others) {
      if (unscored.includes(row.id)) continue;
      expect(ranks.get(row.id)).toBeCloseTo(row.rank, 9);
    }
    expect(ranks.size + unscored.length).toBe(others.length);
  });
});
