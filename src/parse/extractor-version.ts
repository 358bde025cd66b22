/**
 * The version of whatever produces a file's rows. It is stored with each file: when a grammar package is
 * upgraded or grove's extraction changes, exactly the files whose rows came from the old version are
 * redone, and content-addressed reuse only ever reuses rows made by the current version.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FileState, Language, LanguageId } from '../model.js';
import { isCFamily, isParsable } from './languages.js';

/** Bump when queries, symbol/ref/import extraction or the AST chunker change their output. */
const EXTRACTION_VERSION = 16;
/** Bump when the line chunker or the line-level symbol scanner change their output. */
const TEXT_VERSION = 3;
/**
 * Bump when the classifier keeps fewer C or C++ files as text (they should now be parsed): their rows
 * came from a verdict that no longer holds. 1: only headers are macro tables; 2: of at least 64 KiB.
 */
const C_TEXT_VERSION = 2;

const GRAMMAR_PACKAGES: Readonly<Record<LanguageId, string>> = {
  c: 'tree-sitter-c',
  cpp: 'tree-sitter-cpp',
  python: 'tree-sitter-python',
  javascript: 'tree-sitter-javascript',
  typescript: 'tree-sitter-typescript',
  tsx: 'tree-sitter-typescript',
  go: 'tree-sitter-go',
  rust: 'tree-sitter-rust',
  java: 'tree-sitter-java',
};

const require = createRequire(import.meta.url);
const grammarVersions = new Map<LanguageId, string>();
const parsedVersions = new Map<LanguageId, string>();
const TEXT_EXTRACTOR = `text+t${TEXT_VERSION}`;
const C_TEXT_EXTRACTOR = `${TEXT_EXTRACTOR}+c${C_TEXT_VERSION}`;

function grammarVersion(language: LanguageId): string {
  let version = grammarVersions.get(language);
  if (version === undefined) {
    version = (require(`${GRAMMAR_PACKAGES[language]}/package.json`) as { version: string }).version;
    grammarVersions.set(language, version);
  }
  return version;
}

/**
 * What produces the rows of a file that ends in `state` with `language` now; null when such a file has
 * no rows (skipped, failed), so there is nothing to reuse. A C or C++ file parsed with project macros
 * (`--macro`) has their digest in its version: a changed list redoes exactly those files.
 */
export function extractorVersion(
  state: FileState,
  language: Language | null,
  macros: readonly string[] = [],
): string | null {
  if (state === 'indexed' && isParsable(language)) {
    // Asked once per unchanged file of a re-run: built once per language, not 78k times.
    let version = parsedVersions.get(language);
    if (version === undefined) {
      version = `${language}@${grammarVersion(language)}+x${EXTRACTION_VERSION}`;
      parsedVersions.set(language, version);
    }
    return macros.length > 0 && isCFamily(language) ? `${version}+m${macrosDigest(macros)}` : version;
  }
  if (state === 'text-only') return isCFamily(language) ? C_TEXT_EXTRACTOR : TEXT_EXTRACTOR;
  return null;
}

/** A run's macro list is one frozen array: its digest is computed once, not per file. */
const digests = new WeakMap<readonly string[], string>();

function macrosDigest(macros: readonly string[]): string {
  let digest = digests.get(macros);
  if (digest === undefined) {
    digest = createHash('sha256').update(macros.join('\n')).digest('hex').slice(0, 12);
    digests.set(macros, digest);
  }
  return digest;
}
