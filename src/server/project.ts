/**
 * One repository loaded in the daemon: a read-only GroveIndex answering queries, a native watcher whose
 * changes become debounced, coalesced incremental index batches, and the state `/health/indexing`
 * reports. Queries keep being answered from the last committed state while a batch runs (SQLite WAL:
 * the batch writes through its own connection).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DaemonConfig } from '../config/daemon-config.js';
import { indexDbPath, MIN_MAX_MEMORY } from '../config/resolve-config.js';
import { GroveError } from '../errors.js';
import type { Language, LanguageId } from '../model.js';
import { isParsable } from '../parse/languages.js';
import type { ProgressEvent, SummaryEvent } from '../pipeline/index-events.js';
import { indexRepository } from '../pipeline/index-repository.js';
import type { PressureLevel } from '../pipeline/memory-budget.js';
import { type GroveIndex, openIndex } from '../query/open-index.js';
import { ChangeBatcher } from '../watch/change-batcher.js';
import { type TreeWatch, watchTree } from '../watch/watch-tree.js';
import type { RunIndex } from './index-runner.js';
import { ProjectReads, type ReadAnswer, type ReadMethod } from './project-reads.js';
import type { QueryPool } from './query-pool.js';
import type { WorkQueue } from './work-queue.js';

/** A batch that failed (e.g. `grove index` holds the lock) is retried after this long. */
const RETRY_BATCH_MS = 1_000;
/**
 * Watcher batches leave the reference graph unlinked (an edit must be searchable at once, and a link
 * loads every path of the index); one linking run follows once changes have been quiet this long.
 */
export const LINK_AFTER_QUIET_MS = 1_500;
/** A stream of changes (a long checkout) still gets indexed at least this often. */
const MAX_BATCH_WAIT_MS = 1_000;
/** Grammars made ready when a watched project loads: its most common languages, where edits will come. */
const WARM_LANGUAGES = 2;

export interface ProjectDeps {
  config: DaemonConfig;
  queue: WorkQueue;
  /**
   * Where index runs happen: the daemon's `IndexRunner` (a worker thread with a warm parse pool); without
   * it (the CLI's in-process backend) on this thread, each run starting its own parse pool.
   */
  runIndex?: RunIndex;
  /** Prepares index runs for these languages (the runner's workers and grammars) before the first one. */
  warmIndex?(languages: LanguageId[]): void;
  /** The daemon's query threads for the slow reads; without (the CLI), they are answered here. */
  queryPool?: QueryPool;
  log(message: string): void;
  onBatch(files: number, ms: number): void;
}

/**
 * The budget of an index run in the daemon: its limit, but never below what the pipeline needs (it refuses
 * smaller budgets); a smaller daemon limit still indexes with the minimum.
 */
export function indexMemory(config: DaemonConfig): number {
  return Math.max(config.maxMemory, MIN_MAX_MEMORY);
}

export type ProjectState = 'idle' | 'queued' | 'indexing' | 'closed';

export interface IndexRequest {
  paths?: readonly string[];
  full?: boolean;
  /** Do not link the reference graph in this run (a watcher batch; a linking run follows). */
  deferLink?: boolean;
}

export class Project {
  readonly root: string;
  readonly indexDir: string;
  lastUsed = Date.now();
  #deps: ProjectDeps;
  #index: GroveIndex | null = null;
  readonly #reads: ProjectReads;
  #watch: TreeWatch | null = null;
  #batcher: ChangeBatcher;
  /** Dirty files counted by stat (at load, refreshed by `status` when not watching); null until counted. */
  #statDirty: number | null = null;
  #closed = false;
  #running = false;
  #jobs = 0;
  #progress: ProgressEvent | null = null;
  #lastSummary: SummaryEvent | null = null;
  #linkTimer: NodeJS.Timeout | null = null;

