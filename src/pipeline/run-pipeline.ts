/**
 * Composes the pipeline: walk -> (classify, read, parse/chunk: bounded concurrency) -> store, joined by
 * bounded queues so a slow stage holds back the ones before it. It only composes: each stage lives in its
 * own module. A failure of the run itself (disk full, corrupt index) aborts every stage; a failure of one
 * file is recorded and the run goes on.
 */
import { mkdirSync } from 'node:fs';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { toGroveError } from '../errors.js';
import type { WalkEntry, WalkProblem } from '../model.js';
import { peakRss } from '../obs/rss.js';
import { ParsePool } from '../parse/parse-pool.js';
import { gitHead } from '../repo/git-head.js';
import { Store } from '../store/store.js';
import { BoundedQueue } from './bounded-queue.js';
import type { IndexEvent, SummaryEvent } from './index-events.js';
import { MemoryBudget } from './memory-budget.js';
import { planMemory } from './memory-plan.js';
import { processFile, type StoreItem } from './process-file.js';
import { ProgressTracker } from './progress-tracker.js';
import { runStoreStage } from './stages/store.js';
import { walk } from './stages/walk.js';

/** Walk entries are ~200 bytes: reading this far ahead costs little and makes the ETA known early. */
const WALK_AHEAD = 8192;
const PROGRESS_INTERVAL_MS = 250;

/** Must not block: the caller's channel coalesces progress and keeps the rest in order. */
export type Emit = (event: IndexEvent) => void;

export async function runPipeline(
  config: ResolvedConfig,
  emit: Emit,
  signal: AbortSignal,
): Promise<SummaryEvent> {
  mkdirSync(config.indexDir, { recursive: true });
  const plan = planMemory(config.maxMemory, config.concurrency);
  const store = Store.open(config.dbPath, { create: true, cacheKiB: plan.sqliteCacheKiB });
  const budget = new MemoryBudget({ maxBytes: config.maxMemory, inFlightBytes: plan.inFlightBytes });
  const pool = new ParsePool({
    size: plan.workers,
    heapLimitMb: plan.workerHeapLimitMb,
    recycleAfterBytes: plan.recycleWorkerAfterBytes,
    recycleAboveBytes: plan.recycleWorkerAboveBytes,
    timeoutMs: config.parseTimeoutMs,
  });
  budget.onPressure((level) => pool.setActiveLimit(level === 'normal' ? plan.workers : 1));
  const tracker = new ProgressTracker(budget);
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const seen = new Set<string>();
  let progressTimer: NodeJS.Timeout | undefined;
  try {
    emit({
      type: 'start',
      root: config.root,
      indexDir: config.indexDir,
      maxMemoryBytes: config.maxMemory,
      workers: plan.workers,
    });
    progressTimer = setInterval(() => emit(tracker.snapshot()), PROGRESS_INTERVAL_MS);
    const walked = new BoundedQueue<WalkEntry | WalkProblem>(WALK_AHEAD);
    const results = new BoundedQueue<StoreItem>(plan.fileTasks * 2);
    const stages = [
      feedWalk(config, walked, tracker, seen, stop.signal),
      processAll(walked, results, { config, budget, pool, signal: stop.signal }, plan.fileTasks),
      runStoreStage(results, {
        store,
        budget,
        batchFiles: plan.batchFiles,
        signal: stop.signal,
        onStored: (file) => {
          tracker.stored(file);
          if (file.state === 'failed') {
            emit({
              type: 'file-failed',
              path: file.path,
              state: file.state,
              reason: file.reason,
              error: file.error,
            });
          }
        },
      }),
    ];
    const settled = await Promise.allSettled(
      stages.map((stage) =>
        stage.catch((error) => {
          stop.abort(error);
          walked.fail(error);
          results.fail(error);
          throw error;
        }),
      ),
    );
    const rejected = settled.find((outcome) => outcome.status === 'rejected');
    const aborted = signal.aborted;
    if (rejected && !aborted) throw toGroveError(rejected.reason);
    let removed = 0;
    if (!aborted) {
      removed = removeUnseen(store, seen);
      store.setMeta('indexedAt', new Date().toISOString());
      store.setMeta('root', config.root);
      store.setMeta('commit', gitHead(config.root) ?? '');
    }
    return summarize(store, tracker, pool, removed, aborted);
  } finally {
    clearInterval(progressTimer);
    signal.removeEventListener('abort', onAbort);
    await pool.close();
    budget.close();
    store.close();
  }
}

async function feedWalk(
  config: ResolvedConfig,
  walked: BoundedQueue<WalkEntry | WalkProblem>,
  tracker: ProgressTracker,
  seen: Set<string>,
  signal: AbortSignal,
): Promise<void> {
  const entries = walk(config.root, {
    include: [...config.include],
    exclude: [...config.exclude],
    ignoreDirs: [config.indexDir],
    signal,
  });
  for await (const entry of entries) {
    seen.add(entry.path);
    tracker.found('size' in entry ? entry.size : 0);
    await walked.push(entry);
  }
  tracker.walkDone = true;
  walked.close();
}

async function processAll(
  walked: BoundedQueue<WalkEntry | WalkProblem>,
  results: BoundedQueue<StoreItem>,
  deps: Parameters<typeof processFile>[1],
  limit: number,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let firstError: unknown;
  for await (const entry of walked) {
    if (deps.signal.aborted || firstError !== undefined) break;
    if (!('size' in entry)) {
      await results.push(problemItem(entry));
      continue;
    }
    const task = processFile(entry, deps)
      .then((item) => results.push(item))
      .catch((error) => {
        firstError ??= error;
      })
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (firstError !== undefined && !deps.signal.aborted) throw firstError;
  results.close();
}

function problemItem(problem: WalkProblem): StoreItem {
  const file = {
    path: problem.path,
    size: 0,
    mtimeMs: 0,
    ino: 0,
    dev: 0,
    hash: null,
    language: null,
    state: problem.state,
    reason: problem.reason,
    error: problem.error ?? null,
  };
  return { kind: 'file', file, extraction: null, lease: null };
}

/** Files indexed by an earlier run that the walk no longer finds (deleted, now ignored) leave the index. */
function removeUnseen(store: Store, seen: Set<string>): number {
  const gone: string[] = [];
  for (const file of store.files()) if (!seen.has(file.path)) gone.push(file.path);
  return gone.length > 0 ? store.deleteFiles(gone) : 0;
}

function summarize(
  store: Store,
  tracker: ProgressTracker,
  pool: ParsePool,
  removed: number,
  aborted: boolean,
): SummaryEvent {
  const status = store.status();
  return {
    type: 'summary',
    files: status.files,
    symbols: status.symbols,
    chunks: status.chunks,
    bytes: tracker.bytesDone,
    wallMs: Math.round(tracker.elapsedMs),
    peakRssBytes: peakRss(),
    languages: status.languages,
    run: {
      filesSeen: tracker.filesFound,
      filesWritten: tracker.filesDone,
      filesRemoved: removed,
      parsed: pool.stats.tasks,
      workerCrashes: pool.stats.crashes,
      workerRecycles: pool.stats.recycled,
      parseTimeouts: pool.stats.timeouts,
      aborted,
    },
  };
}
