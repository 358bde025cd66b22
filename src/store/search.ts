/**
 * Full-text search over chunks: BM25 from FTS5, then a boost for chunks that define a queried symbol.
 */
import type Database from 'better-sqlite3';
import { createDefinerScoring } from './definer-scoring.js';
import { type ParsedQuery, parseQuery } from './fts-query.js';
import {
  type Candidate,
  type Filters,
  prepareSearch,
  registerGlob,
  TERMS_WEIGHT,
} from './search-statements.js';
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
/** Candidates ranked by BM25 before boosting: boosts can promote a result from this deep. */
const POOL_FACTOR = 3;
const MIN_POOL = 30;
/**
 * A word in more chunks than this is common (`data`, `device` on the kernel): BM25 gives it little
 * weight, but scoring its matches costs ~2.5 us each. The OR pass leaves common words out when the
 * query has rarer ones, and is skipped when all are common and the AND pass found something.
 */
const COMMON_WORD_CHUNKS = 5_000;
/** Queried words whose defining chunks are looked up. */
const MAX_DEFINER_WORDS = 4;
/** Score multipliers for a chunk whose symbol is a queried word, matches it ignoring case, or contains it. */
const BOOST_EXACT = 2.0;
const BOOST_CASELESS = 1.8;
const BOOST_CONTAINS = 1.3;

/**
 * Chunk id -> bm25 rank; `unseenBelow`: every match of the query not in `candidates` scores at most
 * this (before boosts), +Infinity when some matches were never ranked.
 */
interface Candidates {
  candidates: Map<number, number>;
  unseenBelow: number;
}

function filtered(filters: Filters): boolean {
  return filters.language !== null || filters.kind !== null || filters.glob !== null;
}

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

/** Tunables a test can lower to exercise the fast path on a small index. */
export interface SearchTuning {
  /** A word in more chunks than this is common (default COMMON_WORD_CHUNKS). */
  commonWordChunks?: number;
}

/** Creates the search function over an open index database. */
export function createSearch(db: Database.Database, tuning: SearchTuning = {}) {
  registerGlob(db);
  const s = prepareSearch(db);
  const commonWordChunks = tuning.commonWordChunks ?? COMMON_WORD_CHUNKS;
  const definerScoring = createDefinerScoring(db, TERMS_WEIGHT);
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

  /**
   * The fast path. Exact BM25 scores (over every phrase of the query) for: the chunks with every word,
   * the chunks with a rare word (in at most COMMON_WORD_CHUNKS chunks), and the chunks defining a
   * queried word. A chunk holding only common words is ranked only when nothing else matches.
   */
  function fastCandidates(parsed: ParsedQuery, limit: number, filters: Filters): Candidates {
    const pool = Math.max(limit * POOL_FACTOR, MIN_POOL);
    const candidates = new Map<number, number>();
    const fullyScored: Candidate[] = []; // ranked by FTS5 over every phrase of the query
    let unseenBelow = Number.POSITIVE_INFINITY; // no unranked match of the full query scores more
    const rank = (match: string): void => {
      const rows = filtered(filters)
        ? s.rankedFiltered.all({ match, limit: pool, ...filters })
        : s.ranked.all(match, pool);
      if (match === parsed.match) unseenBelow = rows.length < pool ? 0 : -(rows.at(-1)?.rank ?? 0);
      if (match === parsed.match || match === parsed.matchAll) fullyScored.push(...rows);
      for (const row of rows) if (!candidates.has(row.id)) candidates.set(row.id, row.rank);
    };
    // Chunks with every word first: on a big index the OR of common words matches (and bm25-scores)
    // a large share of all chunks. Scores agree between both: bm25 sums over the same phrases.
    rank(parsed.matchAll);
    if (parsed.matchAll !== parsed.match) {
      const rare: string[] = [];
      const common: string[] = [];
      for (const clause of parsed.clauses) {
        const count = s.cappedCount.get(clause, commonWordChunks + 1) ?? 0;
        (count <= commonWordChunks ? rare : common).push(clause);
      }
      if (common.length === 0) rank(parsed.match);
      else if (rare.length > 0) rank(rare.join(' OR '));
      else if (candidates.size === 0) rank(parsed.match);
    }
    const definers = new Set<number>();
    for (const name of parsed.words.slice(0, MAX_DEFINER_WORDS)) {
      for (const id of s.definers.all({ name, ...filters })) if (!candidates.has(id)) definers.add(id);
    }
    if (definers.size > 0) {
      const scored = definerScoring.score(parsed.alternatives, fullyScored, [...definers]);
      for (const [id, r] of scored.ranks) candidates.set(id, r);
      for (const id of scored.unscored) {
        const r = s.rankOf.get(parsed.match, id, id);
        if (r !== undefined) candidates.set(id, r);
      }
    }
    return { candidates, unseenBelow };
  }

  /** Boosts, sorts and cuts the candidates, then builds snippets for the results kept. */
  function finish(candidates: Map<number, number>, parsed: ParsedQuery, limit: number): SearchResult[] {
    const scored: Array<SearchResult & { id: number }> = [];
    // One statement for all candidates: per-row calls cost more than the rows on big candidate sets.
    for (const meta of s.metaOf.iterate(JSON.stringify([...candidates.keys()]))) {
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
