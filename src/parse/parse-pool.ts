/**
 * A pool of parse workers. Each worker has a V8 heap cap (`resourceLimits`); a worker that crashes, runs
 * out of memory or hangs is replaced and only its current file fails. Workers are recycled once they have
 * parsed enough bytes or grown too big, because WASM linear memory never shrinks.
 */
import { Worker } from 'node:worker_threads';
import { GroveError, type SerializedError } from '../errors.js';
import type { Extraction, LanguageId, TextEncodingName } from '../model.js';
import { CompiledModules } from './compiled-modules.js';
import type { ParseReply, ParseTask, ParseWorkerData } from './parse-protocol.js';

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
}

export type ParseOutcome =
  | { ok: true; hash: string; extraction: Extraction }
  | { ok: false; hash: string | null; error: SerializedError };

export interface ParseJob {
  language: LanguageId;
  bytes: Uint8Array;
  encoding: TextEncodingName;
  bomBytes: number;
}

interface Pending {
  task: ParseTask;
  /** The task's size, kept because its bytes are transferred (detached) when it is posted. */
  size: number;
  resolve: (outcome: ParseOutcome) => void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  parsedBytes: number;
  /** The biggest file this worker has parsed: what its WASM memory has grown to hold. */
  largestFileBytes: number;
  watchdog: NodeJS.Timeout | null;
  retireAfterTask: boolean;
  /** Languages whose compiled grammar this worker was sent. */
  languages: Set<LanguageId>;
}

/** Grace beyond the in-worker timeout before the pool kills a worker that stopped answering. */
const WATCHDOG_GRACE_MS = 2_000;

