/**
 * The index store: the one object the pipeline writes through and the CLI, daemon and MCP read
 * through. Every failure surfaces as a GroveError naming the database file.
 */
import type Database from 'better-sqlite3';
import { GroveError } from '../errors.js';
import type { FileRecord } from '../model.js';
import { iterateFiles } from './file-rows.js';
import { finishBulkMerging, startBulkMerging } from './fts-merging.js';
import { createGraphQueries, type GraphQueries } from './graph-queries.js';
import { createGraphStore, type GraphStore } from './graph-store.js';
import { type BatchItem, IndexWriter, type StreamedFileWriter } from './index-writer.js';
import { checkIntegrity } from './integrity-check.js';
import type { KnownStat, KnownStatPage } from './known-files.js';
import { readKnownPages, saveKnownSnapshot } from './known-snapshot.js';
import { deferNameIndexes, ensureNameIndexes } from './name-indexes.js';
import { type OpenOptions, openDatabase } from './open-database.js';
import { type KnownFile, prepareReuseStatements, type ReuseStatements } from './reuse-rows.js';
import { createSearch, type SearchAnswer, type SearchOptions, type SearchResult } from './search.js';
import { createStatus, type IndexStatus } from './status.js';
import { guarded, toStoreError } from './store-error.js';
import { createSymbolLookup, type SymbolOptions, type SymbolResult } from './symbol-lookup.js';
import { refreshTermStats, type TermStatsRefresh } from './term-stats.js';

export type {
  BatchItem,
  IndexStatus,
  KnownStat,
  KnownStatPage,
  OpenOptions,
  SearchAnswer,
  SearchOptions,
  SearchResult,
  StreamedFileWriter,
  SymbolOptions,
  SymbolResult,
};

/**
 * An open index database. Not shared between threads; one writer per index file (other processes may
 * read concurrently thanks to WAL). Always `close()` it.
 */
export class Store {
  /** The database file. */
  readonly path: string;
  /** The schema version of the open database (always this code's version once open). */
  readonly schemaVersion: number;
  /** The reference graph's rows (see graph-store.ts); read-only stores may only read through it. */
  readonly graph: GraphStore;
  private readonly graphQueries: GraphQueries;
  private readonly db: Database.Database;
  private readonly writer: IndexWriter | null;
  private readonly searchFn: ReturnType<typeof createSearch>;
  private readonly symbolsFn: ReturnType<typeof createSymbolLookup>;
  private readonly statusFn: ReturnType<typeof createStatus>;
  private readonly metaGet: Database.Statement<[string], string>;
  private readonly dataVersionGet: Database.Statement<[], number>;
  private readonly reuse: ReuseStatements;
  /** The known-files snapshot read by `knownStatPages`, while this connection logs its changes since. */
  private snapshotBase: Buffer | null = null;

  private constructor(path: string, db: Database.Database, schemaVersion: number, readonly: boolean) {
    this.path = path;
    this.db = db;
    this.schemaVersion = schemaVersion;
    this.writer = readonly ? null : new IndexWriter(db);
    this.searchFn = createSearch(db);
    this.symbolsFn = createSymbolLookup(db);
    this.statusFn = createStatus(db, path, schemaVersion, !readonly);
    this.metaGet = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
    this.dataVersionGet = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.reuse = prepareReuseStatements(db);
    this.graph = createGraphStore(db);
    this.graphQueries = createGraphQueries(db);
  }

  /**
   * Runs read queries over references, the map and file context (graph-queries.ts), with failures
   * mapped to GroveErrors naming the database like every other store call.
   */
  read<T>(fn: (queries: GraphQueries) => T): T {
    return guarded(this.path, () => fn(this.graphQueries));
  }

