/**
 * The data that flows through the pipeline and into the store. Plain data only: every stage, the parse
 * workers and the store agree on these shapes, and everything here survives structured cloning.
 * Lines are 1-based and inclusive.
 */
import type { SerializedError } from './errors.js';

export type LanguageId =
  | 'c'
  | 'cpp'
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'tsx'
  | 'go'
  | 'rust'
  | 'java';

/** Languages with a parser, plus the ones we only chunk as text (markdown, json, ...). */
export type Language = LanguageId | (string & {});

export type FileState = 'indexed' | 'text-only' | 'skipped' | 'failed';

/** What the classifier decided to do with a file. */
export type Strategy = 'parse' | 'text' | 'skip';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface SymbolRecord {
  name: string;
  /** function, method, class, struct, enum, interface, type, macro, variable, constant, module, field... */
  kind: string;
  /** The declaration's head, one line, whitespace collapsed (e.g. `int foo(char *s)`). */
  signature: string;
  startLine: number;
  endLine: number;
  /** Name of the enclosing definition (class for a method), or null at top level. */
  parent: string | null;
}

export interface RefRecord {
  name: string;
  /** call, type, import... */
  kind: string;
  line: number;
}

export interface ImportRecord {
  /** The module specifier as written: `./util`, `os.path`, `linux/kernel.h`, `fmt`. */
  source: string;
  line: number;
}

export interface ChunkRecord {
  startLine: number;
  endLine: number;
  /** The AST node kind the chunk stands for (function, class, ...), or `text` for line windows. */
  kind: string;
  /** The main symbol the chunk defines, if any. */
  symbol: string | null;
  text: string;
}

/** Everything extracted from one file's content. */
export interface Extraction {
  symbols: SymbolRecord[];
  refs: RefRecord[];
  imports: ImportRecord[];
  chunks: ChunkRecord[];
}

/** What the walk learned about a path, before any byte was read. */
export interface WalkEntry {
  /** Relative to the root, `/` separated. */
  path: string;
  absPath: string;
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/** A path the walk found but could not or would not enter; recorded as a skipped/failed file. */
export interface WalkProblem {
  path: string;
  state: 'skipped' | 'failed';
  reason: string;
  error?: SerializedError;
}

/** Stored per file: one row, whatever became of it. */
export interface FileRecord {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  /** Content hash (hex), null when the content was never read (skipped). */
  hash: string | null;
  language: Language | null;
  state: FileState;
  /** Why the file got this state: `parsed`, `binary`, `minified`, `too-large`, `ignored`, ... */
  reason: string;
  error: SerializedError | null;
  /**
   * What produced the file's rows (grammar and extraction logic versions, see parse/extractor-version.ts);
   * rows made by another version are redone. Null for files without rows.
   */
  extractor?: string | null;
}
