/**
 * The daemon's query threads: the slow reads (search, refs, map, context; `query-worker-protocol.ts`)
 * run there, on the other cores, while the main thread keeps reading requests and answering the cheap
 * ones. Without them one search (~5 ms on the kernel) holds up every request behind it, so a hundred
 * clients' symbol lookups queue behind a few searches, and searches use one core of many.
 *
 * Threads start on demand, one more whenever queries wait with every thread busy, up to `threads`; all
 * of them exit once no query has come for `keepWarmMs`, so an idle daemon holds no threads. Until the
 * first thread is ready (~100 ms after it starts), `run` declines and the caller answers on its own
 * thread: a lone search never waits for a thread to start.
 */
import { Worker } from 'node:worker_threads';
import { GroveError } from '../errors.js';
import { trimNativeHeap } from '../obs/native-heap.js';
import { workerScript } from '../worker-script.js';
import type { FromQueryWorker, PooledMethod, ToQueryWorker } from './query-worker-protocol.js';

/** Queries come in bursts (an agent's turn); after this long without one the threads' memory goes back. */
const KEEP_WARM_MS = 60_000;
/**
 * The methods that count tokens: the tokenizer's tables take ~40 MiB in each thread that loads them, so
 * only the first thread answers these (and the main thread never loads them: they wait for that thread
 * rather than being declined while it starts, a wait their first tokenizer load exceeds anyway).
 */
const TOKENIZING: ReadonlySet<PooledMethod> = new Set<PooledMethod>(['map', 'context']);
/** A thread still answering this long after it was told to close is stopped (a stop must end). */
const CLOSE_GRACE_MS = 10_000;

export interface QueryPoolOptions {
  /** At most this many threads (0: none, every query is answered by the caller). */
  threads: number;
  keepWarmMs?: number;
  closeGraceMs?: number;
  /** The worker script; defaults to the compiled `query-worker.js` next to this module. */
  workerUrl?: URL;
}

interface Query {
  message: Extract<ToQueryWorker, { type: 'query' }>;
  resolve(result: Record<string, unknown>): void;
  reject(error: GroveError): void;
}

interface QueryThread {
  worker: Worker;
  ready: boolean;
  /** The one query it is answering: a thread takes the next from the shared queue when it is done. */
  current: Query | null;
}

export interface QueryPoolStats {
  /** Threads running now (ready or starting). */
  threads: number;
  /** Queries the threads are answering now. */
  inFlight: number;
  /** Queries waiting for a free thread. */
  waiting: number;
  /** Queries threads answered (or failed) since the daemon started. */
  answered: number;
  /** Queries declined because no thread was ready (the caller answered them). */
  declined: number;
  /** Threads started since the daemon started. */
  started: number;
}

export class QueryPool {
  readonly #options: QueryPoolOptions;
  readonly #threads: QueryThread[] = [];
  /**
   * One queue for all threads, each taking one query at a time: a thread that starts, or finishes
   * early, takes the next waiting query instead of queries piling up behind a busy thread.
   */
  readonly #waiting: Query[] = [];
  readonly #exits = new Set<Promise<void>>();
  #nextId = 1;
  #idleTimer: NodeJS.Timeout | null = null;
  #answered = 0;
  #declined = 0;
  #started = 0;

  constructor(options: QueryPoolOptions) {
    this.#options = options;
  }

  get stats(): QueryPoolStats {
    return {
      threads: this.#threads.length,
      inFlight: this.#threads.filter((thread) => thread.current !== null).length,
      waiting: this.#waiting.length,
      answered: this.#answered,
      declined: this.#declined,
      started: this.#started,
    };
  }

