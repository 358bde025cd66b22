/**
 * Splits `--max-memory` between the fixed costs (Node, SQLite), the parse workers and the bytes in
 * flight. The figures are measured on the kernel corpus (see docs/ARCHITECTURE.md); the RSS-driven
 * pressure levels of the memory budget absorb what a static plan cannot foresee.
 */
import { PIPELINE_DEPTH } from '../parse/pool-slots.js';

const MIB = 1024 * 1024;

/**
 * Main thread without in-flight data: Node (~41 MiB), better-sqlite3 with an open index (~52 MiB),
 * the SQLite page cache, FTS5's pending-terms buffer (1 MiB) and allocator slack, measured on kernel C.
 */
const MAIN_THREAD_BYTES = 96 * MIB;
/**
 * One parse worker's share of RSS: the first warm worker adds ~33 MiB, the next ones ~10 MiB (compiled
 * WASM code is shared by the isolates), plus the trees and strings of the file being parsed.
 */
const WORKER_BYTES = 48 * MIB;
/**
 * A worker whose heap + WASM memory (as it reports them) passes this is replaced: WASM memory never
 * shrinks, so one huge tree would otherwise keep its peak for the worker's whole life. A fresh worker
 * reports ~50 MiB (most of the WASM memory reserved, not resident).
 */
const RECYCLE_WORKER_ABOVE_BYTES = 72 * MIB;

/**
 * Parsing a 900 KiB C file made its worker's RSS grow by 24-41 MiB that stays until the worker ends, so
 * under memory pressure a worker is replaced after a file this big (94 kernel files). At 128 KiB (448
 * files) kernel runs at 256M replaced their workers 375-414 times; one took 302 s with 465 s of CPU. At
 * 256 KiB: 93 times, 267 s and 410 s of CPU, with the same peak (211 MiB). At 512 KiB (17 times) it used
 * no less CPU.
 */
const RECYCLE_AFTER_FILE_BYTES = 256 * 1024;
/**
 * Without pressure only files this big replace their worker (11 kernel files): a respawn costs ~0.3-0.5 s
 * of CPU (thread start, query compilation, the grammar's lazily compiled WASM), and replacing a worker
 * after every 128 KiB file cost the kernel run more CPU than a third of its parsing. When pressure rises,
 * the run lowers the threshold and the workers holding a big file's memory are replaced.
 */
const RECYCLE_AFTER_FILE_BYTES_RELAXED = 512 * 1024;
/**
 * What V8's optimizing compiler holds for a moment while it recompiles a grammar's hot code, once per
 * grammar and process, when the first worker starts parsing (see parse/wasm-tiering.ts). A plan that
 * leaves less spare than this keeps the grammars on baseline code. On the memory-budget test's repository
 * at 160M (1 worker, 16 MiB spare) peaks were 129-158 MiB with optimized code and 121-128 MiB without it;
 * at 128M, 124-130 MiB (over the budget) against 103-105 MiB. Baseline code parses kernel C ~1.5x slower,
 * so only budgets that cannot hold the recompilation pay for it.
 */
const OPTIMIZING_COMPILE_BYTES = 32 * MIB;

export interface MemoryPlan {
  workers: number;
  workerHeapLimitMb: number;
  recycleWorkerAboveBytes: number;
  recycleWorkerAfterBytes: number;
  /** Under memory pressure (see `recycleWorkerAfterFileBytesRelaxed` otherwise). */
  recycleWorkerAfterFileBytes: number;
  recycleWorkerAfterFileBytesRelaxed: number;
  /** Budget for files in flight, in main-heap bytes (see IN_FLIGHT_COST in process-file.ts). */
  inFlightBytes: number;
  sqliteCacheKiB: number;
  /** Parse with V8's baseline WASM code only: the budget cannot hold the optimizing compiler's peak. */
  baselineWasmOnly: boolean;
  /** Files stored per transaction, at most. */
  batchFiles: number;
  /** Concurrent file tasks: enough to keep every worker's pipeline full while others are read. */
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
    recycleWorkerAfterFileBytes: RECYCLE_AFTER_FILE_BYTES,
    recycleWorkerAfterFileBytesRelaxed: RECYCLE_AFTER_FILE_BYTES_RELAXED,
    inFlightBytes: clamp(Math.floor(spare / 2), 4 * MIB, 128 * MIB),
    baselineWasmOnly: spare < OPTIMIZING_COMPILE_BYTES,
    sqliteCacheKiB: clamp(Math.floor(maxMemory / 32 / 1024), 2048, 32768),
    batchFiles: 512,
    fileTasks: workers * PIPELINE_DEPTH + 4,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
