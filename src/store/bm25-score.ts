/**
 * FTS5's bm25() recomputed in JavaScript for a few hundred candidate chunks (fts5_aux.c):
 *
 *   score = sum over phrases p of idf(p) * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))
 *
 * where f is the weighted count of p in the chunk (text column weight 1.0, terms column 0.4), D the
 * chunk's tokens, idf(p) = ln((N - n + 0.5) / (n + 0.5)) floored at 1e-6, n the chunks holding p.
 * Frequencies come from the chunk's text, tokenized as FTS5's unicode61 tokenizer does for the query's
 * (lowercase) tokens; the terms column holds each identifier part once (code-terms.ts).
 */
import { codeTerms } from './code-terms.js';

const NON_ASCII = /[^ -~\t\n\r]/;
const COMBINING_MARKS = /\p{Mn}/gu;
const K1 = 1.2;
const DOT = 46;
const DASH = 45;
const B = 0.75;
const MIN_IDF = 1e-6;

/** The phrases of an FTS5 expression built by fts-query.ts, in order: each quoted token is one. */
export function phrasesOf(match: string): string[] {
  return [...match.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] ?? '').replaceAll('""', '"'));
}

export function idf(rows: number, docs: number): number {
  const value = Math.log((rows - docs + 0.5) / (docs + 0.5));
  return value > 0 ? value : MIN_IDF;
}

/** unicode61's token characters beyond ASCII: letters, numbers and private-use characters. */
const NON_ASCII_TOKEN = /[\p{L}\p{N}\p{Co}]/u;

/** Whether `code` can be part of an FTS token (letters, digits, `_`, as unicode61 with tokenchars `_`). */
function isTokenChar(code: number): boolean {
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90)
    );
  }
  return NON_ASCII_TOKEN.test(String.fromCharCode(code));
}

/** Occurrences of the lowercase token `token` as a whole token of `lower` (the lowercased text). */
function countToken(lower: string, token: string): number {
  let count = 0;
  let at = lower.indexOf(token);
  while (at >= 0) {
    const end = at + token.length;
    if (
      (at === 0 || !isTokenChar(lower.charCodeAt(at - 1))) &&
      (end >= lower.length || !isTokenChar(lower.charCodeAt(end)))
    ) {
      count++;
    }
    at = lower.indexOf(token, end);
  }
  return count;
}

/** Whether `token` is an identifier part of `text` (in its terms column), looking only at lines holding it. */
function isPart(text: string, lower: string, token: string): boolean {
  if (lower.length !== text.length) return codeTerms(text).split(' ').includes(token);
  let at = lower.indexOf(token);
  while (at >= 0) {
    const end = at + token.length;
    // A whole token is a part only inside a dotted or dashed path (`os.path`): skip the rest cheaply.
    const before = at > 0 ? lower.charCodeAt(at - 1) : 0;
    const after = end < lower.length ? lower.charCodeAt(end) : 0;
    const joined = before === DOT || before === DASH || after === DOT || after === DASH;
    if (joined || isTokenChar(before) || isTokenChar(after)) {
      const start = lower.lastIndexOf('\n', at) + 1;
      const newline = lower.indexOf('\n', at);
      const lineEnd = newline < 0 ? lower.length : newline;
      if (codeTerms(text.slice(start, lineEnd)).split(' ').includes(token)) return true;
      at = lower.indexOf(token, lineEnd);
    } else {
      at = lower.indexOf(token, end);
    }
  }
  return false;
}

/** Weighted frequency of each phrase in a chunk's text (text weight 1.0, terms weight `termsWeight`). */
export function phraseFrequencies(
  text: string,
  phrases: ReadonlyArray<string>,
  termsWeight: number,
): number[] {
  // unicode61 folds diacritics (`café` is the token `cafe`); ASCII text, nearly all code, has none.
  const folded = NON_ASCII.test(text) ? text.normalize('NFD').replace(COMBINING_MARKS, '') : text;
  const lower = folded.toLowerCase();
  return phrases.map((token) => countToken(lower, token) + (isPart(folded, lower, token) ? termsWeight : 0));
}

/** Each phrase's term of the BM25 sum with idf 1: f (k1 + 1) / (f + k1 (1 - b + b D / avgdl)). */
export function bm25Terms(
  frequencies: ReadonlyArray<number>,
  documentTokens: number,
  averageTokens: number,
): number[] {
  const norm = K1 * (1 - B + (B * documentTokens) / averageTokens);
  return frequencies.map((f) => (f > 0 ? (f * (K1 + 1)) / (f + norm) : 0));
}

/** The positive BM25 score (FTS5's bm25() negated). */
export function bm25Score(
  frequencies: ReadonlyArray<number>,
  idfs: ReadonlyArray<number>,
  documentTokens: number,
  averageTokens: number,
): number {
  const norm = K1 * (1 - B + (B * documentTokens) / averageTokens);
  let score = 0;
  for (let i = 0; i < frequencies.length; i++) {
    const f = frequencies[i] ?? 0;
    if (f > 0) score += (idfs[i] ?? 0) * ((f * (K1 + 1)) / (f + norm));
  }
  return score;
}