  /**
   * Queues `method(...args)` on the index in `indexDir` for the next free thread and resolves with its
   * answer (without freshness); null when no thread is ready yet (one is starting) and the method is not
   * a tokenizing one: answer it here.
   * The promise rejects with the method's GroveError, or INTERNAL when the thread died.
   */
  run(indexDir: string, method: PooledMethod, args: unknown[]): Promise<Record<string, unknown>> | null {
    if (this.#options.threads <= 0) return null;
    this.#disarm();
    if (!TOKENIZING.has(method) && !this.#threads.some((thread) => thread.ready)) {
      if (this.#threads.length === 0) this.#start();
      this.#declined++;
      this.#armIfIdle();
      return null;
    }
    const message = { type: 'query' as const, id: this.#nextId++, indexDir, method, args };
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#waiting.push({ message, resolve, reject });
    });
    this.#pump();
    return answer;
  }

  /** Every thread closes its connection to `indexDir` (the project was unloaded or its file replaced). */
  forget(indexDir: string): void {
    for (const thread of this.#threads) this.#send(thread, { type: 'forget', indexDir });
  }

  /**
   * Lets the queries in progress finish, then ends every thread (stopping one that has not finished
   * within the grace); queries still waiting are refused.
   */
  async close(): Promise<void> {
    this.#disarm();
    const refusal = new GroveError('DAEMON_BUSY', 'The daemon is shutting down.');
    for (const query of this.#waiting.splice(0)) query.reject(refusal);
    const closing = this.#threads.splice(0);
    for (const thread of closing) this.#send(thread, { type: 'close' });
    const exited = Promise.all([...this.#exits]);
    let grace: NodeJS.Timeout | undefined;
    const stopped = new Promise<void>((resolve) => {
      grace = setTimeout(() => {
        for (const thread of closing) void thread.worker.terminate();
        resolve();
      }, this.#options.closeGraceMs ?? CLOSE_GRACE_MS);
    });
    await Promise.race([exited, stopped]);
    clearTimeout(grace);
    await exited;
  }

  /**
   * Gives each free ready thread the first waiting query it may take (map and context only the first
   * thread); starts one more thread while queries wait, or the first one for a map or context.
   */
  #pump(): void {
    for (const [at, thread] of this.#threads.entries()) {
      if (!thread.ready || thread.current !== null) continue;
      const next = this.#waiting.findIndex((query) => at === 0 || !TOKENIZING.has(query.message.method));
      if (next === -1) continue;
      const [query] = this.#waiting.splice(next, 1);
      thread.current = query!;
      this.#send(thread, query!.message);
    }
    const starting = this.#threads.some((thread) => !thread.ready);
    if (this.#waiting.length > 0 && !starting && this.#threads.length < this.#options.threads) this.#start();
  }

  #start(): void {
    const worker = new Worker(this.#options.workerUrl ?? workerScript(import.meta.url, 'query-worker.js'));
    const thread: QueryThread = { worker, ready: false, current: null };
    this.#threads.push(thread);
    this.#started++;
    worker.on('message', (message: FromQueryWorker) => this.#onMessage(thread, message));
    // An error ends the thread too: 'exit' follows and fails what it was answering.
    worker.on('error', () => {});
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        const at = this.#threads.indexOf(thread);
        if (at !== -1) this.#threads.splice(at, 1);
        this.#exits.delete(exited);
        if (thread.current !== null) {
          this.#answered++;
          thread.current.reject(
            new GroveError('INTERNAL', `a query thread exited (code ${code}) while answering`),
          );
          thread.current = null;
        }
        this.#pump();
        this.#armIfIdle();
        // The last one gone: what the threads' isolates and connections freed goes back to the system
        // (glibc keeps it resident otherwise), so an idle daemon is near its baseline again.
        if (this.#threads.length === 0 && this.#exits.size === 0) trimNativeHeap();
        resolve();
      }),
    );
    this.#exits.add(exited);
  }

  #onMessage(thread: QueryThread, message: FromQueryWorker): void {
    if (message.type === 'ready') thread.ready = true;
    else {
      const query = thread.current;
      if (query === null || query.message.id !== message.id) return;
      thread.current = null;
      this.#answered++;
      if (message.type === 'answer') query.resolve(message.result);
      else query.reject(GroveError.fromJSON(message.error));
    }
    this.#pump();
    this.#armIfIdle();
  }

  #send(thread: QueryThread, message: ToQueryWorker): void {
    thread.worker.postMessage(message);
  }

  /** With nothing in progress, the threads exit after `keepWarmMs` unless a query comes first. */
  #armIfIdle(): void {
    if (this.#idleTimer !== null || this.#threads.length === 0 || this.#waiting.length > 0) return;
    if (this.#threads.some((thread) => thread.current !== null)) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      for (const thread of this.#threads.splice(0)) this.#send(thread, { type: 'close' });
    }, this.#options.keepWarmMs ?? KEEP_WARM_MS);
    // Housekeeping: it must not keep a daemon that is otherwise done alive.
    this.#idleTimer.unref();
  }

  #disarm(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}