  private constructor(root: string, indexDir: string, deps: ProjectDeps) {
    this.root = root;
    this.indexDir = indexDir;
    this.#deps = deps;
    this.#reads = new ProjectReads(indexDir, deps.queryPool);
    this.#batcher = new ChangeBatcher({
      debounceMs: deps.config.debounceMs,
      leadingAfterQuietMs: deps.config.debounceMs,
      maxWaitMs: MAX_BATCH_WAIT_MS,
      retryMs: RETRY_BATCH_MS,
      run: async (paths) => {
        const started = performance.now();
        await this.index({ paths, deferLink: true });
        deps.onBatch(paths.length, performance.now() - started);
        this.#scheduleLink();
      },
      onError: (error) => deps.log(`index batch for ${root} failed, will retry: ${(error as Error).message}`),
    });
  }

  /**
   * Loads a project: opens its index (unless `create` and there is none yet) and starts its watcher.
   * @throws GroveError INDEX_NOT_FOUND when there is no index and `create` is false.
   */
  static async load(root: string, indexDir: string, deps: ProjectDeps, create: boolean): Promise<Project> {
    const project = new Project(root, indexDir, deps);
    if (existsSync(indexDbPath(indexDir))) project.#open();
    else if (!create) {
      throw new GroveError('INDEX_NOT_FOUND', `no grove index for ${root} (looked in ${indexDir})`, {
        root,
        indexDir,
      });
    }
    if (deps.config.watch && existsSync(root)) {
      // Watch first, count second: a change between the two is caught by one or the other.
      project.#watch = await watchTree(
        root,
        [indexDir, join(root, '.grove')],
        (paths) => project.#batcher.add(paths),
        (error) => deps.log(`watcher for ${root}: ${error.message}`),
      );
      const index = project.#index;
      if (index !== null) deps.warmIndex?.(mainLanguages(index));
      // Changes made while nobody watched (files edited, deleted or added since the last run, and what
      // a killed daemon wrote but did not link) are brought in by one catch-up run.
      if (index !== null && (project.#countDirty() > 0 || index.missesChanges())) {
        project
          .index({})
          .catch((error) => deps.log(`catch-up index of ${root}: ${(error as Error).message}`));
      }
    }
    return project;
  }

  /** The open index; throws INDEX_NOT_FOUND while the first index run has not created it. */
  get query(): GroveIndex {
    if (this.#index === null) {
      throw new GroveError('INDEX_NOT_FOUND', `${this.root} has no index yet; run the index method first`);
    }
    return this.#index;
  }

  /** Answers a read (kept answer, query thread or here: `ProjectReads`), with this project's freshness. */
  read<M extends ReadMethod>(method: M, ...args: Parameters<GroveIndex[M]>): Promise<ReadAnswer<M>> {
    return this.#reads.read(this.query, method, args);
  }

  get busy(): boolean {
    return this.#jobs > 0 || this.#batcher.busy;
  }

  /** Queues an index run (all files, incremental; or only `paths`) and resolves with its summary. */
  async index(request: IndexRequest): Promise<SummaryEvent> {
    if (this.#closed) throw new GroveError('DAEMON_BUSY', `${this.root} is being unloaded`);
    this.#jobs++;
    try {
      return await this.#deps.queue.run(() => this.#run(request));
    } finally {
      this.#jobs--;
    }
  }

  /** Refreshes the stat-based dirty count (a status request when no watcher keeps it). */
  refreshFreshness(): void {
    if (this.#watch === null) this.#statDirty = null;
  }

  get state(): ProjectState {
    if (this.#closed) return 'closed';
    if (this.#running) return 'indexing';
    return this.#jobs > 0 || this.#batcher.unindexed > 0 ? 'queued' : 'idle';
  }

  /** What `/health/indexing` reports for this project. */
  health(): Record<string, unknown> {
    const progress = this.#progress;
    return {
      root: this.root,
      indexDir: this.indexDir,
      state: this.state,
      watching: this.#watch !== null,
      filesPerSec: progress?.filesPerSec ?? 0,
      mbPerSec: progress?.mbPerSec ?? 0,
      queueDepth: this.#batcher.unindexed,
      pressure: (progress?.pressure ?? 'normal') satisfies PressureLevel,
      rssBytes: progress?.rssBytes ?? process.memoryUsage.rss(),
      batches: this.#batcher.stats.batches,
      lastBatchFiles: this.#batcher.stats.lastBatchFiles,
      lastRun: this.#lastSummary ? { wallMs: this.#lastSummary.wallMs, ...this.#lastSummary.run } : null,
      answers: this.#reads.stats,
    };
  }

  /** The daemon is idle: the index connection's page cache goes (a running batch keeps its own). */
  releaseMemory(): void {
    this.#index?.releaseMemory();
  }

  /** Waits for the running batch (draining), stops watching and closes the index. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#linkTimer) clearTimeout(this.#linkTimer);
    await this.#watch?.close();
    await this.#batcher.close();
    this.#index?.close();
    this.#index = null;
    this.#reads.forget();
  }

  async #run(request: IndexRequest): Promise<SummaryEvent> {
    this.#running = true;
    let summary: SummaryEvent | undefined;
    try {
      const options = {
        indexDir: this.indexDir,
        maxMemory: indexMemory(this.#deps.config),
        full: request.full ?? false,
        ...(request.paths ? { paths: request.paths } : {}),
      };
      const runIndex = this.#deps.runIndex ?? runHere;
      for await (const event of runIndex(this.root, options, request.deferLink ?? false)) {
        if (event.type === 'progress') this.#progress = event;
        else if (event.type === 'summary') summary = event;
      }
    } finally {
      this.#running = false;
    }
    if (!summary) throw new GroveError('INTERNAL', `the index run of ${this.root} ended without a summary`);
    this.#lastSummary = summary;
    // A first run created the database; a --full run replaced the file the old connection had open.
    if (this.#index === null || request.full) this.#open();
    this.#statDirty = null;
    return summary;
  }

  /** A linking run (no paths: nothing re-examined) once watched changes have been quiet a while. */
  #scheduleLink(): void {
    if (this.#linkTimer) clearTimeout(this.#linkTimer);
    this.#linkTimer = setTimeout(() => {
      this.#linkTimer = null;
      if (this.#batcher.unindexed > 0) return; // the next batch schedules it again
      this.index({ paths: [] }).catch((error) =>
        this.#deps.log(`linking ${this.root} failed: ${(error as Error).message}`),
      );
    }, LINK_AFTER_QUIET_MS);
    this.#linkTimer.unref();
  }

  #open(): void {
    if (this.#index !== null) {
      // A --full run replaced the file: the query threads' connections still read the old one.
      this.#index.close();
      this.#reads.forget();
    }
    this.#index = openIndex(this.indexDir, { dirtyFiles: () => this.#dirtyFiles() });
  }

  #countDirty(): number {
    this.#statDirty ??= this.#index?.countDirtyFiles() ?? 0;
    return this.#statDirty;
  }

  /**
   * With a watcher: the changes not yet committed (plus what a catch-up run still has to do). Without:
   * the stat count, taken once and refreshed by `status`, so queries never stat the whole tree.
   */
  #dirtyFiles(): number {
    if (this.#watch === null) return this.#countDirty();
    const catchingUp = this.#statDirty !== null && this.#jobs > 0 ? this.#statDirty : 0;
    return this.#batcher.unindexed + catchingUp;
  }
}

/** An index run on the calling thread (no daemon: the CLI's in-process backend). */
const runHere: RunIndex = (root, options, deferLink) =>
  indexRepository(root, options, deferLink ? { deferLink: true } : {});

/** The index's most common parsable languages, most files first. */
function mainLanguages(index: GroveIndex): LanguageId[] {
  return Object.entries(index.status().languages)
    .filter((entry): entry is [LanguageId, number] => isParsable(entry[0] as Language))
    .sort((a, b) => b[1] - a[1])
    .slice(0, WARM_LANGUAGES)
    .map(([language]) => language);
}
