/**
 * Splits `--max-memory` between the fixed costs (Node, SQLite), the parse workers and the bytes in
 * flight. The figures are measured on the kernel corpus (see docs/ARCHITECTURE.md); the RSS-driven
 * pressure levels of the memory budget absorb what a static plan cannot foresee.
 */
const MIB = 1024 * 1024;

/** Main thread: Node (~45 MiB), better-sqlite3 and its page cache, queues and batches. */
const MAIN_THREAD_BYTES = 80 * MIB;
/**
 * One parse worker's share of RSS: a fresh worker measured ~48 MiB on kernel C (isolate heap ~15-24 MiB,
 * WASM memory ~35 MiB of which part is resident), plus room for WASM growth on big trees.
 */
const WORKER_BYTES = 72 * MIB;
/**
 * A worker whose heap + WASM memory (as it reports them) passes this is replaced: WASM memory never
 * shrinks, so one huge tree would otherwise keep its peak for the worker's whole life. A fresh worker
 * reports ~50-58 MiB.
 */
const RECYCLE_WORKER_ABOVE_BYTES = 88 * MIB;

export interface MemoryPlan {
  workers: number;
  workerHeapLimitMb: number;
  recycleWorkerAboveBytes: number;
  recycleWorkerAfterBytes: number;
  inFlightBytes: number;
  sqliteCacheKiB: number;
  /** Files stored per transaction, at most. */
  batchFiles: number;
  /** Concurrent file tasks (reading ahead of the workers). */
  fileTasks: number;
}

export function planMemory(maxMemory: number, concurrency: number): MemoryPlan {
  const workerRoom = Math.floor((maxMemory - MAIN_THREAD_BYTES) / WORKER_BYTES);
  const workers = Math.max(1, Math.min(concurrency, workerRoom));
  const spare = Math.max(0, maxMemory - MAIN_THREAD_BYTES - workers * WORKER_BYTES);
  return {
    workers,
    workerHeapLimitMb: 64,
    recycleWorkerAboveBytes: RECYCLE_WORKER_ABOVE_BYTES,
    recycleWorkerAfterBytes: 512 * MIB,
    inFlightBytes: clamp(Math.floor(spare / 3), 2 * MIB, 64 * MIB),
    sqliteCacheKiB: clamp(Math.floor(maxMemory / 32 / 1024), 2048, 32768),
    batchFiles: 512,
    fileTasks: workers * 3 + 2,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
