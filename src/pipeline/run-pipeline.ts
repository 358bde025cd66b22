/**
 * A whole indexing run: takes the index's write lock, opens the store, runs the pipeline over the walk
 * (then once more, without reuse, over files whose reuse raced with a change), removes files the walk no
 * longer finds, records freshness and summarizes. It only composes: the stages live in their modules.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { SETTINGS_META_KEY, settingsMeta, withRememberedSettings } from '../config/index-settings.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { toGroveError } from '../errors.js';
import { peakRss } from '../obs/rss.js';
import type { ParsePool } from '../parse/parse-pool.js';
import { gitHead } from '../repo/git-head.js';
import { acquireIndexLock } from '../store/index-lock.js';
import { Store } from '../store/store.js';
import { changedEntries } from './changed-entries.js';
import { createParsePool } from './create-parse-pool.js';
import type { IndexEvent, SummaryEvent } from './index-events.js';
import { KnownCursor } from './known-cursor.js';
import { MemoryBudget } from './memory-budget.js';
import { type MemoryPlan, planMemory } from './memory-plan.js';
import { ProgressTracker } from './progress-tracker.js';
import { readRememberedSettings } from './remembered-settings.js';
import type { PassDeps } from './run-pass.js';
import { runPassIfAny } from './run-pass-if-any.js';
import { restat, walkEntries } from './run-walk.js';
import { listedAheadSince } from './stages/native-scan.js';
import { removeGonePaths } from './stages/walk-paths.js';

const PROGRESS_INTERVAL_MS = 250;
/** At most one replacement of every parse worker per this long, however often pressure turns critical. */
const FULL_RECYCLE_COOLDOWN_MS = 5_000;

/** Must not block: the caller's channel coalesces progress and keeps the rest in order. */
export type Emit = (event: IndexEvent) => void;

/** What a long-lived host lends a run instead of the run making its own. */
export interface RunResources {
  /**
   * A parse pool kept warm between runs (the daemon's): its workers and grammars are already loaded, so
   * a one-file run does not pay for starting them. The run neither closes it nor counts its past work.
   */
  parsePool?: ParsePool;
  /**
   * Leave linking the reference graph and counting term statistics to a later run (what is left stays
   * recorded in the index): a watcher batch must make an edit searchable at once, and a link loads
   * every path of the index.
   */
  deferLink?: boolean;
}

export async function runPipeline(
  given: ResolvedConfig,
  emit: Emit,
  signal: AbortSignal,
  resources: RunResources = {},
): Promise<SummaryEvent> {
  mkdirSync(given.indexDir, { recursive: true });
  // One writer per index: a second run refuses with INDEX_LOCKED (naming the holder); a crashed run's
  // lock is recovered. Taken before --full deletes anything.
  const lock = await acquireIndexLock(given.dbPath, { command: `grove index ${given.root}`, signal });
  const plan = planMemory(given.maxMemory, given.concurrency);
  let store: Store;
  let remembered: string | null = null;
  try {
    // A rebuild keeps the settings of the index it replaces (when that one can still be read).
    if (given.full) {
      remembered = readRememberedSettings(given.dbPath);
      removeIndexFiles(given.dbPath);
    }
    store = Store.open(given.dbPath, { create: true, cacheKiB: plan.sqliteCacheKiB });
  } catch (error) {
    lock.release();
    throw error;
  }
  try {
    const config = withRememberedSettings(given, remembered ?? store.getMeta(SETTINGS_META_KEY));
    return await indexInto(store, config, plan, emit, signal, resources);
  } finally {
    store.close();
    lock.release();
  }
}

