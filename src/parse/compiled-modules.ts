/**
 * The parse pool's compiled WebAssembly modules: tree-sitter's runtime and each grammar, compiled once
 * on first need and handed to every worker (see WasmModule in grammars.ts). A module that fails to
 * compile is not handed over: the worker then loads the file itself and reports the failure as a parse
 * failure of the file, as it would without sharing.
 */
import type { LanguageId } from '../model.js';
import { compileGrammar, compileRuntime, type WasmModule } from './grammars.js';

export class CompiledModules {
  #runtime: WasmModule | null | undefined;
  readonly #grammars = new Map<LanguageId, WasmModule | null>();

  /** tree-sitter's runtime, for a worker's `workerData`. */
  runtime(): WasmModule | undefined {
    if (this.#runtime === undefined) this.#runtime = attempt(compileRuntime);
    return this.#runtime ?? undefined;
  }

  /**
   * The grammar to send with a task, when the worker (whose already sent languages are `sent`) has not
   * had it yet.
   */
  grammarFor(sent: Set<LanguageId>, language: LanguageId): WasmModule | undefined {
    if (sent.has(language)) return undefined;
    sent.add(language);
    let grammar = this.#grammars.get(language);
    if (grammar === undefined) {
      grammar = attempt(() => compileGrammar(language));
      this.#grammars.set(language, grammar);
    }
    return grammar ?? undefined;
  }
}

function attempt(compile: () => WasmModule): WasmModule | null {
  try {
    return compile();
  } catch {
    return null;
  }
}