export function defaultWorkerUrl(): URL {
  const here = new URL(import.meta.url);
  // Under vitest this module runs from src/*.ts; workers always run the compiled JavaScript.
  return here.pathname.endsWith('.ts')
    ? new URL('../../dist/parse/worker.js', here)
    : new URL('./worker.js', here);
}

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
  readonly #modules = new CompiledModules();
  readonly stats = { tasks: 0, crashes: 0, recycled: 0, timeouts: 0 };

  constructor(options: ParsePoolOptions) {
    this.#options = options;
    this.#workerUrl = options.workerUrl ?? defaultWorkerUrl();
    this.#slots = Array.from({ length: Math.max(1, options.size) }, () => null);
    this.#activeLimit = this.#slots.length;
    this.#recycleAfterFileBytes = options.recycleAfterFileBytes;
  }

  get size(): number {
    return this.#slots.length;
  }

  /**
   * Memory is critical: every worker is replaced after its current task (idle ones now), which returns
   * the WASM memory its trees touched; replacements start with a fresh, small memory.
   */
  recycleAll(): void {
    this.#retireWhere(() => true);
  }

  /**
   * Changes the file size after which a worker is replaced. Lowering it also replaces (after their
   * current task) the workers that already parsed a file that big: their memory is what it is about.
   */
  setRecycleAfterFileBytes(bytes: number): void {
    this.#recycleAfterFileBytes = bytes;
    this.#retireWhere((slot) => slot.largestFileBytes >= bytes);
  }

  #retireWhere(predicate: (slot: Slot) => boolean): void {
    this.#slots.forEach((slot, index) => {
      if (!slot || !predicate(slot)) return;
      // A busy worker is counted when its task ends (#onReply).
      if (slot.current) slot.retireAfterTask = true;
      else {
        this.stats.recycled++;
        void this.#retire(index);
      }
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
    const task: ParseTask = { ...job, id: this.#nextId++, timeoutMs: this.#options.timeoutMs };
    return new Promise<ParseOutcome>((resolve) => {
      this.#queue.push({ task, size: task.bytes.byteLength, resolve });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) {
      pending.resolve({ ok: false, hash: null, error: { code: 'ABORTED', message: 'parse pool closed' } });
    }
    const aborted = {
      ok: false as const,
      hash: null,
      error: { code: 'ABORTED' as const, message: 'parse pool closed' },
    };
    for (const slot of this.#slots) if (slot?.current) this.#finish(slot, slot.current, aborted);
    await Promise.all(this.#slots.map((slot, index) => (slot ? this.#retire(index) : undefined)));
  }

  #busyCount(): number {
    return this.#slots.reduce((count, slot) => count + (slot?.current ? 1 : 0), 0);
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && this.#busyCount() < this.#activeLimit) {
      // A live idle worker first; a new one only when no worker is still being torn down, so that a
      // replacement never holds its memory while the one it replaces still holds its own.
      let index = this.#slots.findIndex((slot) => slot !== null && !slot.current);
      if (index < 0 && this.#retiring === 0) index = this.#slots.indexOf(null);
      if (index < 0) return;
      const pending = this.#queue.shift()!;
      const slot = this.#slots[index] ?? this.#spawn(index);
      slot.current = pending;
      slot.parsedBytes += pending.size;
      slot.largestFileBytes = Math.max(slot.largestFileBytes, pending.size);
      slot.watchdog = setTimeout(() => this.#onHang(index), pending.task.timeoutMs + WATCHDOG_GRACE_MS);
      const bytes = ownedBytes(pending.task.bytes);
      const grammar = this.#modules.grammarFor(slot.languages, pending.task.language);
      slot.worker.postMessage({ ...pending.task, bytes, grammar }, [bytes.buffer as ArrayBuffer]);
      this.stats.tasks++;
    }
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
      current: null,
      parsedBytes: 0,
      largestFileBytes: 0,
      watchdog: null,
      retireAfterTask: false,
      languages: new Set(),
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
    const pending = slot.current;
    if (!pending || pending.task.id !== reply.id) return;
    const taskBytes = pending.size;
    // The worker stops a slow parse itself and answers PARSE_TIMEOUT; the watchdog counts only the hangs.
    if (!reply.ok && reply.error.code === 'PARSE_TIMEOUT') this.stats.timeouts++;
    this.#finish(slot, pending, toOutcome(reply));
    const tooBig = reply.workerBytes > this.#options.recycleAboveBytes;
    const bigTree = taskBytes >= this.#recycleAfterFileBytes;
    const broken = reply.retire === true;
    if (
      tooBig ||
      bigTree ||
      broken ||
      slot.retireAfterTask ||
      slot.parsedBytes >= this.#options.recycleAfterBytes
    ) {
      this.stats.recycled++;
      void this.#retire(index);
    }
    this.#dispatch();
  }

  #onDeath(slot: Slot, index: number, error: Error): void {
    if (this.#slots[index] !== slot) return;
    this.#slots[index] = null;
    const pending = slot.current;
    if (pending) {
      this.stats.crashes++;
      const message = `parse worker died: ${error.message}`;
      this.#finish(slot, pending, { ok: false, hash: null, error: { code: 'WORKER_CRASHED', message } });
    }
    if (!this.#closed) this.#dispatch();
  }

  #onHang(index: number): void {
    const slot = this.#slots[index];
    const pending = slot?.current;
    if (!slot || !pending) return;
    this.stats.timeouts++;
    this.#slots[index] = null;
    this.#finish(slot, pending, {
      ok: false,
      hash: null,
      error: { code: 'PARSE_TIMEOUT', message: `parsing took longer than ${pending.task.timeoutMs} ms` },
    });
    void slot.worker.terminate();
    this.#dispatch();
  }

  #finish(slot: Slot, pending: Pending, outcome: ParseOutcome): void {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
    slot.current = null;
    pending.resolve(outcome);
  }

  #releaseIdle(keep: number): void {
    let alive = 0;
    this.#slots.forEach((slot, index) => {
      if (!slot) return;
      if (slot.current || alive < keep) alive++;
      else void this.#retire(index);
    });
  }

  async #retire(index: number): Promise<void> {
    const slot = this.#slots[index];
    if (!slot) return;
    this.#slots[index] = null;
    if (slot.watchdog) clearTimeout(slot.watchdog);
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

function toOutcome(reply: ParseReply): ParseOutcome {
  return reply.ok
    ? { ok: true, hash: reply.hash, extraction: reply.extraction }
    : { ok: false, hash: reply.hash, error: reply.error };
}

/** Transfer needs a buffer the view owns whole; pooled Node buffers share theirs, so copy those. */
function ownedBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}
