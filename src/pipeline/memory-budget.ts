/**
 * The one owner of memory admission. File bytes are acquired before a file is read and released after
 * its rows are stored (a byte semaphore), and the process RSS is sampled to derive a pressure level that
 * the pipeline uses to shrink concurrency and batches. Nothing else in grove decides how much is in flight.
 */
import { collectGarbage } from '../obs/collect-garbage.js';
import { trimNativeHeap } from '../obs/native-heap.js';
import { currentRss, traceMemory } from '../obs/rss.js';

export type PressureLevel = 'normal' | 'high' | 'critical';

export interface MemoryBudgetOptions {
  /** The hard limit the whole process must stay under (`--max-memory`). */
  maxBytes: number;
  /** Capacity of the in-flight byte semaphore. */
  inFlightBytes: number;
  /** How often RSS is sampled. */
  sampleIntervalMs?: number;
  /** Injected for tests; defaults to returning malloc's free pages to the system (obs/native-heap.ts). */
  trimNativeHeap?: () => boolean;
  /** Injected for tests; defaults to the process RSS. */
  readRss?: () => number;
}

/**
 * Pressure thresholds as fractions of `maxBytes`. The headroom above critical must absorb what can grow
 * between two samples and before the response takes effect (a worker building a big tree: ~30 MiB); at
 * 0.85 the kernel corpus peaked at 99% of a 256M budget, so critical starts at 0.8.
 */
const HIGH_PRESSURE_FRACTION = 0.65;
const CRITICAL_PRESSURE_FRACTION = 0.8;
/**
 * A level is left only once RSS is this far (as a fraction of `maxBytes`) below where it was entered.
 * Without it RSS hovering at a threshold flips the level at every sample, and each entry into critical
 * replaces the parse workers: one kernel run flipped thousands of times and spent more CPU starting
 * workers than parsing.
 */
const PRESSURE_HYSTERESIS_FRACTION = 0.05;
/** Frequent enough to see a worker's parse spike coming, cheap enough to be free (one /proc read). */
const DEFAULT_SAMPLE_INTERVAL_MS = 50;
const GC_INTERVAL_MS = 1_000;
const TRACE_STEP_BYTES = 4 * 1024 * 1024;

export interface Lease {
  readonly bytes: number;
}

interface Waiter {
  bytes: number;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
}

export class MemoryBudget {
  readonly maxBytes: number;
  readonly capacity: number;
  #inFlight = 0;
  #pressure: PressureLevel = 'normal';
  #peakSampled = 0;
  #pressureChanges = 0;
  #lastGcAt = Number.NEGATIVE_INFINITY;
  readonly #waiters: Waiter[] = [];
  readonly #listeners = new Set<(level: PressureLevel) => void>();
  readonly #readRss: () => number;
  readonly #trimNativeHeap: () => boolean;
  readonly #timer: NodeJS.Timeout;

  constructor(options: MemoryBudgetOptions) {
    this.maxBytes = options.maxBytes;
    this.capacity = Math.max(1, options.inFlightBytes);
    this.#readRss = options.readRss ?? currentRss;
    this.#trimNativeHeap = options.trimNativeHeap ?? trimNativeHeap;
    this.#timer = setInterval(() => this.sample(), options.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS);
    this.#timer.unref();
    this.sample();
  }

  get pressure(): PressureLevel {
    return this.#pressure;
  }

  get inFlightBytes(): number {
    return this.#inFlight;
  }

  get peakSampledRss(): number {
    return this.#peakSampled;
  }

