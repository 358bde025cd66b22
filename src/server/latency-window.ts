/**
 * Recent request latencies of one method, for its p50/p99: a ring of the last WINDOW_SIZE durations,
 * sorted only when someone asks (`status`, a `/metrics` scrape). Recording is one array store, so the
 * request path never pays for quantile upkeep (prom-client's Summary re-compresses its t-digest every
 * 1,000 observations, a ~2.5 ms pause that every queued request waits behind).
 */

/** Enough samples for a stable p99 (10 above it), few enough to sort in well under a millisecond. */
export const WINDOW_SIZE = 2048;

export interface LatencyQuantiles {
  /** Requests recorded since the daemon started (not only those in the window). */
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export class LatencyWindow {
  readonly #seconds = new Float64Array(WINDOW_SIZE);
  #count = 0;

  record(seconds: number): void {
    this.#seconds[this.#count % WINDOW_SIZE] = seconds;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The q-quantile (0..1) of the window in seconds (nearest rank), 0 before the first request. */
  quantile(q: number): number {
    const filled = Math.min(this.#count, WINDOW_SIZE);
    if (filled === 0) return 0;
    const sorted = this.#seconds.slice(0, filled).sort();
    return sorted[Math.min(filled - 1, Math.max(0, Math.ceil(q * filled) - 1))] ?? 0;
  }

  summary(): LatencyQuantiles {
    const ms = (seconds: number) => Math.round(seconds * 1e6) / 1e3;
    return { count: this.#count, p50Ms: ms(this.quantile(0.5)), p99Ms: ms(this.quantile(0.99)) };
  }
}
