/**
 * Full-text search over chunks: BM25 over candidates (fast-candidates.ts) or, exhaustively, every match
 * ranked by FTS5; then a boost for chunks that define a queried symbol.
 */
import type Database from 'better-sqlite3';
import { createChunkScorer } from './chunk-scorer.js';
import { createFastCandidates, type SearchTuning } from './fast-candidates.js';
import { type ParsedQuery, parseQuery } from './fts-query.js';
import { MatchCache } from './match-cache.js';
import { type Filters, prepareSearch, registerGlob, TERMS_WEIGHT } from './search-statements.js';
import { makeSnippet } from './snippet.js';

export interface SearchOptions {
  /** Maximum results (default 20, at most 1000). */
  limit?: number;
  /** Only chunks of files in this language. */
  language?: string;
  /** Only files whose path matches this glob (picomatch; a pattern without `/` matches the base name). */
  pathGlob?: string;
  /** Only chunks of this kind (`function`, `class`, `text`, ...). */
  kind?: string;
  /**
   * Rank every matching chunk by BM25 instead of taking the fast path's candidates: exact, but on a big
   * index a query of common words scores hundreds of thousands of chunks (seconds).
   */
  exhaustive?: boolean;
}

/** Ranked results, and whether they may differ from the exhaustive ranking (see `exhaustive`). */
export interface SearchAnswer {
  results: SearchResult[];
  approximate: boolean;
}

export interface SearchResult {
  path: string;
  startLine: number;
  endLine: number;
  symbol: string | null;
  kind: string;
  /** Positive; higher is better. Comparable only within one query. */
  score: number;
  snippet: string;
  language: string | null;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1_000;
/** Score multipliers for a chunk whose symbol is a queried word, matches it ignoring case, or contains it. */
const BOOST_EXACT = 2.0;
const BOOST_CASELESS = 1.8;
const BOOST_CONTAINS = 1.3;

/** Locale-independent order, so results are the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function boost(symbol: string | null, words: ReadonlyArray<string>): number {
  if (symbol === null) return 1;
  let best = 1;
  const lower = symbol.toLowerCase();
  for (const word of words) {
    if (symbol === word) return BOOST_EXACT;
    const w = word.toLowerCase();
    if (lower === w) best = Math.max(best, BOOST_CASELESS);
    else if (w.length >= 3 && lower.includes(w)) best = Math.max(best, BOOST_CONTAINS);
  }
  return best;
}

/** Creates the search function over an open index database. */
export function createSearch(db: Database.Database, tuning: SearchTuning = {}) {
  registerGlob(db);
  const s = prepareSearch(db);
  const fastCandidates = createFastCandidates(
    s,
    createChunkScorer(db, TERMS_WEIGHT),
    new MatchCache(db),
    tuning,
  );
  return function search(query: string, options: SearchOptions = {}): SearchAnswer {
    try {
      return run(query, options);
    } catch (error) {
      // Only FTS5 query errors are generic SQLITE_ERRORs here; parseQuery should never produce one,
      // but a user's query must not fail the command if it does. Corruption and I/O errors propagate.
      if ((error as { code?: unknown }).code === 'SQLITE_ERROR') return { results: [], approximate: false };
      throw error;
    }
  };

  function run(query: string, options: SearchOptions): SearchAnswer {
    const parsed = parseQuery(query);
    if (parsed.match === '') return { results: [], approximate: false };
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
    const filters = {
      language: options.language ?? null,
      kind: options.kind ?? null,
      glob: options.pathGlob ?? null,
    };
    const found =
      options.exhaustive === true
        ? { candidates: exhaustiveCandidates(parsed, limit, filters), unseenBelow: 0 }
        : fastCandidates(parsed, limit, filters);
    const results = finish(found.candidates, parsed, limit);
    // Exact when no chunk left unranked could outscore the last result even with the largest boost.
    const last = results.length < limit ? 0 : (results.at(-1)?.score ?? 0);
    return { results, approximate: found.unseenBelow * BOOST_EXACT > last };
  }

  /**
   * Every match in BM25 order, read until no later chunk can reach the top `limit` even with the
   * largest boost.
   */
  function exhaustiveCandidates(parsed: ParsedQuery, limit: number, filters: Filters): Map<number, number> {
    const candidates = new Map<number, number>();
    const best: number[] = []; // boosted scores of the best `limit` so far, descending
    for (const row of s.rankedAll.iterate({ match: parsed.match, ...filters })) {
      const score = Math.max(-row.rank, 1e-9);
      if (best.length >= limit && score * BOOST_EXACT < (best[limit - 1] ?? 0)) break;
      candidates.set(row.id, row.rank);
      const boosted = score * boost(s.meta.get(row.id)?.symbol ?? null, parsed.words);
      let at = best.length;
      while (at > 0 && (best[at - 1] ?? 0) < boosted) at--;
      if (at < limit) {
        best.splice(at, 0, boosted);
        if (best.length > limit) best.pop();
      }
    }
    return candidates;
  }

  /** Boosts, sorts and cuts the candidates, then builds snippets for the results kept. */
  function finish(candidates: Map<number, number>, parsed: ParsedQuery, limit: number): SearchResult[] {
    const scored: Array<SearchResult & { id: number }> = [];
    // Only candidates that can be results once boosted have their path read: first the ones whose best
    // boost reaches `limit` others' unboosted scores, then by their boosted score (ties kept).
    const unboosted = [...candidates.values()].map((rank) => Math.max(-rank, 1e-9)).sort((a, b) => b - a);
    const cut = (unboosted[limit - 1] ?? 0) / BOOST_EXACT;
    const contenders = [...candidates].filter(([, rank]) => Math.max(-rank, 1e-9) >= cut).map(([id]) => id);
    const boosted = s.symbolsOf.all(JSON.stringify(contenders)).map((c) => ({
      id: c.id,
      score: Math.max(-(candidates.get(c.id) ?? 0), 1e-9) * boost(c.symbol, parsed.words),
    }));
    const best = boosted.map((c) => c.score).sort((a, b) => b - a);
    const floor = best[limit - 1] ?? 0;
    const finalists = boosted.filter((c) => c.score >= floor).map((c) => c.id);
    // One statement for all candidates: per-row calls cost more than the rows on big candidate sets.
    for (const meta of s.metaOf.iterate(JSON.stringify(finalists))) {
      const id = meta.id;
      const rank = candidates.get(id) ?? 0;
      scored.push({
        id,
        path: meta.path,
        startLine: meta.start_line,
        endLine: meta.end_line,
        symbol: meta.symbol,
        kind: meta.kind,
        // bm25() is negative, lower is better; floor it so every score stays positive.
        score: Math.max(-rank, 1e-9) * boost(meta.symbol, parsed.words),
        snippet: '',
        language: meta.language,
      });
    }
    scored.sort((a, b) => b.score - a.score || compareText(a.path, b.path) || a.startLine - b.startLine);
    return scored.slice(0, limit).map(({ id, ...result }) => ({
      ...result,
      snippet: makeSnippet(s.text.get(id) ?? '', result.startLine, parsed.needles),
    }));
  }
}
