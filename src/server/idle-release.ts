/**
 * Gives memory back once the daemon has had no request for a while: agents ask in bursts (a turn), and
 * between bursts an idle daemon should hold little more than Node's baseline. The loaded projects drop
 * their SQLite page caches (pages come back from the OS's file cache on the next question, ~microseconds
 * each), V8 collects, and malloc's free pages go back to the system (obs/native-heap.ts). On the kernel
 * index an idle daemon went from 110.6 to 91.9 MiB. One timer, re-armed only when it fires while
 * requests still come (never a polling interval); a request costs one clock read.
 */
import { collectGarbage } from '../obs/collect-garbage.js';
import { trimNativeHeap } from '../obs/native-heap.js';

/** As long as the query threads stay warm (query-pool.ts): a burst's follow-up questions find both. */
export const RELEASE_AFTER_IDLE_MS = 60_000;

export class IdleRelease {
  readonly #afterMs: number;
  readonly #release: () => void;
  #lastUsed = 0;
  #timer: NodeJS.Timeout | null = null;

  /** `release` drops what can be rebuilt; the heap is collected and trimmed after it. */
  constructor(release: () => void, afterMs = RELEASE_AFTER_IDLE_MS) {
    this.#release = release;
    this.#afterMs = afterMs;
  }

  /** A request came: the release waits until `afterMs` after the last one. */
  touch(): void {
    this.#lastUsed = performance.now();
    if (this.#timer === null) this.#arm(this.#afterMs);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const idleFor = performance.now() - this.#lastUsed;
      if (idleFor < this.#afterMs) return this.#arm(this.#afterMs - idleFor);
      this.#release();
      collectGarbage();
      trimNativeHeap();
    }, delayMs);
    // Housekeeping: it must not keep a daemon that is otherwise done alive.
    this.#timer.unref();
  }
}
