/**
 * Messages between the parse pool (main thread) and its workers: structured-clone safe (plain data and
 * compiled WebAssembly modules, which are shared, not copied); and the jobs and outcomes of the pool's
 * callers.
 */
import type { SerializedError } from '../errors.js';
import type { Extraction, LanguageId, TextEncodingName } from '../model.js';
import type { WasmModule } from './grammars.js';

/** What a parse worker starts with (`workerData`). */
export interface ParseWorkerData {
  /** tree-sitter's runtime, compiled once by the pool. */
  runtime: WasmModule;
}

export interface ParseTask {
  id: number;
  language: LanguageId;
  /** The file's raw bytes; copied, not transferred, so that another worker can run a task a dead one left. */
  bytes: Uint8Array;
  encoding: TextEncodingName;
  /** Leading byte-order-mark bytes to drop before decoding. */
  bomBytes: number;
  timeoutMs: number;
  /** The project's annotation macros (`ParseJob.macros`). */
  macros?: readonly string[];
  /** The compiled grammar of `language`, sent with the first task of that language a worker gets. */
  grammar?: WasmModule;
}

export interface ParseSuccess {
  id: number;
  ok: true;
  hash: string;
  extraction: Extraction;
  /** The worker isolate's memory after the task (heap + WASM/array buffers), for recycling decisions. */
  workerBytes: number;
  /** The worker can no longer parse (tree-sitter trapped): replace it after this task. */
  retire?: boolean;
}

export interface ParseFailure {
  id: number;
  ok: false;
  hash: string | null;
  error: SerializedError;
  workerBytes: number;
  retire?: boolean;
}

export type ParseReply = ParseSuccess | ParseFailure;

/** A file for the pool to parse (`ParsePool.run`). */
export interface ParseJob {
  language: LanguageId;
  bytes: Uint8Array;
  encoding: TextEncodingName;
  bomBytes: number;
  /** The project's annotation macros, for a C or C++ file when there are any (`--macro`). */
  macros?: readonly string[];
}

/** What the pool answers for a job: a worker's reply, or a failure of the worker itself. */
export type ParseOutcome =
  | { ok: true; hash: string; extraction: Extraction }
  | { ok: false; hash: string | null; error: SerializedError };

export function toOutcome(reply: ParseReply): ParseOutcome {
  return reply.ok
    ? { ok: true, hash: reply.hash, extraction: reply.extraction }
    : { ok: false, hash: reply.hash, error: reply.error };
}
