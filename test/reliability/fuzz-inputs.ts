/**
 * Random and mutated inputs for the fuzz tests, all from a seeded PRNG so that a failure is replayed by
 * its seed and iteration. Mutations start from the golden inputs: broken but code-shaped text reaches
 * deeper into the grammars than noise does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LanguageId } from '../../src/model.js';
import { PARSABLE_LANGUAGES } from '../../src/parse/languages.js';

export type Random = () => number;

export const LANGUAGES = PARSABLE_LANGUAGES;

const GOLDEN = join(import.meta.dirname, '../golden');

/** The golden input files per language: real, varied code to mutate. */
export function goldenSources(): Map<LanguageId, string[]> {
  const sources = new Map<LanguageId, string[]>();
  for (const language of LANGUAGES) {
    const dir = join(GOLDEN, language, 'input');
    sources.set(
      language,
      readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8')),
    );
  }
  return sources;
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
export const between = (random: Random, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));

/** Fragments that grammars treat specially: brackets, quotes, comments, escapes, line ends, odd characters. */
const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '<',
  '>',
  ';',
  ',',
  '"',
  "'",
  '`',
  '/*',
  '*/',
  '//',
  '#',
  '\\',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '    ',
  '\0',
  '\u2028',
  '\ufeff',
  '🌳',
  'é',
  '\ud800',
  'class ',
  'def ',
  'fn ',
  'func ',
  'function ',
  'struct ',
  'template<',
  'import ',
  'export ',
  'return ',
  '=>',
  '::',
  '->',
  '${',
  '"""',
  '#define X ',
  '#if 0\n',
  '#endif\n',
  'package p\n',
  'impl ',
  'public static ',
  '@Override\n',
  'lambda ',
];

/** Random bytes of random length, sometimes with a BOM or a long run of one byte. */
export function randomBytes(random: Random, maxLength: number): Buffer {
  const bytes = Buffer.alloc(between(random, 0, maxLength));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const roll = random();
  if (roll < 0.1 && bytes.length >= 3) bytes.set([0xef, 0xbb, 0xbf]);
  else if (roll < 0.2 && bytes.length >= 2) bytes.set([0xff, 0xfe]);
  else if (roll < 0.3 && bytes.length >= 2) bytes.set([0xfe, 0xff]);
  else if (roll < 0.4)
    bytes.fill(pick(random, [0x20, 0x0a, 0x41, 0x00, 0x7b]), between(random, 0, bytes.length));
  return bytes;
}

/** A soup of grammar-significant tokens and identifiers. */
export function tokenSoup(random: Random, maxTokens: number): string {
  const parts: string[] = [];
  for (let n = between(random, 0, maxTokens); n > 0; n--) {
    parts.push(random() < 0.6 ? pick(random, TOKENS) : `id${Math.floor(random() * 1000)} `);
  }
  return parts.join('');
}

/** Edits real code: deletions, duplications, rotations, inserted tokens, flipped characters, line-end changes. */
export function mutateSource(source: string, random: Random): string {
  let text = source;
  for (let edits = between(random, 1, 8); edits > 0; edits--) {
    const at = Math.floor(random() * (text.length + 1));
    const length = Math.floor(random() * 300);
    const roll = random();
    if (roll < 0.2) text = text.slice(0, at) + text.slice(at + length);
    else if (roll < 0.35)
      text = text.slice(0, at) + text.slice(at, at + length).repeat(between(random, 2, 20)) + text.slice(at);
    else if (roll < 0.45) text = `${text.slice(at)}${text.slice(0, at)}`;
    else if (roll < 0.7) text = text.slice(0, at) + tokenSoup(random, 12) + text.slice(at);
    else if (roll < 0.8)
      text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0xffff)) + text.slice(at + 1);
    else if (roll < 0.9) text = text.replace(/\n/g, pick(random, ['\r\n', '\r', '\n\n', '\u2028']));
    else
      text =
        text.slice(0, at) +
        pick(random, ['{', '(', '[', '"', '/*']).repeat(between(random, 50, 3000)) +
        text.slice(at);
  }
  return text;
}

/** One input for a chunker or extractor: mostly mutated code, sometimes token soup or decoded noise. */
export function fuzzSource(random: Random, golden: string[]): string {
  const roll = random();
  if (roll < 0.6) return mutateSource(pick(random, golden), random);
  if (roll < 0.85) return tokenSoup(random, 2000);
  return randomBytes(random, 16_384).toString(pick(random, ['utf8', 'latin1', 'utf16le'] as const));
}
