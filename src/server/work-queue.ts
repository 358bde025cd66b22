/**
 * The daemon's queue for index jobs: bounded (a full queue refuses with DAEMON_BUSY instead of growing)
 * and with a concurrency limit (each run has its own parse workers; the cores are shared). Queries never
 * enter it: they are answered as soon as they arrive, on the main thread or the query threads, which
 * index runs (in their own worker thread) never occupy, so an index job cannot starve them.
 */
import { GroveError } from '../errors.js';

interface Job {
  start(): void;
  cancel(error: GroveError): void;
}

export class WorkQueue {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #waiting: Job[] = [];
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: { concurrency: number; maxQueued: number }) {
    this.#concurrency = options.concurrency;
    this.#maxQueued = options.maxQueued;
  }

  get running(): number {
    return this.#running.size;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `work` when a slot is free. @throws GroveError DAEMON_BUSY when the queue is full or closed. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new GroveError('DAEMON_BUSY', 'The daemon is shutting down.');
    if (this.#waiting.length >= this.#maxQueued) {
      throw new GroveError('DAEMON_BUSY', `The index queue is full (${this.#maxQueued} jobs waiting).`);
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        start: () => {
          const task = work().then(resolve, reject);
          this.#running.add(task);
          void task.finally(() => {
            this.#running.delete(task);
            this.#next();
          });
        },
        cancel: reject,
      };
      this.#waiting.push(job);
      this.#next();
    });
  }

  /** Refuses new jobs, drops the waiting ones (rejected with DAEMON_BUSY) and waits for the running ones. */
  async drain(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) {
      job.cancel(new GroveError('DAEMON_BUSY', 'The daemon shut down before this job started.'));
    }
    await Promise.all(this.#running);
  }

  #next(): void {
    while (this.#running.size < this.#concurrency && this.#waiting.length > 0) this.#waiting.shift()!.start();
  }
}
