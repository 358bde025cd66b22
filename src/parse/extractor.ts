/**
 * The tree-sitter extraction API the parse workers call: source text in, symbols, references, imports
 * and chunks out. One extractor per worker thread; it owns its parsers, queries and grammars (WASM
 * memory that the GC never sees) until `close()`.
 */
import { type Language, Parser, Query, type QueryMatch, type Tree } from 'web-tree-sitter';
import { GroveError } from '../errors.js';
import type { Extraction, LanguageId } from '../model.js';
import { blankAnnotationMacros, projectMacroPattern } from './annotation-macros.js';
import { chunkSpans } from './ast-chunker.js';
import { keepFirstBranchWhereUnbalanced } from './conditional-branches.js';
import { blankConditionsAroundElse } from './conditional-else.js';
import { blankStaticBeforeMacroCalls } from './file-scope-macro-calls.js';
import { loadGrammar, runtimeInitOptions, type WasmModule } from './grammars.js';
import { labelChunks } from './label-chunks.js';
import { isCFamily } from './languages.js';
import { createLineIndex } from './line-index.js';
import { rewriteLoopMacros } from './loop-macros.js';
import { QUERIES } from './queries/index.js';
import { readMatches } from './read-matches.js';
import { nameSyscalls, rewriteSyscallDefinitions } from './syscall-definitions.js';
import { rewriteTypeScript } from './typescript-rewrites.js';

export interface ExtractOptions {
  /** Wall-clock budget for parsing and querying one file; over it, extract throws PARSE_TIMEOUT. */
  timeoutMs?: number;
  /** The project's own C/C++ annotation macros, blanked like the well-known ones (`--macro`). */
  macros?: readonly string[];
}

export interface Extractor {
  /** Loads a language's grammar and query ahead of time (extract does it on first use otherwise). */
  prepare(language: LanguageId): Promise<void>;
  /**
   * Extracts everything grove stores about one file. Async only because the first call for a
   * language loads its grammar; after `prepare(language)` the work is synchronous.
   * Throws GroveError PARSE_TIMEOUT (over `timeoutMs`) or PARSE_FAILED.
   */
  extract(language: LanguageId, source: string, options?: ExtractOptions): Promise<Extraction>;
  /**
   * False once tree-sitter trapped (a WebAssembly out-of-bounds access or stack overflow on a hostile
   * file): the WASM runtime is shared by the whole thread and every later parse in it fails, so the
   * thread must be replaced (the parse pool retires its worker).
   */
  readonly healthy: boolean;
  /** Frees parsers and queries (grammars have no delete in web-tree-sitter); unusable afterwards. */
  close(): void;
}

interface LanguageState {
  language: Language;
  parser: Parser;
  query: Query;
}

let initialized: Promise<void> | undefined;
/** Set by the first trap: tree-sitter's WASM instance (one per thread) is left in an unknown state. */
let runtimeTrapped = false;

/** WebAssembly.RuntimeError, the class of a trap; TypeScript's libs for Node do not declare it. */
const WasmRuntimeError = (
  globalThis as unknown as { WebAssembly: { RuntimeError: abstract new () => Error } }
).WebAssembly.RuntimeError;

/**
 * Creates an extractor; initializes the tree-sitter WASM runtime once per thread, from `runtime` when
 * given (a module compiled by the parse pool, see grammars.ts).
 */
export async function createExtractor(runtime?: WasmModule): Promise<Extractor> {
  initialized ??= Parser.init(runtimeInitOptions(runtime));
  await initialized;
  const states = new Map<LanguageId, Promise<LanguageState>>();
  let closed = false;

  const load = (id: LanguageId): Promise<LanguageState> => {
    if (closed) throw new GroveError('INTERNAL', 'The extractor was used after close().');
    let state = states.get(id);
    if (!state) {
      state = loadLanguage(id);
      states.set(id, state);
    }
    return state;
  };

  return {
    async prepare(language) {
      await load(language);
    },
    async extract(language, source, options = {}) {
      const state = await load(language);
      if (runtimeTrapped) throw trapped(language, null);
      try {
        return extractWith(state, language, source, options);
      } catch (error) {
        if (!(error instanceof WasmRuntimeError)) throw error;
        runtimeTrapped = true;
        throw trapped(language, error);
      }
    },
    get healthy() {
      return !runtimeTrapped;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const pending of states.values()) {
        pending.then(
          (state) => {
            state.query.delete();
            state.parser.delete();
          },
          () => {},
        );
      }
      states.clear();
    },
  };
}

async function loadLanguage(id: LanguageId): Promise<LanguageState> {
  const language = await loadGrammar(id);
  const parser = new Parser();
  parser.setLanguage(language);
  const query = new Query(language, QUERIES[id]);
  return { language, parser, query };
}

