/**
 * Search's fast path (search.ts): which chunks are scored for a query. Candidates come from plain
 * MATCHes, without scoring: the chunks with every word, the chunks with a rare word, and the chunks
 * defining a queried word. A MATCH's chunks are all scored by the chunk scorer when that costs less than
 * FTS5 ranking them (FTS5's bm25() walks every phrase's doclist), else FTS5 ranks them and its best are
 * scored. Every candidate is scored over every phrase of the query.
 */
import { phrasesOf } from './bm25-score.js';
import type { ChunkScorer } from './chunk-scorer.js';
import { allOf, combineClauses, type ParsedQuery } from './fts-query.js';
import type { MatchCache } from './match-cache.js';
import type { Filters, SearchStatements } from './search-statements.js';

/** Candidates ranked by BM25 before boosting: boosts can promote a result from this deep. */
const POOL_FACTOR = 3;
const MIN_POOL = 30;
/**
 * A word in more chunks than this is common (`data`, `device` on the kernel): BM25 gives it little
 * weight, but its matches are many to rank. The OR pass leaves common words out when the query has
 * rarer ones, and is skipped when all are common and the AND pass found something.
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
/**
 * Chunk id -> bm25 rank; `unseenBelow`: every match of the query not in `candidates` scores at most
 * this (before boosts), +Infinity when some matches were never ranked.
 */
export interface Candidates {
  candidates: Map<number, number>;
  unseenBelow: number;
}

function filtered(filters: Filters): boolean {
  return filters.language !== null || filters.kind !== null || filters.glob !== null;
}

/** The part of a cache key that tells filtered statements apart (JSON: no filter text can fake another). */
function filterKey(filters: Filters): string {
  return JSON.stringify([filters.language, filters.kind, filters.glob]);
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

/**
 * Returns the fast path's candidate search over prepared statements and a chunk scorer; what the
 * statements answer is remembered in `cache` while the index is unchanged.
 */
export function createFastCandidates(
  s: SearchStatements,
  scorer: ChunkScorer,
  cache: MatchCache,
  tuning: SearchTuning = {},
) {
  const commonWordChunks = tuning.commonWordChunks ?? COMMON_WORD_CHUNKS;
  const scoredMatches = tuning.scoredMatches ?? SCORED_MATCHES;
  const costModel = tuning.costModel ?? true;

  /**
   * The fast path. Candidates: the chunks with every word, the chunks with a rare word (in at most
   * COMMON_WORD_CHUNKS chunks), and the chunks defining a queried word; each MATCH contributes all its
   * chunks when they are few, else FTS5's best. A chunk holding only common words is a candidate only
   * when nothing else matches. Every candidate is then scored over every phrase of the query.
   */
  function fastCandidates(parsed: ParsedQuery, limit: number, filters: Filters): Candidates {
    cache.revalidate();
    const pool = Math.max(limit * POOL_FACTOR, MIN_POOL);
    const filtersKey = filterKey(filters);
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
      const all = cache.rows(`matching\0${filtersKey}\0${scoredMatches}\0${match}`, () =>
        isFiltered
          ? s.matchingFiltered.all({ match, limit: scoredMatches + 1, ...filters })
          : s.matching.all(match, scoredMatches + 1),
      );
      if (all.length <= scoredMatches && cheaperHere(phrasesOf(match), all.length)) {
        for (const id of all) found.add(id);
        return 0;
      }
      const rows = cache.rows(`ranked\0${filtersKey}\0${pool}\0${match}`, () =>
        isFiltered ? s.rankedFiltered.all({ match, limit: pool, ...filters }) : s.ranked.all(match, pool),
      );
      for (const row of rows) found.add(row.id);
      return rows.length < pool ? 0 : -(rows.at(-1)?.rank ?? 0);
    };
    let unseenBelow = Number.POSITIVE_INFINITY; // no unranked match of the full query scores more
    const { clauses, narrowed } = narrowClauses(parsed, limit, docs);
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
        const count = chunksOf(clause, docs, commonWordChunks + 1);
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
      const definers = cache.rows(`definers\0${filtersKey}\0${name}`, () =>
        s.definers.all({ name, ...filters }),
      );
      for (const id of definers) found.add(id);
    }
    const scores = scorer.score(parsed.alternatives, [...found], docs);
    // FTS5 matched these: one its tokenization counts where this scorer does not still gets a result.
    for (const id of matched) if (!scores.has(id)) scores.set(id, 0);
    return { candidates: scores, unseenBelow };
  }

  /**
   * How many chunks `match` holds, up to `cap` (more when known): a one-phrase match's count is its
   * token's document frequency, already known.
   */
  function chunksOf(match: string, docs: ReadonlyMap<string, number>, cap: number): number {
    const phrases = phrasesOf(match);
    const known = phrases.length === 1 ? docs.get(phrases[0] ?? '') : undefined;
    if (known !== undefined) return known;
    const [count = 0] = cache.rows(`count\0${cap}\0${match}`, () => [s.cappedCount.get(match, cap) ?? 0]);
    return count;
  }

  /**
   * An identifier's parts (`get` and `reg` of `get_reg`) can be in a large share of a big index's chunks,
   * and FTS5 then ranks them all. When the identifier is in at least `limit` chunks as typed, chunks
   * holding only its parts are left to the last pass (fewer candidates than results): had it fewer, that
   * pass would rank them anyway. Returns the clauses to match with.
   */
  function narrowClauses(
    parsed: ParsedQuery,
    limit: number,
    docs: ReadonlyMap<string, number>,
  ): { clauses: string[]; narrowed: boolean } {
    let narrowed = false;
    const clauses = parsed.clauses.map((clause, i) => {
      const [typed, parts] = parsed.alternatives[i] ?? [];
      if (typed === undefined || parts === undefined) return clause;
      // The typed form first: it is usually rare, and counting the parts' AND can walk big doclists.
      if (chunksOf(allOf(typed), docs, limit) < limit) return clause;
      if (chunksOf(allOf(parts), docs, commonWordChunks + 1) <= commonWordChunks) return clause;
      narrowed = true;
      return allOf(typed);
    });
    return { clauses, narrowed };
  }

  return fastCandidates;
}