  /**
   * Opens the index at `dbPath`, creating it unless `readonly` or `create: false`.
   * @throws GroveError INDEX_NOT_FOUND (missing file, read-only or create: false), INDEX_CORRUPT (not a
   *   grove index, or damaged), INDEX_SCHEMA_NEWER, INDEX_LOCKED, DISK_FULL, IO_ERROR.
   */
  static open(dbPath: string, options: OpenOptions = {}): Store {
    const { db, schemaVersion } = openDatabase(dbPath, options);
    try {
      return new Store(dbPath, db, schemaVersion, options.readonly ?? false);
    } catch (error) {
      db.close();
      throw toStoreError(error, dbPath);
    }
  }

  /** Drops the page cache: an idle reader's pages come back from the OS's file cache when next read. */
  releaseMemory(): void {
    if (this.db.open) guarded(this.path, () => this.db.pragma('shrink_memory'));
  }

  /** Closes the database, rolling back a streamed file that was never committed. */
  close(): void {
    if (!this.db.open) return;
    guarded(this.path, () => {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      // Refreshes planner statistics where they went stale; cheap (bounded by analysis_limit).
      if (this.writer !== null) this.db.pragma('optimize');
    });
    this.db.close();
  }

  /**
   * Replaces everything known about each item's path (symbols, refs, imports, chunks, FTS entries and
   * the files row) in ONE transaction, so a file's rows and its state always commit together.
   */
  writeBatch(items: ReadonlyArray<BatchItem>): string[] {
    return guarded(this.path, () => this.mustWrite().writeBatch(items));
  }

  /** What the index knows about `path` (stat, hash, state, extractor), for incremental decisions. */
  knownFile(path: string): KnownFile | undefined {
    return guarded(this.path, () => this.reuse.known.get(path));
  }

  /** A path whose rows were made from exactly this content by exactly this extractor, if any. */
  findReusable(hash: string, extractor: string): string | undefined {
    return guarded(this.path, () => this.reuse.reusable.get(hash, extractor));
  }

  /**
   * Starts writing one huge file whose chunks arrive over time, in its own transaction (BEGIN
   * IMMEDIATE) that first deletes the path's old rows. Until `commit` or `rollback`, no other write
   * may happen on this store (they throw); readers in other connections see the previous state.
   */
  beginStreamedFile(file: FileRecord): StreamedFileWriter {
    const inner = guarded(this.path, () => this.mustWrite().beginStreamedFile(file));
    return {
      add: (chunks, symbols) => guarded(this.path, () => inner.add(chunks, symbols)),
      ride: (items) => guarded(this.path, () => inner.ride(items)),
      commit: (finalFile) => guarded(this.path, () => inner.commit(finalFile)),
      rollback: () => guarded(this.path, () => inner.rollback()),
    };
  }

  /** Deletes paths and all their rows; returns how many of them were in the index. */
  deleteFiles(paths: Iterable<string>): number {
    return guarded(this.path, () => this.mustWrite().deleteFiles(paths));
  }

  /** Before a first build: full-text segments merge in larger groups (fts-merging.ts). */
  startBulkFullText(): void {
    guarded(this.path, () => startBulkMerging(this.mustWriteDb()));
  }

  /**
   * After a run: restores the live full-text merge settings and merges what a bulk load left, when the
   * index holds the bulk ones (fts-merging.ts). Returns whether it merged.
   */
  finishBulkFullText(): boolean {
    return guarded(this.path, () => finishBulkMerging(this.mustWriteDb()));
  }

  /**
   * Before a first build (no files yet): drops the indexes ordered by name, built once afterwards by
   * `ensureNameIndexes` (see name-indexes.ts). Returns whether they were deferred.
   */
  deferNameIndexes(): boolean {
    return guarded(this.path, () => deferNameIndexes(this.mustWriteDb()));
  }

  /** Builds the name indexes a first build deferred (or a run that died left missing); returns how many. */
  ensureNameIndexes(): number {
    return guarded(this.path, () => ensureNameIndexes(this.mustWriteDb()));
  }

  /** Counts the common tokens' document frequencies again when enough chunks changed (term-stats.ts). */
  refreshTermStats(): TermStatsRefresh {
    return guarded(this.path, () => refreshTermStats(this.mustWriteDb()));
  }

