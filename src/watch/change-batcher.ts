/**
 * Turns a stream of changed paths into incremental index batches: changes are debounced (a quiet
 * period) and coalesced (a path changed ten times is indexed once); while a batch runs, new changes
 * wait and form the next batch, so a branch switch (hundreds of files in a burst) is one batch, and at
 * most one batch per project runs at a time. A failed batch (e.g. another process holds the index
 * lock) puts its paths back and is retried later. Timers exist only while changes are pending: an idle
 * project costs no CPU.
 */

export interface ChangeBatcherOptions {
  /** Quiet period after the last change before a batch starts. */
  debounceMs: number;
  /**
   * A change that comes after at least this long without any starts its batch at once instead of
   * waiting out the debounce: the watcher reports the first change of a burst on its own and the rest
   * of the burst together later, so a lone edit is indexed without delay, and a burst costs at most one
   * extra batch (its first change). Unset: every batch waits for the debounce.
   */
  leadingAfterQuietMs?: number;
  /** A continuous stream of changes still starts a batch this long after its first change. */
  maxWaitMs: number;
  /** Wait before retrying a batch that failed. */
  retryMs: number;
  /** Indexes one batch of root-relative paths. */
  run(paths: string[]): Promise<void>;
  /** Told about a failed batch (it will be retried). */
  onError?(error: unknown): void;
}

/** Test seam: the clock. */
export interface TimerDeps {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: TimerDeps = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export class ChangeBatcher {
  readonly #options: ChangeBatcherOptions;
  readonly #timers: TimerDeps;
  #pending = new Set<string>();
  #firstPendingAt = 0;
  #lastChangeAt = Number.NEGATIVE_INFINITY;
  /** A batch is about to start at once (leading edge): later changes of this tick join it. */
  #leadingArmed = false;
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  #runningCount = 0;
  #closed = false;
  readonly stats = { batches: 0, lastBatchFiles: 0, failures: 0 };

  constructor(options: ChangeBatcherOptions, timers: TimerDeps = realTimers) {
    this.#options = options;
    this.#timers = timers;
  }

  /** Paths changed but not yet committed to the index (waiting or in the running batch). */
  get unindexed(): number {
    return this.#pending.size + this.#runningCount;
  }

  get busy(): boolean {
    return this.#running !== null;
  }

  add(paths: Iterable<string>): void {
    if (this.#closed) return;
    const before = this.#pending.size;
    for (const path of paths) this.#pending.add(path);
    if (this.#pending.size === before) return;
    const now = this.#timers.now();
    const quietFor = now - this.#lastChangeAt;
    this.#lastChangeAt = now;
    if (before === 0) this.#firstPendingAt = now;
    if (this.#running !== null || this.#leadingArmed) return;
    const leading = this.#options.leadingAfterQuietMs;
    if (before === 0 && leading !== undefined && quietFor >= leading) {
      // Through a zero timer, not at once: the rest of this report (its other paths) joins the batch.
      this.#arm(0);
      this.#leadingArmed = true;
    } else this.#arm(this.#options.debounceMs);
  }

  /** Starts the pending batch now (no debounce) and resolves when nothing is pending or running. */
  async flush(): Promise<void> {
    while (!this.#closed && (this.#running !== null || this.#pending.size > 0)) {
      if (this.#running === null) this.#fire();
      await this.#running;
    }
  }

  /** Drops what is pending and waits for the running batch to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#disarm();
    this.#pending.clear();
    await this.#running;
  }

  /** Debounce (capped by maxWait since the first pending change), or a retry delay (not capped). */
  #arm(delayMs: number, retry = false): void {
    this.#disarm();
    const waited = this.#timers.now() - this.#firstPendingAt;
    const delay = retry ? delayMs : Math.max(0, Math.min(delayMs, this.#options.maxWaitMs - waited));
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#leadingArmed = false;
      this.#fire();
    }, delay);
  }

  #disarm(): void {
    this.#leadingArmed = false;
    if (this.#timer === null) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(): void {
    if (this.#running !== null || this.#pending.size === 0 || this.#closed) return;
    this.#disarm();
    const paths = [...this.#pending];
    this.#pending = new Set();
    this.#runningCount = paths.length;
    this.stats.batches++;
    this.stats.lastBatchFiles = paths.length;
    this.#running = this.#options
      .run(paths)
      .then(
        () => false,
        (error: unknown) => {
          this.stats.failures++;
          this.#options.onError?.(error);
          for (const path of paths) this.#pending.add(path);
          return true;
        },
      )
      .then((failed) => {
        this.#running = null;
        this.#runningCount = 0;
        if (this.#pending.size > 0 && !this.#closed) {
          if (failed) this.#arm(this.#options.retryMs, true);
          else this.#arm(this.#options.debounceMs);
        }
      });
  }
}
