/**
 * How a loaded project answers its reads: from the answers kept while the index is unchanged
 * (`AnswerCache`; only those that took a while to compute), else on one of the daemon's query threads
 * when one is ready (`QueryPool`), else on the calling thread. Every path runs the same
 * GroveIndex method over the same committed state; the project's freshness is added to every answer.
 */
import type { GroveIndex } from '../query/open-index.js';
import { AnswerCache, type AnswerCacheStats } from './answer-cache.js';
import type { QueryPool } from './query-pool.js';
import type { PooledMethod } from './query-worker-protocol.js';

/**
 * An answer computed faster than this is not kept: recomputing it costs about what keeping it would
 * (measuring its size, the cache's churn). Symbol lookups are not kept at all for that reason (~20 us
 * on the kernel; kept, a distinct name's lookup cost ~25% more and the daemon answered ~11% fewer).
 */
const KEEP_ABOVE_MS = 0.2;

/** The reads whose answers are kept while the index is unchanged: the slow ones. */
export type ReadMethod = PooledMethod;

/** A read's answer, as the project's own GroveIndex gives it (freshness included). */
export type ReadAnswer<M extends ReadMethod> = Awaited<ReturnType<GroveIndex[M]>>;

export class ProjectReads {
  readonly #indexDir: string;
  readonly #pool: QueryPool | undefined;
  readonly #answers = new AnswerCache();
  readonly #keepAboveMs: number;

  constructor(indexDir: string, pool: QueryPool | undefined, options: { keepAboveMs?: number } = {}) {
    this.#indexDir = indexDir;
    this.#pool = pool;
    this.#keepAboveMs = options.keepAboveMs ?? KEEP_ABOVE_MS;
  }

  get stats(): AnswerCacheStats {
    return this.#answers.stats;
  }

  async read<M extends ReadMethod>(
    index: GroveIndex,
    method: M,
    args: Parameters<GroveIndex[M]>,
  ): Promise<ReadAnswer<M>> {
    const version = index.version();
    const key = `${method}\u0000${JSON.stringify(args)}`;
    let answer = this.#answers.get(key, version);
    if (answer === undefined) {
      const started = performance.now();
      const pooled = this.#pool?.run(this.#indexDir, method, args);
      if (pooled) answer = await pooled;
      else {
        const invoke = index[method] as (...params: typeof args) => ReadAnswer<M>;
        const { freshness: _, ...rest } = await invoke.apply(index, args);
        answer = rest;
      }
      if (performance.now() - started >= this.#keepAboveMs) this.#answers.set(key, version, answer);
    }
    return { ...answer, freshness: index.freshness() } as ReadAnswer<M>;
  }

  /** The index file was closed or replaced: its kept answers and the threads' connections go. */
  forget(): void {
    this.#answers.clear();
    this.#pool?.forget(this.#indexDir);
  }
}
