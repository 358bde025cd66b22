/** Messages between the daemon's main thread (`IndexRunner`) and its index worker (`index-worker.ts`). */
import type { IndexOptions } from '../config/resolve-config.js';
import type { SerializedError } from '../errors.js';
import type { LanguageId } from '../model.js';
import type { IndexEvent } from '../pipeline/index-events.js';

/** What a run is told: an `IndexOptions` without its signal (an abort is a message of its own). */
export type WorkerIndexOptions = Omit<IndexOptions, 'signal'>;

export interface IndexWorkerData {
  /** The memory budget of the warm parse pool the worker keeps (the daemon's run budget). */
  maxMemory: number;
}

export type ToIndexWorker =
  | { type: 'run'; id: number; root: string; options: WorkerIndexOptions; deferLink: boolean }
  | { type: 'abort'; id: number }
  /** Start the parse workers and load these grammars now, before the first batch needs them. */
  | { type: 'warm'; languages: LanguageId[] }
  /** Close the parse pool and exit once the runs in progress are done. */
  | { type: 'close' };

export type FromIndexWorker =
  | { type: 'event'; id: number; event: IndexEvent }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; error: SerializedError };
