/**
 * BM25 scores of chosen chunks for a query, computed in JavaScript as FTS5's bm25() computes them
 * (bm25-score.ts), with document frequencies from term-stats.ts. FTS5's bm25() walks the whole doclist of
 * every query phrase on every call to count its chunks (~20 ms for `to` on the kernel), and it can only
 * rank the chunks of one MATCH; here any set of chunks is scored over every phrase of the query, at
 * ~5 us a chunk (reading its text and tokenizing it for the query's tokens).
 */
import type Database from 'better-sqlite3';
import { bm25Score, idf, phraseFrequencies } from './bm25-score.js';
import { createFtsTotals, documentLength } from './fts5-stats.js';
import { createDocumentFrequency } from './term-stats.js';

interface ChunkRow {
  id: number;
  text: string;
  sz: Uint8Array | null;
}

export type ChunkScorer = ReturnType<typeof createChunkScorer>;

export function createChunkScorer(db: Database.Database, termsWeight: number) {
  const chunks = db.prepare<[string], ChunkRow>(
    `SELECT c.id, c.text, d.sz FROM chunks c LEFT JOIN chunks_fts_docsize d ON d.id = c.id
     WHERE c.id IN (SELECT value FROM json_each(?))`,
  );
  const totals = createFtsTotals(db);
  const documentFrequency = createDocumentFrequency(db);

  /** Each distinct token's document frequency (from term statistics, or counted live). */
  function documentFrequencies(tokens: Iterable<string>): Map<string, number> {
    const docs = new Map<string, number>();
    for (const token of tokens) if (!docs.has(token)) docs.set(token, documentFrequency(token));
    return docs;
  }

  /**
   * Scores `ids` for the query whose clauses are `alternatives` (parseQuery: the query's phrases are
   * their tokens, in order), given the tokens' document frequencies (`documentFrequencies`; missing ones
   * are looked up). Returns chunk id -> bm25 rank (negative, as FTS5 gives it) for the chunks that match
   * the query's OR; a chunk that does not (or no longer exists) is absent, as from FTS5.
   */
  function score(
    alternatives: ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>,
    ids: ReadonlyArray<number>,
    docs: ReadonlyMap<string, number> = new Map(),
  ): Map<number, number> {
    const ranks = new Map<number, number>();
    const sizes = totals();
    if (sizes === null || ids.length === 0) return ranks;
    const groups = alternatives.flat();
    const phrases = groups.flat();
    const groupOf = groups.flatMap((tokens, g) => tokens.map(() => g));
    const groupPhrases = groups.map((tokens) => tokens.map((t) => phrases.indexOf(t)));
    const idfs = phrases.map((token) => idf(sizes.rows, docs.get(token) ?? documentFrequency(token)));
    for (const row of chunks.iterate(JSON.stringify(ids))) {
      const counts = phraseFrequencies(row.text, phrases, termsWeight);
      // FTS5 reports a phrase's instances only where its whole AND group matched (`"os" AND "path"`).
      const present = groupPhrases.map((indexes) => indexes.every((i) => (counts[i] ?? 0) > 0));
      if (!present.some((p) => p)) continue;
      const frequencies = counts.map((f, i) => (present[groupOf[i] ?? 0] ? f : 0));
      const length = row.sz === null ? 0 : documentLength(row.sz);
      ranks.set(row.id, -bm25Score(frequencies, idfs, length, sizes.averageTokens));
    }
    return ranks;
  }

  return { score, documentFrequencies };
}