function extractWith(
  state: LanguageState,
  id: LanguageId,
  source: string,
  options: ExtractOptions,
): Extraction {
  const { timeoutMs, macros = [] } = options;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
  let timedOut = false;
  const progressCallback = () => {
    timedOut ||= performance.now() > deadline;
    return timedOut;
  };
  const parse = (text: string): Tree => {
    const tree = parseText(state, id, text, progressCallback);
    if (tree !== null) return tree;
    if (timedOut) throw timeout(id, timeoutMs);
    throw new GroveError('PARSE_FAILED', `tree-sitter (${id}) returned no tree.`);
  };
  // The tree is read against `source` itself: the rewrites keep every offset (textToParse).
  let parsed = textToParse(id, source, macros);
  let tree = parse(parsed);
  if (isCFamily(id)) [tree, parsed] = reparseUnbalancedBranches(tree, parsed, parse);
  try {
    const root = tree.rootNode;
    const matches: QueryMatch[] = state.query.matches(root, { progressCallback });
    if (timedOut) throw timeout(id, timeoutMs);
    // Signatures take back the annotation macros that lead their line; TypeScript's rewrites never do.
    const macrosBlanked = isCFamily(id) ? parsed : source;
    const { symbols, refs, imports, defEnds: ends } = readMatches(matches, source, macrosBlanked);
    if (isCFamily(id) && source.includes('SYSCALL_DEFINE')) nameSyscalls(symbols, refs);
    const lines = createLineIndex(source);
    const defEnds = new Uint8Array(lines.lineCount + 2);
    for (const line of ends) defEnds[line] = 1;
    const spans = chunkSpans(root, lines, (line) => defEnds[line] === 1);
    return { symbols, refs, imports, chunks: labelChunks(spans, lines, symbols) };
  } finally {
    tree.delete();
  }
}

/** Null when the parse was cancelled (over its deadline) or gave up. */
function parseText(state: LanguageState, id: LanguageId, text: string, progressCallback: () => boolean) {
  try {
    const tree = state.parser.parse(text, null, { progressCallback });
    // A cancelled parse would otherwise resume on the next call with other text.
    if (tree === null) state.parser.reset();
    return tree;
  } catch (error) {
    // After a trap even reset() faults; the caller marks the runtime unusable.
    if (error instanceof WasmRuntimeError) throw error;
    state.parser.reset();
    throw new GroveError(
      'PARSE_FAILED',
      `tree-sitter (${id}) failed: ${String(error)}`,
      {},
      { cause: error },
    );
  }
}

/**
 * A C file with errors at its top level is parsed again with only the first branch of its unbalanced
 * `#if` groups (conditional-branches.ts); the tree with fewer bytes in top-level errors is kept, with
 * the text it was parsed from. Only such files pay for the second look (1,182 of the kernel's 32,000
 * `.c` files; 51 of them change).
 */
function reparseUnbalancedBranches(
  tree: Tree,
  parsed: string,
  parse: (text: string) => Tree,
): [Tree, string] {
  const errorBytes = topLevelErrorBytes(tree);
  if (errorBytes === 0) return [tree, parsed];
  const firstBranches = keepFirstBranchWhereUnbalanced(parsed);
  if (firstBranches === parsed) return [tree, parsed];
  let retried: Tree;
  try {
    retried = parse(firstBranches);
  } catch (error) {
    // After a trap the runtime is unusable, deleting included (see parseText).
    if (!(error instanceof WasmRuntimeError)) tree.delete();
    throw error;
  }
  if (topLevelErrorBytes(retried) < errorBytes) {
    tree.delete();
    return [retried, firstBranches];
  }
  retried.delete();
  return [tree, parsed];
}

/** Bytes inside ERROR nodes directly under the root, walked with a cursor (no node objects). */
function topLevelErrorBytes(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  const cursor = tree.walk();
  let bytes = 0;
  try {
    if (!cursor.gotoFirstChild()) return 0;
    do {
      if (cursor.nodeType === 'ERROR') bytes += cursor.endIndex - cursor.startIndex;
    } while (cursor.gotoNextSibling());
    return bytes;
  } finally {
    cursor.delete();
  }
}

/** The text tree-sitter parses: `source` with the rewrites of its language, offsets unchanged. */
function textToParse(id: LanguageId, source: string, macros: readonly string[]): string {
  if (isCFamily(id)) {
    const project = macros.length > 0 ? projectMacroPattern(macros) : undefined;
    const rewritten = blankStaticBeforeMacroCalls(blankAnnotationMacros(source, project));
    return blankConditionsAroundElse(rewriteLoopMacros(rewriteSyscallDefinitions(rewritten)));
  }
  if (id === 'typescript' || id === 'tsx') return rewriteTypeScript(source, id === 'tsx');
  return source;
}

function trapped(id: LanguageId, error: Error | null): GroveError {
  const what = error === null ? 'failed earlier in this thread' : `crashed (${error.message})`;
  return new GroveError('PARSE_FAILED', `tree-sitter (${id}) ${what}; the parse worker is replaced.`, {
    trapped: true,
  });
}

function timeout(id: LanguageId, timeoutMs: number | undefined): GroveError {
  return new GroveError('PARSE_TIMEOUT', `Parsing this ${id} file took longer than ${timeoutMs} ms.`, {
    timeoutMs,
  });
}
