/**
 * The query API over an index directory, shared by the CLI, library users, the daemon and MCP: one
 * implementation, several transports. Every answer carries its freshness.
 */
import { readSettings, SETTINGS_META_KEY, type StoredSettings } from '../config/index-settings.js';
import { indexDbPath } from '../config/resolve-config.js';
import type { SerializedError } from '../errors.js';
import { type IndexStatus, type SearchResult, Store, type SymbolResult } from '../store/store.js';
import { type ContextOptions, type FileContext, fileContext } from './file-context.js';
import { findRefs, type RefOptions, type RefResult } from './find-refs.js';
import {
  countDirtyFiles,
  directoriesChangedSince,
  type Freshness,
  readFreshness,
  readRunStamp,
} from './freshness.js';
import { toIndexPath } from './index-path.js';
import { type MapOptions, type RepoMap, repoMap } from './repo-map.js';

export type { ContextOptions, FileContext, Freshness, MapOptions, RefOptions, RefResult, RepoMap };

export interface SearchOptions {
  limit?: number;
  language?: string;
  pathGlob?: string;
  kind?: string;
  /** Rank every match exactly (slow on big indexes); by default a fast path may approximate. */
  exhaustive?: boolean;
}

export interface OpenIndexOptions {
  /**
   * How long a freshness check (one stat per indexed file) is reused, in ms (default 1000): on a big
   * repository the check costs far more than a query, so back-to-back queries share one.
   */
  freshnessMaxAgeMs?: number;
  /**
   * How many files changed on disk since they were indexed, when the caller knows it (the daemon's
   * watcher does): then no answer stats the tree, and the count is never stale.
   */
  dirtyFiles?: () => number;
}

export interface FailedFile {
  path: string;
  reason: string;
  error: SerializedError | null;
}

type Fresh<T> = T & { freshness: Freshness };

export interface GroveIndex {
  /** The indexed root (absolute), or null for an index never completed. */
  readonly root: string | null;
  /** `approximate`: the results may differ from the exhaustive BM25 ranking (see docs/COMMANDS.md). */
  search(
    query: string,
    options?: SearchOptions,
  ): { results: SearchResult[]; approximate: boolean; freshness: Freshness };
  symbols(
    name: string,
    options?: { limit?: number; kind?: string },
  ): { results: SymbolResult[]; freshness: Freshness };
  /** Uses of `name`, each resolved to the definition it most likely means. */
  refs(name: string, options?: RefOptions): { results: RefResult[]; freshness: Freshness };
  /** The repository map: ranked files and their main definitions, within a token budget. */
  map(options?: MapOptions): Promise<Fresh<RepoMap>>;
  /** A file's context; `path` is relative to the root (outside it: PATH_OUTSIDE_ROOT). */
  context(path: string, options?: ContextOptions): Promise<Fresh<FileContext>>;
  /** Counts, plus the settings later runs use (config/index-settings.ts; null before the first run). */
  status(): Fresh<IndexStatus & { settings: StoredSettings | null }>;
  freshness(): Freshness;
  /**
   * A number that moves whenever another connection commits to the index (SQLite's `data_version`):
   * an answer read at one version holds while the version does.
   */
  version(): number;
  /** Reads every page; throws INDEX_CORRUPT naming the file when one is damaged. */
  check(): void;
  /** Files recorded as failed (path, reason, error), in path order, at most `limit`. */
  failures(limit: number): FailedFile[];
  /** Indexed files that differ on disk now, counted afresh (one stat per indexed file). */
  countDirtyFiles(): number;
  /**
   * Whether the index may miss changes no file row shows: files written whose reference graph a run
   * that ended early (a killed daemon) did not link, or a directory changed since the last complete run
   * (a file added while nobody watched), or no complete run yet. One stat per directory.
   */
  missesChanges(): boolean;
  /** Drops the connection's page cache (an idle daemon's memory goes back; see server/idle-release.ts). */
  releaseMemory(): void;
  close(): void;
}

const DEFAULT_FRESHNESS_MAX_AGE_MS = 1_000;

/** Opens the index in `indexDir` (the `.grove` directory) read-only. */
export function openIndex(indexDir: string, options: OpenIndexOptions = {}): GroveIndex {
  const store = Store.open(indexDbPath(indexDir), { readonly: true });
  const maxAge = options.freshnessMaxAgeMs ?? DEFAULT_FRESHNESS_MAX_AGE_MS;
  let cached: { at: number; value: Freshness } | undefined;
  // With a caller-known dirty count the rest of freshness changes only when a run commits: a daemon's
  // query then costs one pragma instead of three meta reads.
  let stamp: { version: number; value: Pick<Freshness, 'indexedAt' | 'commit'> } | undefined;
  const freshness = (): Freshness => {
    if (options.dirtyFiles) {
      const version = store.dataVersion();
      if (stamp?.version !== version) stamp = { version, value: readRunStamp(store) };
      return { ...stamp.value, dirtyFiles: options.dirtyFiles() };
    }
    const now = Date.now();
    if (cached === undefined || now - cached.at >= maxAge) cached = { at: now, value: readFreshness(store) };
    return cached.value;
  };
  const root = store.getMeta('root');
  return {
    root,
    search: (query, opts) => ({ ...store.searchAnswer(query, opts), freshness: freshness() }),
    symbols: (name, opts) => ({ results: store.symbols(name, opts), freshness: freshness() }),
    refs: (name, opts) => ({ results: findRefs(store, name, opts), freshness: freshness() }),
    map: async (opts) => ({ ...(await repoMap(store, opts)), freshness: freshness() }),
    context: async (path, opts) => {
      const indexPath = root === null ? path : toIndexPath(root, path);
      return { ...(await fileContext(store, indexPath, opts)), freshness: freshness() };
    },
    status: () => ({
      ...store.status(),
      settings: readSettings(store.getMeta(SETTINGS_META_KEY)),
      freshness: freshness(),
    }),
    freshness,
    version: () => store.dataVersion(),
    check: () => store.check(),
    failures: (limit) => {
      const failed: FailedFile[] = [];
      for (const file of store.files()) {
        if (failed.length >= limit) break;
        if (file.state === 'failed') failed.push({ path: file.path, reason: file.reason, error: file.error });
      }
      return failed;
    },
    countDirtyFiles: () => (root ? countDirtyFiles(store, root) : 0),
    missesChanges: () => {
      // Never completed (a first run was killed): only a complete run can tell what is missing.
      if (root === null || store.graph.dirtyCount() > 0) return true;
      const indexedAt = Date.parse(store.getMeta('indexedAt') ?? '');
      return Number.isNaN(indexedAt) || directoriesChangedSince(store, root, indexedAt);
    },
    releaseMemory: () => store.releaseMemory(),
    close: () => store.close(),
  };
}
