/** Messages between the daemon's main thread (`QueryPool`) and its query threads (`query-worker.ts`). */
import type { SerializedError } from '../errors.js';

/**
 * The reads a query thread answers: each can take milliseconds to seconds on a big index (search,
 * resolving a name's uses, ranking the map, a file's context), so the main thread hands them off and
 * keeps answering the cheap ones (symbol lookups, status) meanwhile.
 */
export type PooledMethod = 'search' | 'refs' | 'map' | 'context';

export const POOLED_METHODS: ReadonlySet<string> = new Set<PooledMethod>([
  'search',
  'refs',
  'map',
  'context',
]);

export type ToQueryWorker =
  /** Answer `method(...args)` on the index in `indexDir` (opened on first use, then kept open). */
  | { type: 'query'; id: number; indexDir: string; method: PooledMethod; args: unknown[] }
  /** Close the index in `indexDir` once its queries in progress are done (unloaded or replaced). */
  | { type: 'forget'; indexDir: string }
  /** Close every index and exit once the queries in progress are done. */
  | { type: 'close' };

export type FromQueryWorker =
  /** The thread has loaded its modules and takes queries. */
  | { type: 'ready' }
  /** The method's answer without its freshness (the main thread knows the project's). */
  | { type: 'answer'; id: number; result: Record<string, unknown> }
  | { type: 'failed'; id: number; error: SerializedError };
