/**
 * Whether V8 may recompile hot grammar code with its optimizing compiler. V8 runs WASM first with its
 * baseline compiler (Liftoff) and, once a function is hot, recompiles it with TurboFan in the background.
 * For a grammar's huge lexer and parse functions that recompilation holds 12-30 MiB for a moment, once per
 * grammar and process: more than a small memory budget has left over (see `baselineWasmOnly` in
 * pipeline/memory-plan.ts). V8's flags belong to the process, so this holds for every worker started
 * after it, and for the grammars compiled after it.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default: hot code is optimized. */
let baselineOnly = false;

export function useBaselineWasmOnly(only: boolean): void {
  if (only === baselineOnly) return;
  baselineOnly = only;
  setFlagsFromString(only ? '--liftoff-only' : '--no-liftoff-only');
}
