/**
 * A pool of parse workers. Each worker has a V8 heap cap (`resourceLimits`); a worker that crashes, runs
 * out of memory or hangs is replaced and only its current file fails. Workers are recycled once they have
 * parsed enough bytes or grown too big, because WASM linear memory never shrinks.
 *
 * Each worker is sent a few tasks ahead of the one it is running (`pipelineDepth`): the main thread is
 * sometimes busy for tens of milliseconds (a store transaction), and a worker with nothing posted would
 * sit idle for all of it. Tasks are copied to the worker, not transferred, so that the tasks a dead or
 * retired worker never started can be run by another one.
 */
import { Worker } from 'node:worker_threads';
import { GroveError } from '../errors.js';
import { isTransient, RETRY_DELAYS_MS } from '../pipeline/transient-errors.js';
import { workerScript } from '../worker-script.js';
import { CompiledModules } from './compiled-modules.js';
import {
  type ParseJob,
  type ParseOutcome,
  type ParseReply,
  type ParseTask,
  type ParseWorkerData,
  toOutcome,
} from './parse-protocol.js';
import {
  type Pending,
  PIPELINE_DEPTH,
  pickSlot,
  postTo,
  type Slot,
  shiftRunning,
  takeWaiting,
} from './pool-slots.js';
import { useBaselineWasmOnly } from './wasm-tiering.js';

export interface ParsePoolOptions {
  size: number;
  /** V8 old-generation cap per worker, in MiB. */
  heapLimitMb: number;
  /** A worker that has parsed this many bytes is replaced after its current task. */
  recycleAfterBytes: number;
  /** A worker whose own memory (heap + WASM) exceeds this after a task is replaced. */
  recycleAboveBytes: number;
  /**
   * A worker that has parsed a file this big is replaced after it: the WASM pages its tree touched stay
   * resident (WASM memory never shrinks and the reservation hides them from `external`). The host may
   * change it as memory pressure changes (`setRecycleAfterFileBytes`).
   */
  recycleAfterFileBytes: number;
  /** Per-file parse timeout, enforced inside the worker and, as a backstop, by terminating it. */
  timeoutMs: number;
  /** The worker script; defaults to the compiled `worker.js` next to this module. */
  workerUrl?: URL;
  /** Tasks a worker may be sent at once, the running one included (default PIPELINE_DEPTH). */
  pipelineDepth?: number;
  /** Grammar code is never recompiled by V8's optimizing compiler (see wasm-tiering.ts). */
  baselineWasmOnly?: boolean;
}

/** Grace beyond the in-worker timeout before the pool kills a worker that stopped answering. */
const WATCHDOG_GRACE_MS = 2_000;

export class ParsePool {
  readonly #options: ParsePoolOptions;
  readonly #workerUrl: URL;
  readonly #slots: Array<Slot | null>;
  readonly #queue: Pending[] = [];
  #activeLimit: number;
  #recycleAfterFileBytes: number;
  #nextId = 1;
  #closed = false;
  #retiring = 0;
  /** Workers that failed to start for want of file descriptors, and the pause before the next start. */
  #failedStarts = 0;
  #startPause: NodeJS.Timeout | null = null;
  readonly #modules = new CompiledModules();
  readonly stats = { tasks: 0, crashes: 0, recycled: 0, timeouts: 0 };

  constructor(options: ParsePoolOptions) {
    this.#options = options;
    // Before any grammar is compiled: V8 reads the flag when it compiles a function.
    useBaselineWasmOnly(options.baselineWasmOnly ?? false);
    this.#workerUrl = options.workerUrl ?? workerScript(import.meta.url, 'worker.js');
    this.#slots = Array.from({ length: Math.max(1, options.size) }, () => null);
    this.#activeLimit = this.#slots.length;
    this.#recycleAfterFileBytes = options.recycleAfterFileBytes;
  }

  get size(): number {
    return this.#slots.length;
  }

  /**
   * Memory is critical: every worker is replaced after the tasks it was sent (idle ones now), which
   * returns the WASM memory its trees touched; replacements start with a fresh, small memory.
   */
  recycleAll(): void {
    this.#retireWhere(() => true);
  }

  /**
   * Changes the file size after which a worker is replaced. Lowering it also replaces (after the tasks
   * they were sent) the workers that already parsed a file that big: their memory is what it is about.
   */
  setRecycleAfterFileBytes(bytes: number): void {
    this.#recycleAfterFileBytes = bytes;
    this.#retireWhere((slot) => slot.largestFileBytes >= bytes);
  }

