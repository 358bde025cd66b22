/**
 * Turns arbitrary user input into a safe FTS5 MATCH expression. User text never reaches FTS5 syntax:
 * every term is extracted by our own regex and double-quoted, so `"`, `*`, `AND(`, `NEAR` and the like
 * are plain words or nothing.
 */
import { splitIdentifier } from './code-terms.js';

/** Longer queries cost more than they help ranking; the rest of the words are ignored. */
const MAX_QUERY_WORDS = 16;
/** A longer "word" is pasted data, not a search term; cut so the FTS query stays small. */
const MAX_WORD_LENGTH = 128;

/** Dropped from natural-language queries (unless nothing else is left): they match nearly every chunk. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by does do for from how in is it of on or that the this to what when where which who why with'.split(
    ' ',
  ),
);

/** A word: identifier characters, possibly joined by `.`, `-` or `::` (`os.path`, `std::vector`). */
const WORD = /[\p{L}\p{N}_$]+(?:(?:[.-]|::)[\p{L}\p{N}_$]+)*/gu;
/** The FTS tokenizer (unicode61, tokenchars `_`) splits on everything else. */
const TOKEN_SEPARATOR = /[^\p{L}\p{N}_]+/u;

export interface ParsedQuery {
  /** FTS5 MATCH expression for chunks having any of the words; empty when nothing is searchable. */
  match: string;
  /** FTS5 MATCH expression for chunks having all the words (equal to `match` for one word). */
  matchAll: string;
  /** One FTS5 expression per word (`match` is their OR, `matchAll` their AND). */
  clauses: string[];
  /** Per clause, its alternatives, each the tokens that must all be present (what `clauses` say). */
  alternatives: string[][][];
  /** The words as typed (deduplicated), for symbol lookups and boosts. */
  words: string[];
  /** Lowercase words, their FTS tokens and identifier parts: what a snippet line should contain. */
  needles: string[];
}

/** One FTS5 phrase holding exactly `term`. */
export function quotePhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** An FTS5 expression matching chunks with every one of `terms`. */
export function allOf(terms: ReadonlyArray<string>): string {
  return terms.length === 1 ? quotePhrase(terms[0] ?? '') : `(${terms.map(quotePhrase).join(' AND ')})`;
}

/** The OR (`match`) and the AND (`matchAll`) of clauses, as a parsed query holds them. */
export function combineClauses(clauses: ReadonlyArray<string>): { match: string; matchAll: string } {
  return {
    match: clauses.join(' OR '),
    matchAll: clauses.length <= 1 ? (clauses[0] ?? '') : clauses.map((c) => `(${c})`).join(' AND '),
  };
}

/**
 * Parses a search query. Each word matches either as typed (its FTS tokens, all present) or through
 * its identifier parts (all present, via the terms column). Words are ORed in `match` so that
 * natural-language queries still find chunks sharing only some words; `matchAll` lets the search try
 * the (much smaller, usually better) set of chunks with every word first.
 */
export function parseQuery(query: string): ParsedQuery {
  const found = [...query.matchAll(WORD)].map((m) => m[0].slice(0, MAX_WORD_LENGTH));
  const unique = [...new Set(found)];
  const meaningful = unique.filter((w) => !STOP_WORDS.has(w.toLowerCase()));
  const words = (meaningful.length > 0 ? meaningful : unique).slice(0, MAX_QUERY_WORDS);

  const clauses = new Set<string>();
  const alternativesOf = new Map<string, string[][]>();
  const needles = new Set<string>();
  for (const word of words) {
    const tokens = [
      ...new Set(
        word
          .toLowerCase()
          .split(TOKEN_SEPARATOR)
          .filter((t) => t.length > 0),
      ),
    ];
    if (tokens.length === 0) continue;
    const parts = [...new Set(splitIdentifier(word))];
    needles.add(word.toLowerCase());
    for (const t of [...tokens, ...parts]) needles.add(t);
    const alternatives = [allOf(tokens)];
    const tokenLists = [tokens];
    if (parts.length > 0 && parts.join(' ') !== tokens.join(' ')) {
      alternatives.push(allOf(parts));
      tokenLists.push(parts);
    }
    const clause = alternatives.length === 1 ? (alternatives[0] ?? '') : `(${alternatives.join(' OR ')})`;
    clauses.add(clause);
    alternativesOf.set(clause, tokenLists);
  }
  const list = [...clauses];
  return {
    clauses: list,
    alternatives: list.map((c) => alternativesOf.get(c) ?? []),
    ...combineClauses(list),
    words,
    needles: [...needles],
  };
}