  setMeta(key: string, value: string): void {
    guarded(this.path, () => this.mustWrite().setMetas({ [key]: value }));
  }

  /** Sets several meta values in one transaction. */
  setMetas(values: Readonly<Record<string, string>>): void {
    guarded(this.path, () => this.mustWrite().setMetas(values));
  }

  getMeta(key: string): string | null {
    return guarded(this.path, () => this.metaGet.get(key) ?? null);
  }

  /**
   * SQLite's `data_version`: it changes when another connection commits to the database, so a reader can
   * keep what it derived from the index until then (one pragma instead of re-reading the rows).
   */
  dataVersion(): number {
    return guarded(this.path, () => this.dataVersionGet.get() ?? 0);
  }

  /**
   * Every files row (path, size, mtimeMs, ino, dev, hash, state, ...) in path order, read a page at a
   * time: memory stays bounded and writing while iterating is allowed.
   */
  *files(): IterableIterator<FileRecord> {
    const iterator = guarded(this.path, () => iterateFiles(this.db));
    for (;;) {
      const next = guarded(this.path, () => iterator.next());
      if (next.done === true) return;
      yield next.value;
    }
  }

  /**
   * The stat columns of every files row in path order, a page at a time: what an incremental run
   * compares its walk with. Read from the snapshot of the last complete run when nothing was written
   * since (see known-snapshot.ts), else by scanning the table. Writing while iterating is allowed.
   */
  *knownStatPages(): IterableIterator<KnownStatPage> {
    const iterator = guarded(this.path, () => {
      const known = readKnownPages(this.db, this.writer !== null);
      this.snapshotBase = known.base;
      return known.pages;
    });
    for (;;) {
      const next = guarded(this.path, () => iterator.next());
      if (next.done === true) return;
      yield next.value;
    }
  }

  /**
   * After a complete run: records the files table's stat columns for the next run's `knownStatPages`,
   * unless the snapshot is still valid (nothing was written). Returns whether it wrote one.
   */
  saveKnownSnapshot(): boolean {
    const base = this.snapshotBase;
    this.snapshotBase = null;
    try {
      return guarded(this.path, () => saveKnownSnapshot(this.mustWriteDb(), base));
    } catch (error) {
      // A cache: a disk too full to hold it costs the next run a scan, not this complete run its result.
      // Its transaction rolled back, so no partial blob is left.
      if (error instanceof GroveError && error.code === 'DISK_FULL') return false;
      throw error;
    }
  }

  /** Ranked chunks for a free-text query; never throws on odd input, `[]` for an empty query. */
  search(query: string, options?: SearchOptions): SearchResult[] {
    return this.searchAnswer(query, options).results;
  }

  /** `search`, saying also whether the ranking may differ from the exhaustive one (`approximate`). */
  searchAnswer(query: string, options?: SearchOptions): SearchAnswer {
    return guarded(this.path, () => this.searchFn(query, options));
  }

  /** Definitions named exactly `name`, or matching it as a glob when it contains `*` or `?`. */
  symbols(name: string, options?: SymbolOptions): SymbolResult[] {
    return guarded(this.path, () => this.symbolsFn(name, options));
  }

  /** File counts by state, row counts, languages, schema version and size on disk. */
  status(): IndexStatus {
    return guarded(this.path, () => this.statusFn());
  }

  /**
   * Reads every page of the index and throws INDEX_CORRUPT (naming the file and SQLite's findings) when
   * any is damaged. Costs one read of the whole file.
   */
  check(): void {
    guarded(this.path, () => checkIntegrity(this.db, this.path));
  }

  private mustWriteDb(): Database.Database {
    this.mustWrite();
    return this.db;
  }

  private mustWrite(): IndexWriter {
    if (this.writer === null) {
      throw new GroveError('INTERNAL', `Index ${this.path} was opened read-only; it cannot be written.`);
    }
    return this.writer;
  }
}