  #retireWhere(predicate: (slot: Slot) => boolean): void {
    this.#slots.forEach((slot, index) => {
      if (!slot || slot.retireAfterTask || !predicate(slot)) return;
      this.stats.recycled++;
      // A busy worker finishes what it was sent first (#onReply retires it).
      if (slot.posted.length > 0) slot.retireAfterTask = true;
      else void this.#retire(index);
    });
  }

  /** Under memory pressure fewer workers may parse at once; idle ones are terminated to free memory. */
  setActiveLimit(limit: number): void {
    this.#activeLimit = Math.min(this.#slots.length, Math.max(1, limit));
    if (this.#activeLimit < this.#slots.length) this.#releaseIdle(this.#activeLimit);
    this.#dispatch();
  }

  run(job: ParseJob): Promise<ParseOutcome> {
    if (this.#closed) return Promise.reject(new GroveError('ABORTED', 'parse pool is closed'));
    const task: ParseTask = {
      ...job,
      bytes: ownedBytes(job.bytes),
      id: this.#nextId++,
      timeoutMs: this.#options.timeoutMs,
    };
    return new Promise<ParseOutcome>((resolve) => {
      this.#queue.push({ task, size: task.bytes.byteLength, resolve });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#startPause !== null) clearTimeout(this.#startPause);
    const aborted: ParseOutcome = {
      ok: false,
      hash: null,
      error: { code: 'ABORTED', message: 'parse pool closed' },
    };
    const unanswered = this.#slots.flatMap((slot) => (slot ? takeWaiting(slot) : []));
    for (const pending of [...this.#queue.splice(0), ...unanswered]) pending.resolve(aborted);
    for (const slot of this.#slots) if (slot) this.#stopWatchdog(slot);
    await Promise.all(this.#slots.map((slot, index) => (slot ? this.#retire(index) : undefined)));
  }

  #busyCount(): number {
    return this.#slots.reduce((count, slot) => count + (slot && slot.posted.length > 0 ? 1 : 0), 0);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const index = this.#slotFor(this.#queue[0]!.size);
      if (index < 0) return;
      const pending = this.#queue.shift()!;
      const slot = this.#slots[index] ?? this.#spawn(index);
      if (postTo(slot, pending)) this.#startWatchdog(slot, index);
      const grammar = this.#modules.grammarFor(slot.languages, pending.task.language);
      slot.worker.postMessage({ ...pending.task, grammar });
      this.stats.tasks++;
    }
  }

  #slotFor(size: number): number {
    return pickSlot(this.#slots, {
      size,
      mayStart: this.#busyCount() < this.#activeLimit,
      mayCreate: this.#retiring === 0 && this.#startPause === null,
      depth: this.#options.pipelineDepth ?? PIPELINE_DEPTH,
    });
  }

  #spawn(index: number): Slot {
    const workerData: Partial<ParseWorkerData> = { runtime: this.#modules.runtime() };
    const worker = new Worker(this.#workerUrl, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.#options.heapLimitMb, maxYoungGenerationSizeMb: 8 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = {
      worker,
      posted: [],
      waitingBytes: 0,
      parsedBytes: 0,
      largestFileBytes: 0,
      watchdog: null,
      retireAfterTask: false,
      languages: new Set(),
      answered: false,
    };
    this.#slots[index] = slot;
    worker.on('message', (reply: ParseReply) => this.#onReply(slot, index, reply));
    worker.on('error', (error) => this.#onDeath(slot, index, error));
    worker.on('exit', (code) =>
      this.#onDeath(slot, index, new Error(`parse worker exited with code ${code}`)),
    );
    return slot;
  }

  #onReply(slot: Slot, index: number, reply: ParseReply): void {
    const pending = slot.posted[0];
    if (this.#slots[index] !== slot || !pending || pending.task.id !== reply.id) return;
    slot.answered = true;
    this.#failedStarts = 0;
    // The worker stops a slow parse itself and answers PARSE_TIMEOUT; the watchdog counts only the hangs.
    if (!reply.ok && reply.error.code === 'PARSE_TIMEOUT') this.stats.timeouts++;
    this.#finishRunning(slot, index, toOutcome(reply));
    if (reply.retire === true) {
      // tree-sitter trapped: everything this worker would still run fails, so others run it.
      if (!slot.retireAfterTask) this.stats.recycled++;
      this.#requeueWaiting(slot);
      void this.#retire(index);
    } else if (!slot.retireAfterTask && this.#mustRecycle(slot, pending.size, reply.workerBytes)) {
      this.stats.recycled++;
      slot.retireAfterTask = true;
    }
    if (slot.retireAfterTask && slot.posted.length === 0) void this.#retire(index);
    this.#dispatch();
  }

  #mustRecycle(slot: Slot, taskBytes: number, workerBytes: number): boolean {
    return (
      workerBytes > this.#options.recycleAboveBytes ||
      taskBytes >= this.#recycleAfterFileBytes ||
      slot.parsedBytes >= this.#options.recycleAfterBytes
    );
  }

  #onDeath(slot: Slot, index: number, error: Error): void {
    if (this.#slots[index] !== slot) return;
    this.#slots[index] = null;
    if (this.#restartAfterFailedStart(slot, error)) return;
    if (slot.posted.length > 0) {
      this.stats.crashes++;
      const message = `parse worker died: ${error.message}`;
      this.#finishRunning(slot, index, {
        ok: false,
        hash: null,
        error: { code: 'WORKER_CRASHED', message },
      });
      this.#requeueWaiting(slot);
    }
    if (!this.#closed) this.#dispatch();
  }

  /**
   * A worker loads its modules with many files open at once; under a low descriptor limit, while other
   * workers load theirs, it can die of EMFILE before answering anything. Its tasks go back to the queue
   * and the next worker starts after a pause (the transient-error delays), so a busy moment fails no file.
   */
  #restartAfterFailedStart(slot: Slot, error: Error): boolean {
    const pause = RETRY_DELAYS_MS[this.#failedStarts];
    if (slot.answered || !isTransient(error) || pause === undefined || this.#closed) return false;
    this.#failedStarts++;
    this.#stopWatchdog(slot);
    this.#queue.unshift(...takeWaiting(slot));
    if (this.#startPause !== null) clearTimeout(this.#startPause);
    this.#startPause = setTimeout(() => {
      this.#startPause = null;
      this.#dispatch();
    }, pause);
    return true;
  }

  #onHang(index: number): void {
    const slot = this.#slots[index];
    const pending = slot?.posted[0];
    if (!slot || !pending) return;
    this.stats.timeouts++;
    this.#slots[index] = null;
    this.#finishRunning(slot, index, {
      ok: false,
      hash: null,
      error: { code: 'PARSE_TIMEOUT', message: `parsing took longer than ${pending.task.timeoutMs} ms` },
    });
    this.#requeueWaiting(slot);
    void slot.worker.terminate();
    this.#dispatch();
  }

  /** Answers the running task; the next posted one is now running (its watchdog starts). */
  #finishRunning(slot: Slot, index: number, outcome: ParseOutcome): void {
    this.#stopWatchdog(slot);
    const pending = shiftRunning(slot);
    if (slot.posted.length > 0 && this.#slots[index] === slot) this.#startWatchdog(slot, index);
    pending.resolve(outcome);
  }

  /** The tasks a worker was sent but never started go back to the front of the queue, in order. */
  #requeueWaiting(slot: Slot): void {
    this.#queue.unshift(...takeWaiting(slot));
  }

  #startWatchdog(slot: Slot, index: number): void {
    // Started when the task is seen to become the running one, which is never before it starts.
    const timeoutMs = slot.posted[0]!.task.timeoutMs;
    slot.watchdog = setTimeout(() => this.#onHang(index), timeoutMs + WATCHDOG_GRACE_MS);
  }

  #stopWatchdog(slot: Slot): void {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
  }

  #releaseIdle(keep: number): void {
    let alive = 0;
    this.#slots.forEach((slot, index) => {
      if (!slot) return;
      if (slot.posted.length > 0 || alive < keep) alive++;
      else void this.#retire(index);
    });
  }

  async #retire(index: number): Promise<void> {
    const slot = this.#slots[index];
    if (!slot) return;
    this.#slots[index] = null;
    this.#stopWatchdog(slot);
    slot.worker.removeAllListeners('exit');
    this.#retiring++;
    try {
      await slot.worker.terminate();
    } finally {
      this.#retiring--;
      if (!this.#closed) this.#dispatch();
    }
  }
}

/** A posted view is copied with its whole buffer; pooled Node buffers share theirs, so copy the view's bytes. */
function ownedBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}
