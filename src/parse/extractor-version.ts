/**
 * The version of whatever produces a file's rows. It is stored with each file: when a grammar package is
 * upgraded or grove's extraction changes, exactly the files whose rows came from the old version are
 * redone, and content-addressed reuse only ever reuses rows made by the current version.
 */
import { createRequire } from 'node:module';
import type { FileState, Language, LanguageId } from '../model.js';
import { isParsable } from './languages.js';

/** Bump when queries, symbol/ref/import extraction or the AST chunker change their output. */
const EXTRACTION_VERSION = 3;
/** Bump when the line chunker or the line-level symbol scanner change their output. */
const TEXT_VERSION = 2;

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
 * no rows (skipped, failed), so there is nothing to reuse.
 */
export function extractorVersion(state: FileState, language: Language | null): string | null {
  if (state === 'indexed' && isParsable(language)) {
    return `${language}@${grammarVersion(language)}+x${EXTRACTION_VERSION}`;
  }
  if (state === 'text-only') return `text+t${TEXT_VERSION}`;
  return null;
}
