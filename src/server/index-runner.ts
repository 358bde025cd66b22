/**
 * The daemon's index runs, off its main thread: they run in one worker thread (`index-worker.ts`) that
 * owns the writer connections and the warm parse pool. A watcher batch's SQLite writes, the file-table
 * recount of its summary, and a link of the reference graph (seconds on the kernel) are synchronous
 * work that would otherwise stall every query behind it; the main thread keeps only the read-only
 * connections and answers from the last committed state (WAL). The worker starts with the first run
 * and exits once no run has come for a while, so an idle daemon holds no threads and no timers.
 */
import { Worker } from 'node:worker_threads';
import { GroveError } from '../errors.js';
import type { LanguageId } from '../model.js';
import { trimNativeHeap } from '../obs/native-heap.js';
import type { IndexEvent } from '../pipeline/index-events.js';
import { workerScript } from '../worker-script.js';
import type {
  FromIndexWorker,
  IndexWorkerData,
  ToIndexWorker,
  WorkerIndexOptions,
} from './index-worker-protocol.js';

/**
 * Starting the worker, its parse workers and their grammars costs ~200 ms, more than the whole budget
 * for an edit to become searchable; edits come in bursts seconds or minutes apart. After this long
 * without a run the memory goes back.
 */
const KEEP_WARM_MS = 60_000;

/** Runs an index of `root` and streams its events (ending with the summary); throws a GroveError. */
export type RunIndex = (
  root: string,
  options: WorkerIndexOptions,
  deferLink: boolean,
) => AsyncIterable<IndexEvent>;

interface RunChannel {
  worker: Worker;
  events: IndexEvent[];
  ended: boolean;
  error: GroveError | null;
  wake: (() => void) | null;
}

export interface IndexRunnerOptions {
  /** The memory budget of each run (and of the warm parse pool). */
  maxMemory: number;
  keepWarmMs?: number;
  /** The worker script; defaults to the compiled `index-worker.js` next to this module. */
  workerUrl?: URL;
}

export class IndexRunner {
  readonly #options: IndexRunnerOptions;
  readonly #runs = new Map<number, RunChannel>();
  #worker: Worker | null = null;
  readonly #exits = new Set<Promise<void>>();
  #nextId = 1;
  #idleTimer: NodeJS.Timeout | null = null;
  /** Workers started so far (a test's window into warm reuse). */
  started = 0;

  constructor(options: IndexRunnerOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#worker !== null;
  }

  readonly run: RunIndex = (root, options, deferLink) => this.#run(root, options, deferLink);

  /**
   * Starts the worker, its parse workers and these grammars ahead of the first run (a watched project
   * just loaded: its first edit should not pay ~0.5 s of start-up). Idle, it exits like after a run.
   */
  warm(languages: readonly LanguageId[]): void {
    if (languages.length === 0) return;
    const worker = this.#start();
    this.#send(worker, { type: 'warm', languages: [...languages] });
    if (this.#runs.size === 0 && this.#idleTimer === null) this.#arm();
  }

  /** Lets the runs in progress finish, then ends the worker (and its parse pool). */
  async close(): Promise<void> {
    this.#disarm();
    this.#retire();
    await Promise.all([...this.#exits]);
  }

  async *#run(root: string, options: WorkerIndexOptions, deferLink: boolean): AsyncGenerator<IndexEvent> {
    this.#disarm();
    const worker = this.#start();
    const id = this.#nextId++;
    const channel: RunChannel = { worker, events: [], ended: false, error: null, wake: null };
    this.#runs.set(id, channel);
    this.#send(worker, { type: 'run', id, root, options, deferLink });
    try {
      for (;;) {
        const event = channel.events.shift();
        if (event !== undefined) yield event;
        else if (channel.ended) break;
        else await nextMessage(channel);
      }
      if (channel.error) throw channel.error;
    } finally {
      if (!channel.ended) {
        // The consumer stopped early: stop the run and wait, so its lock is released before the next.
        this.#send(worker, { type: 'abort', id });
        while (!channel.ended) await nextMessage(channel);
      }
      this.#runs.delete(id);
      if (this.#runs.size === 0 && this.#worker === worker) this.#arm();
    }
  }

  #start(): Worker {
    if (this.#worker !== null) return this.#worker;
    const workerData: IndexWorkerData = { maxMemory: this.#options.maxMemory };
    const worker = new Worker(this.#options.workerUrl ?? workerScript(import.meta.url, 'index-worker.js'), {
      workerData,
    });
    this.started++;
    this.#worker = worker;
    worker.on('message', (message: FromIndexWorker) => this.#onMessage(message));
    // An error ends the thread too: 'exit' follows and fails what was running.
    worker.on('error', () => {});
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        if (this.#worker === worker) this.#worker = null;
        this.#exits.delete(exited);
        this.#failRuns(
          worker,
          new GroveError('INTERNAL', `the index worker exited (code ${code}) during a run`),
        );
        // What its isolate, its parse workers' WASM memory and its SQLite connection freed goes back to the
        // system (glibc keeps it resident otherwise), as when the query threads exit.
        if (this.#worker === null && this.#exits.size === 0) trimNativeHeap();
        resolve();
      }),
    );
    this.#exits.add(exited);
    return worker;
  }

  #onMessage(message: FromIndexWorker): void {
    const channel = this.#runs.get(message.id);
    if (channel === undefined) return;
    if (message.type === 'event') channel.events.push(message.event);
    else {
      channel.ended = true;
      if (message.type === 'failed') channel.error = GroveError.fromJSON(message.error);
    }
    const wake = channel.wake;
    channel.wake = null;
    wake?.();
  }

  /** Fails the runs a worker that died left unfinished. */
  #failRuns(worker: Worker, error: GroveError): void {
    for (const [id, channel] of this.#runs) {
      if (channel.ended || channel.worker !== worker) continue;
      this.#onMessage({ type: 'failed', id, error: error.toJSON() });
    }
  }

  #send(worker: Worker, message: ToIndexWorker): void {
    worker.postMessage(message);
  }

  /** The worker finishes what runs and exits; the next run starts a new one. */
  #retire(): void {
    const worker = this.#worker;
    if (worker === null) return;
    this.#worker = null;
    this.#send(worker, { type: 'close' });
  }

  #arm(): void {
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      this.#retire();
    }, this.#options.keepWarmMs ?? KEEP_WARM_MS);
    this.#idleTimer.unref();
  }

  #disarm(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}

/** Resolves when the worker next reports on this run. */
function nextMessage(channel: RunChannel): Promise<void> {
  return new Promise((resolve) => {
    channel.wake = resolve;
  });
}
