/**
 * Full-text search over chunks: BM25 from FTS5, then a boost for chunks that define a queried symbol.
 */
import type Database from 'better-sqlite3';
import { phrasesOf } from './bm25-score.js';
import { createChunkScorer } from './chunk-scorer.js';
import { allOf, combineClauses, type ParsedQuery, parseQuery } from './fts-query.js';
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
/** Candidates ranked by BM25 before boosting: boosts can promote a result from this deep. */
const POOL_FACTOR = 3;
const MIN_POOL = 30;
/**
 * A word in more chunks than this is common (`data`, `device` on the kernel): BM25 gives it little
 * weight, but scoring its matches costs ~2.5 us each. The OR pass leaves common words out when the
 * query has rarer ones, and is skipped when all are common and the AND pass found something.
 */
const COMMON_WORD_CHUNKS = 5_000;
/**
 * A MATCH with at most this many chunks may have them all scored in JavaScript (chunk-scorer.ts) when
 * that is cheaper than FTS5's bm25() ranking them; a bigger one is ranked by FTS5 first.
 */
const SCORED_MATCHES = 2_000;
/**
 * Costs in microseconds, measured on the kernel index: FTS5's bm25() walks each phrase's whole doclist
 * (per chunk holding it), then scores each match; the scorer reads and tokenizes each match's text.
 */
const FTS5_US_PER_POSTING = 0.065;
const FTS5_US_PER_MATCH = 0.75;
const SCORER_US_PER_MATCH = 15;
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
  /** A MATCH with more chunks than this is ranked by FTS5 first (default SCORED_MATCHES). */
  scoredMatches?: number;
  /** False: score every MATCH of at most `scoredMatches` chunks here, whatever FTS5 would cost. */
  costModel?: boolean;
}

/** Creates the search function over an open index database. */
export function createSearch(db: Database.Database, tuning: SearchTuning = {}) {
  registerGlob(db);
  const s = prepareSearch(db);
  const commonWordChunks = tuning.commonWordChunks ?? COMMON_WORD_CHUNKS;
  const scoredMatches = tuning.scoredMatches ?? SCORED_MATCHES;
  const costModel = tuning.costModel ?? true;
  const scorer = createChunkScorer(db, TERMS_WEIGHT);
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
   * The fast path. Candidates: the chunks with every word, the chunks with a rare word (in at most
   * COMMON_WORD_CHUNKS chunks), and the chunks defining a queried word; each MATCH contributes all its
   * chunks when they are few, else FTS5's best. A chunk holding only common words is a candidate only
   * when nothing else matches. Every candidate is then scored over every phrase of the query.
   */
  function fastCandidates(parsed: ParsedQuery, limit: number, filters: Filters): Candidates {
    const pool = Math.max(limit * POOL_FACTOR, MIN_POOL);
    const found = new Set<number>();
    const docs = scorer.documentFrequencies(phrasesOf(parsed.match));
    /** Whether scoring `matches` chunks here costs less than FTS5 ranking the MATCH of `phrases`. */
    const cheaperHere = (phrases: string[], matches: number): boolean => {
      if (!costModel) return true;
      const postings = phrases.reduce((sum, token) => sum + (docs.get(token) ?? 0), 0);
      return matches * SCORER_US_PER_MATCH < postings * FTS5_US_PER_POSTING + matches * FTS5_US_PER_MATCH;
    };
    /** Adds the chunks of `match`; returns the bm25 score no chunk left out exceeds (0: none left out). */
    const collect = (match: string): number => {
      const isFiltered = filtered(filters);
      const all = isFiltered
        ? s.matchingFiltered.all({ match, limit: scoredMatches + 1, ...filters })
        : s.matching.all(match, scoredMatches + 1);
      if (all.length <= scoredMatches && cheaperHere(phrasesOf(match), all.length)) {
        for (const id of all) found.add(id);
        return 0;
      }
      const rows = isFiltered
        ? s.rankedFiltered.all({ match, limit: pool, ...filters })
        : s.ranked.all(match, pool);
      for (const row of rows) found.add(row.id);
      return rows.length < pool ? 0 : -(rows.at(-1)?.rank ?? 0);
    };
    let unseenBelow = Number.POSITIVE_INFINITY; // no unranked match of the full query scores more
    const { clauses, narrowed } = narrowClauses(parsed);
    const { match, matchAll } = combineClauses(clauses);
    // Chunks with every word first: on a big index the OR of common words matches a large share of all
    // chunks, and the chunks with every word are usually the best answers.
    const allWords = collect(matchAll);
    if (matchAll === match) {
      if (!narrowed) unseenBelow = allWords;
    } else {
      const rare: string[] = [];
      const common: string[] = [];
      for (const clause of clauses) {
        const count = chunksOf(clause, docs);
        (count <= commonWordChunks ? rare : common).push(clause);
      }
      if (common.length === 0) {
        const floor = collect(match);
        if (!narrowed) unseenBelow = floor;
      } else if (rare.length > 0) {
        collect(rare.join(' OR '));
      } else if (found.size === 0) {
        const floor = collect(match);
        if (!narrowed) unseenBelow = floor;
      }
    }
    // Fewer candidates than results asked for: chunks with only an identifier's parts may fill them.
    if (narrowed && found.size < limit) unseenBelow = collect(parsed.match);
    const matched = [...found];
    for (const name of parsed.words.slice(0, MAX_DEFINER_WORDS)) {
      for (const id of s.definers.all({ name, ...filters })) found.add(id);
    }
    const scores = scorer.score(parsed.alternatives, [...found], docs);
    // FTS5 matched these: one its tokenization counts where this scorer does not still gets a result.
    for (const id of matched) if (!scores.has(id)) scores.set(id, 0);
    return { candidates: scores, unseenBelow };
  }

  /**
   * How many chunks `clause` matches, up to commonWordChunks + 1: a one-phrase clause's count is its
   * token's document frequency, already known.
   */
  function chunksOf(clause: string, docs: ReadonlyMap<string, number>): number {
    const phrases = phrasesOf(clause);
    const known = phrases.length === 1 ? docs.get(phrases[0] ?? '') : undefined;
    return known ?? s.cappedCount.get(clause, commonWordChunks + 1) ?? 0;
  }

  /**
   * An identifier's parts (`get` and `reg` of `get_reg`) can be in a large share of a big index's chunks,
   * and FTS5 then ranks them all. When the identifier is in the index as typed, chunks holding only its
   * parts are left to the last pass (fewer candidates than results). Returns the clauses to match with.
   */
  function narrowClauses(parsed: ParsedQuery): { clauses: string[]; narrowed: boolean } {
    let narrowed = false;
    const clauses = parsed.clauses.map((clause, i) => {
      const [typed, parts] = parsed.alternatives[i] ?? [];
      if (typed === undefined || parts === undefined) return clause;
      if ((s.cappedCount.get(allOf(parts), commonWordChunks + 1) ?? 0) <= commonWordChunks) return clause;
      if ((s.cappedCount.get(allOf(typed), 1) ?? 0) === 0) return clause;
      narrowed = true;
      return allOf(typed);
    });
    return { clauses, narrowed };
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