  /** The semaphore's effective capacity: pressure shrinks what may be in flight. */
  get effectiveCapacity(): number {
    if (this.#pressure === 'critical') return Math.max(1, Math.floor(this.capacity / 4));
    if (this.#pressure === 'high') return Math.max(1, Math.floor(this.capacity / 2));
    return this.capacity;
  }

  /**
   * Waits until `bytes` fit. A request larger than the capacity is granted alone (nothing else in flight)
   * so that one huge file makes slow progress instead of deadlocking.
   */
  acquire(bytes: number, signal?: AbortSignal): Promise<Lease> {
    const want = Math.max(0, Math.ceil(bytes));
    signal?.throwIfAborted();
    if (this.#waiters.length === 0 && this.#fits(want)) return Promise.resolve(this.#grant(want));
    return new Promise<Lease>((resolve, reject) => {
      // The abort listener must go once the wait ends either way: one run makes ~100k waits on one signal.
      const onAbort = () => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        bytes: want,
        resolve: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Gives back the part of `lease` above `bytes` (a parsed file's tree is gone once its worker answered)
   * and returns the smaller lease that replaces it; `lease` itself must not be released afterwards.
   */
  shrink(lease: Lease, bytes: number): Lease {
    const keep = Math.max(0, Math.ceil(bytes));
    if (keep >= lease.bytes) return lease;
    this.release({ bytes: lease.bytes - keep });
    return { bytes: keep };
  }

  release(lease: Lease): void {
    this.#inFlight -= lease.bytes;
    if (this.#inFlight < 0) throw new Error('memory budget released more than it granted');
    this.#drain();
  }

  onPressure(listener: (level: PressureLevel) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads RSS now and updates the pressure level; called by the timer and after big allocations. */
  sample(): PressureLevel {
    const rss = this.#readRss();
    if (rss > this.#peakSampled) {
      if (rss > this.#peakSampled + TRACE_STEP_BYTES) {
        traceMemory(
          'new peak',
          `, in flight ${(this.#inFlight / 1024 / 1024).toFixed(1)}, ${this.#pressure}`,
        );
      }
      this.#peakSampled = rss;
    }
    const level = this.#levelFor(rss);
    if (level !== 'normal') this.#collectGarbage();
    if (level !== this.#pressure) {
      this.#pressure = level;
      this.#pressureChanges++;
      traceMemory('pressure', `, now ${level}`);
      for (const listener of this.#listeners) listener(level);
      this.#drain();
    }
    return level;
  }

  /** How often the level changed: a budget that flaps shows here. */
  get pressureChanges(): number {
    return this.#pressureChanges;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('memory budget closed'));
    this.#listeners.clear();
  }

  /**
   * Under pressure, a full GC gives back the old generation's dead space, which V8 would otherwise keep
   * growing into (the main heap reached 73 MiB with 38 MiB live on the kernel), and then malloc's free
   * pages go back too (see obs/native-heap.ts), including those of what the collection freed. At most
   * once per GC_INTERVAL_MS: a full GC costs ~10-50 ms.
   */
  #collectGarbage(): void {
    const now = performance.now();
    if (now - this.#lastGcAt < GC_INTERVAL_MS) return;
    this.#lastGcAt = now;
    collectGarbage();
    this.#trimNativeHeap();
  }

  #levelFor(rss: number): PressureLevel {
    const fraction = rss / this.maxBytes;
    // Rising takes the plain thresholds; falling must clear them by the hysteresis.
    const critical =
      CRITICAL_PRESSURE_FRACTION - (this.#pressure === 'critical' ? PRESSURE_HYSTERESIS_FRACTION : 0);
    const high = HIGH_PRESSURE_FRACTION - (this.#pressure === 'normal' ? 0 : PRESSURE_HYSTERESIS_FRACTION);
    if (fraction >= critical) return 'critical';
    if (fraction >= high) return 'high';
    return 'normal';
  }

  #fits(bytes: number): boolean {
    if (this.#inFlight === 0) return true;
    return this.#inFlight + bytes <= this.effectiveCapacity;
  }

  #grant(bytes: number): Lease {
    this.#inFlight += bytes;
    return { bytes };
  }

  /** Strict FIFO: a big request at the head is not starved by a stream of small ones behind it. */
  #drain(): void {
    while (this.#waiters.length > 0) {
      const head = this.#waiters[0]!;
      if (!this.#fits(head.bytes)) return;
      this.#waiters.shift();
      head.resolve(this.#grant(head.bytes));
    }
  }
}
