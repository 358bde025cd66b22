/**
 * The SQL of search (search.ts): prepared once per open index.
 */
import type Database from 'better-sqlite3';
import { globMatcher } from '../globs.js';

/** BM25 column weights: a whole-identifier hit in the text outweighs a hit on one of its parts. */
export const TEXT_WEIGHT = 1.0;
export const TERMS_WEIGHT = 0.4;
/** Defining chunks looked up per queried word, so a widely used symbol still finds its definition. */
const DEFINERS_PER_WORD = 8;

const BM25 = `bm25(chunks_fts, ${TEXT_WEIGHT}, ${TERMS_WEIGHT})`;
const FILTERS = `(@language IS NULL OR f.language = @language)
  AND (@kind IS NULL OR c.kind = @kind)
  AND (@glob IS NULL OR grove_glob(@glob, f.path))`;

export interface Filters {
  language: string | null;
  kind: string | null;
  glob: string | null;
}

export interface Candidate {
  id: number;
  rank: number;
}

export interface ChunkMeta {
  id: number;
  path: string;
  language: string | null;
  start_line: number;
  end_line: number;
  kind: string;
  symbol: string | null;
}

export interface SearchStatements {
  rankedAll: Database.Statement<[Record<string, unknown>], Candidate>;
  ranked: Database.Statement<[string, number], Candidate>;
  rankedFiltered: Database.Statement<[Record<string, unknown>], Candidate>;
  matching: Database.Statement<[string, number], number>;
  matchingFiltered: Database.Statement<[Record<string, unknown>], number>;
  definers: Database.Statement<[Record<string, unknown>], number>;
  meta: Database.Statement<[number], ChunkMeta>;
  metaOf: Database.Statement<[string], ChunkMeta>;
  symbolsOf: Database.Statement<[string], { id: number; symbol: string | null }>;
  text: Database.Statement<[number], string>;
  cappedCount: Database.Statement<[string, number], number>;
}

export function prepareSearch(db: Database.Database): SearchStatements {
  return {
    // Without filters FTS5 alone ranks; joining only for filters keeps the common case cheap.
    // Exhaustive mode: every match in BM25 order, read until boosts can no longer change the top.
    rankedAll: db.prepare<[Record<string, unknown>], Candidate>(
      `SELECT chunks_fts.rowid AS id, ${BM25} AS rank
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN files f ON f.id = c.file_id
       WHERE chunks_fts MATCH @match AND ${FILTERS} ORDER BY rank`,
    ),
    ranked: db.prepare<[string, number], Candidate>(
      `SELECT rowid AS id, ${BM25} AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?`,
    ),
    rankedFiltered: db.prepare<[Record<string, unknown>], Candidate>(
      `SELECT chunks_fts.rowid AS id, ${BM25} AS rank
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN files f ON f.id = c.file_id
       WHERE chunks_fts MATCH @match AND ${FILTERS} ORDER BY rank LIMIT @limit`,
    ),
    // The chunks of a MATCH in rowid order, without scoring: the doclists are walked, no more.
    matching: db
      .prepare<[string, number], number>('SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?')
      .pluck(),
    matchingFiltered: db
      .prepare<[Record<string, unknown>], number>(
        `SELECT chunks_fts.rowid
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN files f ON f.id = c.file_id
       WHERE chunks_fts MATCH @match AND ${FILTERS} LIMIT @limit`,
      )
      .pluck(),
    definers: db
      .prepare<[Record<string, unknown>], number>(
        `SELECT c.id FROM symbols s
       JOIN chunks c ON c.file_id = s.file_id AND c.start_line <= s.start_line AND c.end_line >= s.start_line
       JOIN files f ON f.id = s.file_id
       WHERE s.name = @name AND ${FILTERS} LIMIT ${DEFINERS_PER_WORD}`,
      )
      .pluck(),
    meta: db.prepare<[number], ChunkMeta>(
      `SELECT c.id, f.path, f.language, c.start_line, c.end_line, c.kind, c.symbol
       FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id = ?`,
    ),
    metaOf: db.prepare<[string], ChunkMeta>(
      `SELECT c.id, f.path, f.language, c.start_line, c.end_line, c.kind, c.symbol
       FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id IN (SELECT value FROM json_each(?))`,
    ),
    symbolsOf: db.prepare<[string], { id: number; symbol: string | null }>(
      'SELECT id, symbol FROM chunks WHERE id IN (SELECT value FROM json_each(?))',
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
export function registerGlob(db: Database.Database): void {
  let lastPattern = '';
  let lastMatcher: (path: string) => boolean = () => false;
  db.function('grove_glob', { deterministic: true }, (pattern: unknown, path: unknown) => {
    if (typeof pattern !== 'string' || typeof path !== 'string') return 0;
    if (pattern !== lastPattern) {
      try {
        lastMatcher = globMatcher(pattern, { dot: true, basename: !pattern.includes('/') });
      } catch {
        lastMatcher = (candidate) => candidate === pattern; // an unparsable glob is a literal path
      }
      lastPattern = pattern;
    }
    return lastMatcher(path) ? 1 : 0;
  });
}