async function indexInto(
  store: Store,
  config: ResolvedConfig,
  plan: MemoryPlan,
  emit: Emit,
  signal: AbortSignal,
  resources: RunResources,
): Promise<SummaryEvent> {
  const lentPool = resources.parsePool;
  const budget = new MemoryBudget({ maxBytes: config.maxMemory, inFlightBytes: plan.inFlightBytes });
  const pool = lentPool ?? createParsePool(config, plan);
  const poolStatsAtStart = { ...pool.stats };
  pool.setRecycleAfterFileBytes(plan.recycleWorkerAfterFileBytesRelaxed);
  let lastFullRecycleAt = Number.NEGATIVE_INFINITY;
  budget.onPressure((level) => {
    pool.setActiveLimit(level === 'critical' ? 1 : plan.workers);
    pool.setRecycleAfterFileBytes(
      level === 'normal' ? plan.recycleWorkerAfterFileBytesRelaxed : plan.recycleWorkerAfterFileBytes,
    );
    // Replacing every worker returns their WASM memory, but when RSS stays critical for another reason
    // (the store, the main heap) repeating it only burns the ~0.3 s of CPU each new worker costs.
    if (level === 'critical' && performance.now() - lastFullRecycleAt >= FULL_RECYCLE_COOLDOWN_MS) {
      lastFullRecycleAt = performance.now();
      pool.recycleAll();
    }
  });
  const tracker = new ProgressTracker(budget);
  // A whole-tree run merges its walk with one ordered scan of the files table; a paths run looks up its
  // few paths and remembers them, to tell which requested paths are gone.
  const cursor = config.paths
    ? null
    : new KnownCursor({ pages: store.knownStatPages(), lookup: (path) => store.knownFile(path) });
  const seen = new Set<string>();
  emit({
    type: 'start',
    root: config.root,
    indexDir: config.indexDir,
    maxMemoryBytes: config.maxMemory,
    workers: plan.workers,
  });
  const progressTimer = setInterval(() => emit(tracker.snapshot()), PROGRESS_INTERVAL_MS);
  // The commit the walk starts from, asked now so git runs while the walk does. A paths run does not
  // record it (see below), and spawning git costs a watcher batch ~10 ms of this thread.
  const commit = config.paths ? Promise.resolve(null) : gitHead(config.root);
  // A complete run vouches for the tree as of its walk's start (or its listing ahead): what changed later
  // may be missing (a file added to a directory already walked); a daemon loading the index compares.
  const listedSince = listedAheadSince(config.root) ?? Number.POSITIVE_INFINITY;
  const walkStartedAt = new Date(Math.min(Date.now(), listedSince)).toISOString();
  const deps: PassDeps = {
    config,
    budget,
    pool,
    signal,
    store,
    fileTasks: plan.fileTasks,
    batchFiles: plan.batchFiles,
    incremental: config.full
      ? undefined
      : {
          known: (path) => store.knownFile(path),
          findReusable: (hash, extractor) => store.findReusable(hash, extractor),
        },
    onStored: (file) => {
      tracker.stored(file);
      if (file.state !== 'failed') return;
      emit({
        type: 'file-failed',
        path: file.path,
        state: file.state,
        reason: file.reason,
        error: file.error,
      });
    },
    onUnchanged: (_path, size) => tracker.unchanged(size),
  };
  // The settings this walk uses are the index's from now on; a paths run looks at a few paths only and
  // leaves them as they are. Written only when they change.
  const settings = settingsMeta(config);
  if (!config.paths && settings !== store.getMeta(SETTINGS_META_KEY)) {
    store.setMetas({ [SETTINGS_META_KEY]: settings });
  }
  // A first build loads without the indexes ordered by name and builds them once its files are in; an
  // index whose first build died before that gets them now.
  const namesDeferred = store.deferNameIndexes();
  if (namesDeferred) store.startBulkFullText();
  else store.ensureNameIndexes();
  try {
    const known = cursor ? (path: string) => cursor.known(path) : (path: string) => store.knownFile(path);
    const entries = changedEntries(walkEntries(config, seen, signal), known, tracker, config.macros);
    const missed = await runPassIfAny(entries, deps).catch(rethrowUnlessAborted(signal));
    if (missed && missed.length > 0 && !signal.aborted) {
      await runPassIfAny(restat(config.root, missed), { ...deps, incremental: undefined });
    }
    const aborted = signal.aborted;
    let removed = 0;
    let link: SummaryEvent['run']['link'] = { mode: 'none', files: 0, ms: 0 };
    let termStats: SummaryEvent['run']['termStats'] = { refreshed: false, terms: 0, ms: 0 };
    if (!aborted) {
      // Files indexed before that the walk no longer finds (deleted, now ignored) leave the index.
      removed =
        cursor === null
          ? removeGonePaths(store, config.root, config.paths ?? [], seen)
          : removeFiles(store, cursor.unseen());
    }
    // Workers are done: their memory goes back before the name indexes are sorted and the link holds
    // the path index (a lent pool stays warm: its host decides when to close it).
    if (!lentPool) await pool.close();
    // Also after an abort: what was committed answers queries by name at full speed.
    if (namesDeferred) store.ensureNameIndexes();
    if (!aborted) {
      // A first build's full-text segments are merged before anything searches them (fts-merging.ts).
      store.finishBulkFullText();
      // The graph modules load only when there is something to link (never on a run that changed nothing).
      if (!resources.deferLink && store.graph.dirtyCount() > 0) {
        const linkStart = performance.now();
        const { linkGraph } = await import('../graph/link-graph.js');
        link = { ...linkGraph(store.graph), ms: Math.round(performance.now() - linkStart) };
      }
      if (!resources.deferLink) termStats = store.refreshTermStats();
      // A paths run saw only some files: it cannot vouch for the whole tree's time or commit.
      if (!config.paths) {
        store.setMetas({
          indexedAt: walkStartedAt,
          root: config.root,
          commit: (await commit) ?? '',
        });
        // The next run reads the files it knows from one blob instead of a scan (a no-op when this
        // run wrote nothing: the last one is still valid).
        store.saveKnownSnapshot();
      }
    }
    const poolStats = {
      tasks: pool.stats.tasks - poolStatsAtStart.tasks,
      crashes: pool.stats.crashes - poolStatsAtStart.crashes,
      recycled: pool.stats.recycled - poolStatsAtStart.recycled,
      timeouts: pool.stats.timeouts - poolStatsAtStart.timeouts,
    };
    const pressureChanges = budget.pressureChanges;
    return summarize(store, tracker, poolStats, { removed, aborted, link, termStats, pressureChanges });
  } finally {
    clearInterval(progressTimer);
    await commit; // never rejects; a git still running is not left behind
    if (!lentPool) await pool.close();
    budget.close();
  }
}

function rethrowUnlessAborted(signal: AbortSignal) {
  return (error: unknown): undefined => {
    if (signal.aborted) return undefined;
    throw toGroveError(error);
  };
}

/** `--full`: the database and its WAL go, whatever state they are in (this is how a corrupt index is rebuilt). */
function removeIndexFiles(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
}

function removeFiles(store: Store, paths: string[]): number {
  return paths.length > 0 ? store.deleteFiles(paths) : 0;
}

function summarize(
  store: Store,
  tracker: ProgressTracker,
  poolStats: ParsePool['stats'],
  run: Pick<SummaryEvent['run'], 'aborted' | 'link' | 'termStats' | 'pressureChanges'> & { removed: number },
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
      filesWritten: tracker.filesWritten,
      filesUnchanged: tracker.filesUnchanged,
      filesRemoved: run.removed,
      parsed: poolStats.tasks,
      workerCrashes: poolStats.crashes,
      workerRecycles: poolStats.recycled,
      pressureChanges: run.pressureChanges,
      parseTimeouts: poolStats.timeouts,
      aborted: run.aborted,
      link: run.link,
      termStats: run.termStats,
    },
  };
}
