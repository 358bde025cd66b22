/**
 * Full-text search over chunks: BM25 from FTS5, then a boost for chunks that define a queried symbol.
 */
import type Database from 'better-sqlite3';
import picomatch from 'picomatch';
import { parseQuery } from './fts-query.js';
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
/** BM25 column weights: a whole-identifier hit in the text outweighs a hit on one of its parts. */
const TEXT_WEIGHT = 1.0;
const TERMS_WEIGHT = 0.4;
/** Candidates ranked by BM25 before boosting: boosts can promote a result from this deep. */
const POOL_FACTOR = 3;
const MIN_POOL = 30;
/**
 * A word in more chunks than this is common (`data`, `device` on the kernel): BM25 gives it little
 * weight, but scoring its matches costs ~2.5 us each. The OR pass leaves common words out when the
 * query has rarer ones, and is skipped when all are common and the AND pass found something.
 */
const COMMON_WORD_CHUNKS = 5_000;
/** Defining chunks looked up per queried word, so a widely used symbol still finds its definition. */
const DEFINERS_PER_WORD = 8;
const MAX_DEFINER_WORDS = 4;
/** Score multipliers for a chunk whose symbol is a queried word, matches it ignoring case, or contains it. */
const BOOST_EXACT = 2.0;
const BOOST_CASELESS = 1.8;
const BOOST_CONTAINS = 1.3;

const BM25 = `bm25(chunks_fts, ${TEXT_WEIGHT}, ${TERMS_WEIGHT})`;
const FILTERS = `(@language IS NULL OR f.language = @language)
  AND (@kind IS NULL OR c.kind = @kind)
  AND (@glob IS NULL OR grove_glob(@glob, f.path))`;

interface Candidate {
  id: number;
  rank: number;
}

interface ChunkMeta {
  path: string;
  language: string | null;
  start_line: number;
  end_line: number;
  kind: string;
  symbol: string | null;
}

function prepare(db: Database.Database) {
  return {
    // Without filters FTS5 alone ranks; joining only for filters keeps the common case cheap.
    ranked: db.prepare<[string, number], Candidate>(
      `SELECT rowid AS id, ${BM25} AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?`,
    ),
    rankedFiltered: db.prepare<[Record<string, unknown>], Candidate>(
      `SELECT chunks_fts.rowid AS id, ${BM25} AS rank
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN files f ON f.id = c.file_id
       WHERE chunks_fts MATCH @match AND ${FILTERS} ORDER BY rank LIMIT @limit`,
    ),
    definers: db
      .prepare<[Record<string, unknown>], number>(
        `SELECT c.id FROM symbols s
       JOIN chunks c ON c.file_id = s.file_id AND c.start_line <= s.start_line AND c.end_line >= s.start_line
       JOIN files f ON f.id = s.file_id
       WHERE s.name = @name AND ${FILTERS} LIMIT ${DEFINERS_PER_WORD}`,
      )
      .pluck(),
    rankOf: db
      .prepare<[string, number], number>(
        `SELECT ${BM25} FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid = ?`,
      )
      .pluck(),
    meta: db.prepare<[number], ChunkMeta>(
      `SELECT f.path, f.language, c.start_line, c.end_line, c.kind, c.symbol
       FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id = ?`,
    ),
    text: db.prepare<[number], string>('SELECT text FROM chunks WHERE id = ?').pluck(),
    // Counts matches up to a cap: walking a doclist is cheap, scoring it is not.
    cappedCount: db
      .prepare<[string, number], number>(
        'SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)',
      )
      .pluck(),
  };
}

/** Registers `grove_glob(pattern, path)`, caching the compiled matcher of the last pattern. */
function registerGlob(db: Database.Database): void {
  let lastPattern = '';
  let lastMatcher: (path: string) => boolean = () => false;
  db.function('grove_glob', { deterministic: true }, (pattern: unknown, path: unknown) => {
    if (typeof pattern !== 'string' || typeof path !== 'string') return 0;
    if (pattern !== lastPattern) {
      try {
        lastMatcher = picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
      } catch {
        lastMatcher = (candidate) => candidate === pattern; // an unparsable glob is a literal path
      }
      lastPattern = pattern;
    }
    return lastMatcher(path) ? 1 : 0;
  });
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

/** Creates the search function over an open index database. */
export function createSearch(db: Database.Database) {
  registerGlob(db);
  const s = prepare(db);
  return function search(query: string, options: SearchOptions = {}): SearchResult[] {
    try {
      return run(query, options);
    } catch (error) {
      // Only FTS5 query errors are generic SQLITE_ERRORs here; parseQuery should never produce one,
      // but a user's query must not fail the command if it does. Corruption and I/O errors propagate.
      if ((error as { code?: unknown }).code === 'SQLITE_ERROR') return [];
      throw error;
    }
  };

  function run(query: string, options: SearchOptions): SearchResult[] {
    const parsed = parseQuery(query);
    if (parsed.match === '') return [];
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
    const pool = Math.max(limit * POOL_FACTOR, MIN_POOL);
    const filters = {
      language: options.language ?? null,
      kind: options.kind ?? null,
      glob: options.pathGlob ?? null,
    };
    const filtered = filters.language !== null || filters.kind !== null || filters.glob !== null;
    const candidates = new Map<number, number>();
    const rank = (match: string): void => {
      const rows = filtered
        ? s.rankedFiltered.all({ match, limit: pool, ...filters })
        : s.ranked.all(match, pool);
      for (const row of rows) if (!candidates.has(row.id)) candidates.set(row.id, row.rank);
    };
    // Chunks with every word first: on a big index the OR of common words matches (and bm25-scores)
    // a large share of all chunks. Scores agree between both: bm25 sums over the same phrases.
    rank(parsed.matchAll);
    if (candidates.size < pool && parsed.matchAll !== parsed.match) {
      const rare = parsed.clauses.filter(
        (c) => (s.cappedCount.get(c, COMMON_WORD_CHUNKS + 1) ?? 0) <= COMMON_WORD_CHUNKS,
      );
      if (rare.length > 0) rank(rare.join(' OR '));
      else if (candidates.size === 0) rank(parsed.match);
    }
    for (const name of parsed.words.slice(0, MAX_DEFINER_WORDS)) {
      for (const id of s.definers.all({ name, ...filters })) {
        if (candidates.has(id)) continue;
        const r = s.rankOf.get(parsed.match, id);
        if (r !== undefined) candidates.set(id, r);
      }
    }

    const scored: Array<SearchResult & { id: number }> = [];
    for (const [id, rank] of candidates) {
      const meta = s.meta.get(id);
      if (meta === undefined) continue;
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
