/**
 * The daemon's parse pool, kept warm between index batches: starting a worker and loading its grammars
 * costs ~200 ms, more than the whole budget for an edit to become searchable. Once no batch has run for
 * a while the pool is closed (one timer, not a poll), so an idle daemon holds no worker threads.
 */
import { availableParallelism } from 'node:os';
import { resolveConfig } from '../config/resolve-config.js';
import type { ParsePool } from '../parse/parse-pool.js';
import { createParsePool } from '../pipeline/create-parse-pool.js';
import { planMemory } from '../pipeline/memory-plan.js';

/** Edits come in bursts a few seconds or minutes apart; after this long the workers' memory goes back. */
const KEEP_WARM_MS = 60_000;

export class WarmParsePool {
  readonly #maxMemory: number;
  #pool: ParsePool | null = null;
  #users = 0;
  #idleTimer: NodeJS.Timeout | null = null;

  constructor(maxMemory: number) {
    this.#maxMemory = maxMemory;
  }

  /** The pool for one run; pair with `release()` when the run ends. */
  acquire(): ParsePool {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    this.#users++;
    if (this.#pool === null) {
      // The same plan a run with the daemon's budget makes for itself (cwd is only a placeholder root).
      const config = resolveConfig(process.cwd(), { maxMemory: this.#maxMemory });
      this.#pool = createParsePool(config, planMemory(config.maxMemory, availableParallelism()));
    }
    return this.#pool;
  }

  release(): void {
    this.#users--;
    if (this.#users > 0 || this.#pool === null) return;
    this.#idleTimer = setTimeout(() => void this.close(), KEEP_WARM_MS);
    this.#idleTimer.unref();
  }

  async close(): Promise<void> {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    const pool = this.#pool;
    this.#pool = null;
    await pool?.close();
  }
}
