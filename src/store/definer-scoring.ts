/**
 * BM25 scores of a query's definer chunks (chunks defining a queried word) without one FTS5 bm25() call
 * each: every call walks the whole doclist of every query phrase to count its chunks (~100 ns a chunk,
 * ~30 ms a call for `copy data to user space` on the kernel, where up to 32 definers were scored so).
 *
 * FTS5's score is linear in the phrases' idfs: score(r) = sum_p idf(p) * g_p(r), where g_p depends only
 * on the chunk (its phrase counts and length, bm25-score.ts). The chunks FTS5 already ranked for the
 * query give equations with known scores; solving them (least squares) recovers each idf FTS5 used,
 * and a definer's score is then computed exactly in JavaScript. A definer holding a phrase whose idf
 * the ranked chunks do not determine is left to the caller (FTS5).
 */
import type Database from 'better-sqlite3';
import { bm25Terms, phraseFrequencies } from './bm25-score.js';
import { documentLength, readFtsTotals } from './fts5-stats.js';

/** Ranked chunks used as equations beyond one per phrase: a margin against collinear chunks. */
const EXTRA_EQUATIONS = 8;
/** A fit worse than this (relative) means the model does not match FTS5's scores: do not use it. */
const MAX_FIT_ERROR = 1e-6;

interface ChunkRow {
  id: number;
  text: string;
  sz: Uint8Array | null;
}

/** Solves the least-squares problem min |A x - y| by the normal equations (A is rows x n, n small). */
export function leastSquares(
  a: ReadonlyArray<ReadonlyArray<number>>,
  y: ReadonlyArray<number>,
  n: number,
): number[] | null {
  const m: number[][] = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  a.forEach((row, r) => {
    for (let i = 0; i < n; i++) {
      const mi = m[i] as number[];
      for (let j = 0; j < n; j++) mi[j] = (mi[j] ?? 0) + (row[i] ?? 0) * (row[j] ?? 0);
      mi[n] = (mi[n] ?? 0) + (row[i] ?? 0) * (y[r] ?? 0);
    }
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    if (Math.abs(m[pivot]?.[col] ?? 0) < 1e-12) return null;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const pr = m[col] as number[];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] as number[];
      const factor = (row[col] ?? 0) / (pr[col] ?? 1);
      for (let j = col; j <= n; j++) row[j] = (row[j] ?? 0) - factor * (pr[j] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

export function createDefinerScoring(db: Database.Database, termsWeight: number) {
  const chunks = db.prepare<[string], ChunkRow>(
    `SELECT c.id, c.text, d.sz FROM chunks c LEFT JOIN chunks_fts_docsize d ON d.id = c.id
     WHERE c.id IN (SELECT value FROM json_each(?))`,
  );

  /**
   * Scores `definers` for the query whose clauses are `alternatives` (parseQuery: the query's phrases
   * are their tokens, in order), from `ranked`: chunks with their FTS5 bm25() for that expression.
   * Returns chunk id -> bm25 rank (negative, as FTS5 gives it) for the definers it could score
   * exactly; a definer that does not match the query is absent, as from FTS5.
   */
  function score(
    alternatives: ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>,
    ranked: ReadonlyArray<{ id: number; rank: number }>,
    definers: ReadonlyArray<number>,
  ): { ranks: Map<number, number>; unscored: number[] } {
    const ranks = new Map<number, number>();
    const groups = alternatives.flat();
    const phrases = groups.flat();
    const groupOf = groups.flatMap((tokens, g) => tokens.map(() => g));
    const totals = readFtsTotals(db);
    if (totals === null || ranked.length === 0) return { ranks, unscored: [...definers] };
    const phraseCount = alternatives.flat(2).length;
    // Three chunks per wanted equation leave room for duplicates without reading every ranked chunk.
    const usable = ranked.slice(0, 3 * (phraseCount + EXTRA_EQUATIONS));
    const known = new Map(usable.map((r) => [r.id, r.rank]));
    // Per chunk, each phrase's term of the BM25 sum with idf 1 (g_p).
    const parts = new Map<number, { g: number[]; matches: boolean }>();
    for (const row of chunks.iterate(JSON.stringify([...known.keys(), ...definers]))) {
      const counts = phraseFrequencies(row.text, phrases, termsWeight);
      // FTS5 reports a phrase's instances only where its whole AND group matched (`"os" AND "path"`).
      const present = groups.map((tokens) => tokens.every((t) => (counts[phrases.indexOf(t)] ?? 0) > 0));
      const frequencies = counts.map((f, i) => (present[groupOf[i] ?? 0] ? f : 0));
      const length = row.sz === null ? 0 : documentLength(row.sz);
      const g = bm25Terms(frequencies, length, totals.averageTokens);
      parts.set(row.id, { g, matches: present.some((p) => p) });
    }
    // Identical chunks (generated or copied files) give the same equation: keep distinct ones only.
    const seen = new Set<string>();
    const equations: Array<{ id: number; rank: number }> = [];
    for (const r of usable) {
      const g = parts.get(r.id)?.g;
      if (g === undefined || seen.has(g.join(','))) continue;
      seen.add(g.join(','));
      equations.push(r);
      if (equations.length >= phrases.length + EXTRA_EQUATIONS) break;
    }
    // Only phrases some ranked chunk holds have a determinable idf.
    const columns = phrases
      .map((_, i) => i)
      .filter((i) => equations.some((r) => (parts.get(r.id)?.g[i] ?? 0) > 0));
    const rows = equations;
    const a = rows.map((r) => columns.map((i) => parts.get(r.id)?.g[i] ?? 0));
    const y = rows.map((r) => -r.rank);
    const solved = columns.length > 0 ? leastSquares(a, y, columns.length) : null;
    if (solved === null) return { ranks, unscored: [...definers] };
    const fitError = Math.max(
      ...a.map(
        (row, r) =>
          Math.abs(row.reduce((sum, v, j) => sum + v * (solved[j] ?? 0), 0) - (y[r] ?? 0)) /
          Math.max(Math.abs(y[r] ?? 0), 1e-9),
      ),
    );
    if (!(fitError <= MAX_FIT_ERROR)) return { ranks, unscored: [...definers] };
    const idfs = new Map(columns.map((i, j) => [i, solved[j] ?? 0]));
    const unscored: number[] = [];
    for (const id of definers) {
      const chunk = parts.get(id);
      if (chunk === undefined) continue; // deleted meanwhile
      if (!chunk.matches) continue; // FTS5 would not match it either
      if (chunk.g.some((g, i) => g > 0 && !idfs.has(i))) {
        unscored.push(id);
        continue;
      }
      ranks.set(id, -chunk.g.reduce((sum, g, i) => sum + g * (idfs.get(i) ?? 0), 0));
    }
    return { ranks, unscored };
  }

  return { score };
}
