/**
 * How many chunks hold a token (its document frequency, BM25's n), without walking the token's doclist on
 * every query. FTS5 stores no per-term counts: counting `to` on the kernel walks 330k doclist entries
 * (~20 ms), and FTS5's bm25() does that for every phrase of every query.
 *
 * `term_stats` keeps the counts of the index's common tokens, counted exactly when the statistics were
 * refreshed; any other token is counted live (cheap: it is rare). The writer counts chunk rows inserted
 * and deleted (`chunkChanges` in meta), and a run refreshes the statistics once that count passed 1% of
 * the chunks since the last refresh: a count is then off by at most 1% of the index, which moves an idf
 * by at most ~0.01 for the words it matters for. An index keeps no statistics until it has 20,000 chunks:
 * every count is cheap before.
 *
 * Common tokens are found by sampling: the distinct tokens of 2,000 chunks spread over the index, kept when
 * in 3 or more of them (a token in 0.5% of the chunks is expected in 10); a common token the sample
 * missed is still counted exactly, live.
 */
import type Database from 'better-sqlite3';
import { codeTerms } from './code-terms.js';
import { quotePhrase } from './fts-query.js';
import { readFtsTotals } from './fts5-stats.js';

/** Meta keys: chunk rows written since the index was created; the state of the last refresh. */
export const CHUNK_CHANGES_KEY = 'chunkChanges';
const TERM_STATS_KEY = 'termStats';
/** Below this many chunks every live count is cheap (< ~1 ms): no statistics are kept. */
const MIN_STATS_ROWS = 20_000;
/** Chunk rows changed since the last refresh, as a share of all chunks, that trigger the next one. */
const REFRESH_CHURN = 0.01;
const SAMPLE_CHUNKS = 2_000;
const SAMPLE_MIN_HITS = 3;
/** unicode61 with tokenchars `_`, for the ASCII tokens kept (a common token is nearly always ASCII). */
const TEXT_TOKEN_SEPARATOR = /[^a-z0-9_]+/;

interface RefreshState {
  /** `chunkChanges` when the statistics were counted. */
  changes: number;
  rows: number;
}

export interface TermStatsRefresh {
  /** Whether the statistics were counted again (else they were still fresh, or the index is small). */
  refreshed: boolean;
  terms: number;
  ms: number;
}

/** A deterministic generator, so that two refreshes of one index sample the same chunks. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

/** Tokens in at least SAMPLE_MIN_HITS of (up to) SAMPLE_CHUNKS distinct chunks spread over the chunk ids. */
function sampleCommonTokens(db: Database.Database): string[] {
  const maxId = Number(db.prepare('SELECT max(id) FROM chunks').pluck().get() ?? 0);
  const chunkFrom = db.prepare<[number], { id: number; text: string }>(
    'SELECT id, text FROM chunks WHERE id >= ? ORDER BY id LIMIT 1',
  );
  const random = seeded(maxId);
  const sampled = new Set<number>();
  const hits = new Map<string, number>();
  for (let i = 0; i < SAMPLE_CHUNKS; i++) {
    const row = chunkFrom.get(1 + Math.floor(random() * maxId));
    if (row === undefined || sampled.has(row.id)) continue;
    sampled.add(row.id);
    const tokens = new Set(row.text.toLowerCase().split(TEXT_TOKEN_SEPARATOR));
    for (const part of codeTerms(row.text).split(' ')) tokens.add(part);
    for (const token of tokens) if (token !== '') hits.set(token, (hits.get(token) ?? 0) + 1);
  }
  return [...hits].filter(([, n]) => n >= SAMPLE_MIN_HITS).map(([token]) => token);
}

/** Counts the chunks holding a token by walking its doclist. */
function prepareLiveCount(db: Database.Database): (token: string) => number {
  const count = db
    .prepare<[string], number>('SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?')
    .pluck();
  return (token) => count.get(quotePhrase(token)) ?? 0;
}

/**
 * Counts the common tokens again when the index changed enough since the last count (see the module
 * comment). Call on a writable connection after a run's writes.
 */
export function refreshTermStats(
  db: Database.Database,
  options: { minRows?: number } = {},
): TermStatsRefresh {
  const start = performance.now();
  const meta = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const changes = Number(meta.get(CHUNK_CHANGES_KEY) ?? 0);
  const rows = readFtsTotals(db)?.rows ?? 0;
  const last = meta.get(TERM_STATS_KEY);
  const state: RefreshState | null = last === undefined ? null : (JSON.parse(last) as RefreshState);
  const stale = state === null || changes - state.changes > REFRESH_CHURN * Math.max(rows, state.rows);
  const result = (refreshed: boolean, terms: number) => ({
    refreshed,
    terms,
    ms: Math.round(performance.now() - start),
  });
  // FTS5's row count (N in its bm25) counts rows ever inserted, not deleted ones (contentless_delete).
  if (state === null && rows < (options.minRows ?? MIN_STATS_ROWS)) return result(false, 0);
  if (!stale) return result(false, 0);
  const count = prepareLiveCount(db);
  const insert = db.prepare<[string, number]>('INSERT INTO term_stats (term, docs) VALUES (?, ?)');
  const setMeta = db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  // One write transaction: counts and the state they belong to commit together.
  const terms = db
    .transaction(() => {
      db.prepare('DELETE FROM term_stats').run();
      const tokens = sampleCommonTokens(db);
      for (const token of tokens) insert.run(token, count(token));
      const refreshed: RefreshState = { changes, rows };
      setMeta.run(TERM_STATS_KEY, JSON.stringify(refreshed));
      return tokens.length;
    })
    .immediate();
  return result(true, terms);
}

/**
 * Returns the document frequency of a token (lowercase, one FTS token) on `db`: stored when common,
 * else counted live.
 */
export function createDocumentFrequency(db: Database.Database): (token: string) => number {
  const stored = db.prepare<[string], number>('SELECT docs FROM term_stats WHERE term = ?').pluck();
  const live = prepareLiveCount(db);
  return (token) => stored.get(token) ?? live(token);
}
