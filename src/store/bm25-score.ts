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
import { codeTerms, identifierPartsAt } from './code-terms.js';

const COMBINING_MARKS = /\p{Mn}/gu;
const NON_ASCII_RUN = /[^\0-\x7f]+/g;
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

/** `[a-z0-9]`: identifier parts never split between two of these (code-terms.ts). */
function isLowerOrDigit(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/**
 * The weighted frequency of the lowercase token `token` in a chunk: its occurrences as a whole token of
 * `lower` (the text column), plus `termsWeight` when it is an identifier part of `text` (the terms column
 * holds each part once). `lower` is `text` lowercased, of the same length.
 */
function tokenFrequency(text: string, lower: string, token: string, termsWeight: number): number {
  let count = 0;
  let part = false;
  let at = lower.indexOf(token);
  while (at >= 0) {
    const end = at + token.length;
    const before = at > 0 ? lower.charCodeAt(at - 1) : 0;
    const after = end < lower.length ? lower.charCodeAt(end) : 0;
    const whole = !isTokenChar(before) && !isTokenChar(after);
    if (whole) count++;
    // A whole token is a part only inside a dotted or dashed path (`os.path`); an occurrence inside a
    // word is one only at part boundaries, never between two of `[a-z0-9]` (`kfree`, `metadata`).
    if (
      !part &&
      (whole ? before === DOT || before === DASH || after === DOT || after === DASH : true) &&
      !(at > 0 && isLowerOrDigit(text.charCodeAt(at - 1)) && isLowerOrDigit(text.charCodeAt(at))) &&
      !(end < text.length && isLowerOrDigit(text.charCodeAt(end - 1)) && isLowerOrDigit(text.charCodeAt(end)))
    ) {
      part = identifierPartsAt(text, at).includes(token);
    }
    at = lower.indexOf(token, end);
  }
  return count + (part ? termsWeight : 0);
}

/**
 * Whether `text` holds a character beyond ASCII. UTF-8 needs more bytes than characters exactly then;
 * the native count is ~20x faster than a character loop or a regex class scan, which cost more than
 * scoring the chunk.
 */
function hasNonAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') !== text.length;
}

function foldRun(run: string): string {
  return run.normalize('NFD').replace(COMBINING_MARKS, '');
}

/** Weighted frequency of each phrase in a chunk's text (text weight 1.0, terms weight `termsWeight`). */
export function phraseFrequencies(
  text: string,
  phrases: ReadonlyArray<string>,
  termsWeight: number,
): number[] {
  // unicode61 folds diacritics (`café` is the token `cafe`); ASCII text, nearly all code, has none.
  // Only the non-ASCII runs are normalized (NFD decomposes each character on its own): normalizing a
  // whole chunk cost ~100 us, more than scoring it.
  const folded = hasNonAscii(text) ? text.replace(NON_ASCII_RUN, foldRun) : text;
  const lower = folded.toLowerCase();
  if (lower.length !== folded.length) {
    // Lowercasing changed lengths (`İ`): positions differ between the two, so parts come from codeTerms.
    const parts = new Set(codeTerms(folded).split(' '));
    return phrases.map(
      (token) => tokenFrequency(lower, lower, token, 0) + (parts.has(token) ? termsWeight : 0),
    );
  }
  return phrases.map((token) => tokenFrequency(folded, lower, token, termsWeight));
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
