/**
 * Where each parsable language's tree-sitter grammar lives and how it is loaded. The grammar npm
 * packages ship prebuilt `.wasm` files; we resolve them through Node's resolver so the same code works
 * from `src/` (vitest) and from `dist/` (after tsc), wherever node_modules ends up.
 */
import { createRequire } from 'node:module';
import { Language } from 'web-tree-sitter';
import type { LanguageId } from '../model.js';

const WASM_FILES: Readonly<Record<LanguageId, string>> = {
  c: 'tree-sitter-c/tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp/tree-sitter-cpp.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  go: 'tree-sitter-go/tree-sitter-go.wasm',
  rust: 'tree-sitter-rust/tree-sitter-rust.wasm',
  java: 'tree-sitter-java/tree-sitter-java.wasm',
};

const require = createRequire(import.meta.url);

/** Absolute path of the grammar's `.wasm` file. */
export function grammarPath(language: LanguageId): string {
  return require.resolve(WASM_FILES[language]);
}

/** Loads one grammar; `Parser.init()` must have completed first. */
export function loadGrammar(language: LanguageId): Promise<Language> {
  return Language.load(grammarPath(language));
}
