/**
 * One pass of the pipeline over a stream of walk entries: (classify, read, parse/chunk: bounded
 * concurrency) -> store, joined by bounded queues so a slow stage holds back the ones before it. A
 * failure of the pass itself (disk full, corrupt index) aborts every stage; a failure of one file is a
 * recorded file, and the pass goes on.
 */
import { setMaxListeners } from 'node:events';
import type { FileRecord, WalkEntry, WalkProblem } from '../model.js';
import type { Store } from '../store/store.js';
import { BoundedQueue } from './bounded-queue.js';
import type { MemoryBudget } from './memory-budget.js';
import { type ProcessDeps, processFile, type StoreItem } from './process-file.js';
import { runStoreStage } from './stages/store.js';

/** Walk entries are ~200 bytes: reading this far ahead costs little and makes the ETA known early. */
const ENTRIES_AHEAD = 8192;

export interface PassDeps extends ProcessDeps {
  store: Store;
  budget: MemoryBudget;
  fileTasks: number;
  batchFiles: number;
  onStored(file: FileRecord): void;
  onUnchanged(path: string, size: number): void;
}

/** Runs the pass; resolves with the paths whose reuse failed (to be redone without reuse). */
export async function runPass(
  entries: AsyncIterable<WalkEntry | WalkProblem>,
  deps: PassDeps,
): Promise<string[]> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(deps.signal.reason);
  deps.signal.addEventListener('abort', onAbort, { once: true });
  const signal = stop.signal;
  // Every file task may wait on the budget (or a retry) with an abort listener on this signal at once:
  // with 8 workers that is 26 tasks, past Node's default of 10 that prints a leak warning.
  setMaxListeners(deps.fileTasks + 16, signal);
  const walked = new BoundedQueue<WalkEntry | WalkProblem>(ENTRIES_AHEAD);
  const results = new BoundedQueue<StoreItem>(deps.fileTasks * 2);
  const missed: string[] = [];
  // The first failure is the cause; what the other stages throw once they are stopped is its echo.
  let cause: unknown;
  const failAll = (error: unknown): never => {
    if (cause === undefined) cause = error;
    stop.abort(error);
    walked.fail(error);
    results.fail(error);
    throw error;
  };
  try {
    const settled = await Promise.allSettled([
      feed(entries, walked, signal).catch(failAll),
      processAll(walked, results, { ...deps, signal }, deps.fileTasks).catch(failAll),
      runStoreStage(results, {
        store: deps.store,
        budget: deps.budget,
        batchFiles: deps.batchFiles,
        signal,
        onStored: deps.onStored,
        onUnchanged: deps.onUnchanged,
        onRedo: (path) => missed.push(path),
      }).catch(failAll),
    ]);
    const rejected = settled.find((outcome) => outcome.status === 'rejected');
    if (rejected && !deps.signal.aborted) throw cause ?? rejected.reason;
    return missed;
  } finally {
    deps.signal.removeEventListener('abort', onAbort);
  }
}

async function feed(
  entries: AsyncIterable<WalkEntry | WalkProblem>,
  walked: BoundedQueue<WalkEntry | WalkProblem>,
  signal: AbortSignal,
) {
  for await (const entry of entries) {
    // Leaving the loop ends the walk (its generator's return), so an aborted run stops walking too.
    if (signal.aborted) break;
    await walked.push(entry);
  }
  walked.close();
}

async function processAll(
  walked: BoundedQueue<WalkEntry | WalkProblem>,
  results: BoundedQueue<StoreItem>,
  deps: ProcessDeps,
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
  // Aborted: nothing more is read from the walk, so the walk must not wait for room in the queue.
  if (deps.signal.aborted) walked.abandon();
  await Promise.all(running);
  if (firstError !== undefined && !deps.signal.aborted) throw firstError;
  results.close();
}

/** A path the walk could not or would not enter: recorded with its reason, never read. */
function problemItem(problem: WalkProblem): StoreItem {
  const file: FileRecord = {
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
    extractor: null,
  };
  return { kind: 'file', file, extraction: null, lease: null };
}
