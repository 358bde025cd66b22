/**
 * The daemon's Prometheus metrics (prom-client, one registry per daemon: no global state): per-method
 * request latency as a histogram (for dashboards) and as p50/p99 over the recent requests (a gauge per
 * quantile, computed at scrape time from a `LatencyWindow`; for `status` and people),
 * request outcomes, index batches, loads and evictions, and process memory read at scrape time. No
 * default collectors: the event-loop-lag one samples on a timer, and an idle daemon must not wake up.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type LatencyQuantiles, LatencyWindow } from './latency-window.js';

export type { LatencyQuantiles };

/** Sub-millisecond to seconds: symbol lookups take ~0.1 ms, a kernel search tens of ms, `index` seconds. */
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30];

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #histogram: Histogram<'method'>;
  readonly #windows = new Map<string, LatencyWindow>();
  readonly #requests: Counter<'method' | 'outcome'>;
  readonly #batches: Histogram;

  constructor(gauges: { projects(): number; queued(): number; loads(): number; evictions(): number }) {
    const registers = [this.registry];
    this.#histogram = new Histogram({
      name: 'grove_request_duration_seconds',
      help: 'Daemon request latency by method',
      labelNames: ['method'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const windows = this.#windows;
    new Gauge({
      name: 'grove_request_latency_seconds',
      help: 'Daemon request latency quantiles by method, over its most recent requests',
      labelNames: ['quantile', 'method'],
      registers,
      collect() {
        for (const [method, window] of windows) {
          for (const quantile of [0.5, 0.99]) this.set({ quantile, method }, window.quantile(quantile));
        }
      },
    });
    this.#requests = new Counter({
      name: 'grove_requests_total',
      help: 'Daemon requests by method and outcome (ok or the error code)',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.#batches = new Histogram({
      name: 'grove_watch_batch_duration_seconds',
      help: 'Incremental index batches made from watched changes',
      buckets: [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 60],
      registers,
    });
    new Counter({
      name: 'grove_project_loads_total',
      help: 'Projects loaded (first use, or again after an eviction)',
      registers,
      collect() {
        this.reset();
        this.inc(gauges.loads());
      },
    });
    new Counter({
      name: 'grove_project_evictions_total',
      help: 'Projects evicted (idle, or the daemon near its memory limit)',
      registers,
      collect() {
        this.reset();
        this.inc(gauges.evictions());
      },
    });
    new Gauge({
      name: 'grove_projects_loaded',
      help: 'Projects loaded in the daemon',
      registers,
      collect() {
        this.set(gauges.projects());
      },
    });
    new Gauge({
      name: 'grove_index_jobs_queued',
      help: 'Index jobs waiting for a slot',
      registers,
      collect() {
        this.set(gauges.queued());
      },
    });
    new Gauge({
      name: 'grove_process_resident_memory_bytes',
      help: 'Resident set size of the daemon process',
      registers,
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
  }

  observeRequest(method: string, seconds: number, outcome: string): void {
    // Unknown methods share one label: a client must not grow the label set without bound.
    this.#histogram.observe({ method }, seconds);
    let window = this.#windows.get(method);
    if (window === undefined) {
      window = new LatencyWindow();
      this.#windows.set(method, window);
    }
    window.record(seconds);
    this.#requests.inc({ method, outcome });
  }

  observeBatch(seconds: number): void {
    this.#batches.observe(seconds);
  }

  /** Requests per method since start, with p50/p99 over the recent ones, in milliseconds. */
  async latency(): Promise<Record<string, LatencyQuantiles>> {
    const out: Record<string, LatencyQuantiles> = {};
    for (const [method, window] of this.#windows) out[method] = window.summary();
    return out;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
