/**
 * Where each parsable language's tree-sitter grammar lives and how it is loaded. The grammar npm
 * packages ship prebuilt `.wasm` files; we resolve them through Node's resolver so the same code works
 * from `src/` (vitest) and from `dist/` (after tsc), wherever node_modules ends up.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Language } from 'web-tree-sitter';
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

/**
 * A compiled `WebAssembly.Module` (Node's TypeScript libs do not declare the WebAssembly namespace).
 * Compiled once by the parse pool and handed to every worker it starts: the isolates of one process then
 * share the machine code, including what V8 optimised while earlier workers parsed, so a replacement
 * worker parses at full speed at once instead of compiling the grammar again (a respawn cost ~0.4 s of
 * CPU, ~0.05 s with shared modules).
 */
export type WasmModule = object;

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles a grammar's `.wasm` (validation only: V8 compiles functions lazily, on first call). */
export function compileGrammar(language: LanguageId): WasmModule {
  return new wasm.Module(readFileSync(grammarPath(language)));
}

/** Compiles tree-sitter's own runtime `.wasm`. */
export function compileRuntime(): WasmModule {
  return new wasm.Module(readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')));
}

/**
 * Options for `Parser.init()` that instantiate the runtime from a compiled module (Emscripten's
 * `instantiateWasm` hook: it calls back with the instance and the module) instead of compiling it.
 */
export function runtimeInitOptions(runtime: WasmModule | undefined): object | undefined {
  if (runtime === undefined) return undefined;
  return {
    instantiateWasm(imports: object, done: (instance: object, module: WasmModule) => void) {
      done(new wasm.Instance(runtime, imports), runtime);
      return {};
    },
  };
}

const provided = new Map<LanguageId, WasmModule>();

/** Makes `loadGrammar` instantiate this compiled module for `language` instead of reading the file. */
export function provideGrammar(language: LanguageId, module: WasmModule): void {
  provided.set(language, module);
}

/** Loads one grammar; `Parser.init()` must have completed first. */
export async function loadGrammar(language: LanguageId): Promise<Language> {
  // Imported here, not on top: the parse pool imports this module for the compile functions above, and
  // a re-run that parses nothing should not pay for loading tree-sitter's 150 KB of JS. A worker has it
  // loaded already (extractor.ts), so this costs it nothing.
  const { Language } = await import('web-tree-sitter');
  const module = provided.get(language);
  // loadSync's parameter is WebAssembly.Module, a type Node's libs lack (it reads as any).
  if (module !== undefined) return Language.loadSync(module as never);
  return Language.load(grammarPath(language));
}
