/**
 * All writes to the index. There is exactly one writer per index (the pipeline's store stage); a
 * file's rows and its files row always commit in the same transaction, so a crash never leaves a file
 * marked `indexed` without its rows, or rows without their file.
 */
import type Database from 'better-sqlite3';
import { GroveError } from '../errors.js';
import type { ChunkRecord, Extraction, FileRecord, SymbolRecord } from '../model.js';
import { fileParams } from './file-rows.js';
import { createGraphStore, type GraphStore } from './graph-store.js';
import {
  type FileReuse,
  prepareReuseStatements,
  type ReuseStatements,
  reusableSource,
} from './reuse-rows.js';
import {
  deleteFileRows,
  type FtsRow,
  insertChunks,
  insertFtsRows,
  insertRefs,
  insertSymbols,
  prepareWriteStatements,
  type RowCounts,
  type WriteStatements,
} from './row-writes.js';
import { STATUS_CACHE_KEY } from './status.js';

/** One file and what was extracted from it (null for skipped/failed files, which have no rows). */
export interface BatchItem {
  file: FileRecord;
  extraction: Extraction | null;
  /** Instead of an extraction: reuse rows already in the index for the same content (see reuse-rows.ts). */
  reuse?: FileReuse;
}

/**
 * Writes one huge file whose chunks arrive over time, inside one open transaction.
 * While it is open nothing else may write to the store (writeBatch, deleteFiles, setMeta throw).
 */
export interface StreamedFileWriter {
  /** Inserts more chunks (and symbols found by a line-level extractor) of the file. */
  add(chunks: ReadonlyArray<ChunkRecord>, symbols?: ReadonlyArray<SymbolRecord>): void;
  /**
   * Writes other files' rows inside this file's transaction, as `writeBatch` would: they commit with
   * it, or roll back with it. Returns the paths whose reuse failed (not written).
   */
  ride(items: ReadonlyArray<BatchItem>): string[];
  /** Writes the files row with the final record and commits everything. */
  commit(finalFile: FileRecord): void;
  /** Discards everything added; the path keeps the rows it had before `beginStreamedFile`. */
  rollback(): void;
}

/** Writes files, their extracted rows and metadata. Create one per Store; see the module comment. */
export class IndexWriter {
  private readonly s: WriteStatements;
  private readonly reuse: ReuseStatements;
  private readonly graph: GraphStore;
  private readonly batchTx: Database.Transaction<(items: ReadonlyArray<BatchItem>) => string[]>;
  private readonly deleteTx: Database.Transaction<(paths: Iterable<string>) => number>;
  private readonly metaTx: Database.Transaction<(values: Readonly<Record<string, string>>) => void>;
  private streaming = false;

  constructor(private readonly db: Database.Database) {
    this.s = prepareWriteStatements(db);
    this.reuse = prepareReuseStatements(db);
    this.graph = createGraphStore(db);
    this.batchTx = db.transaction((items: ReadonlyArray<BatchItem>) => {
      // A touch (same content, same path) changes only stat columns, which status does not count.
      if (items.some((item) => item.reuse?.kind !== 'same')) this.dropStatus();
      return this.writeItems(items);
    });
    this.deleteTx = db.transaction((paths: Iterable<string>) => {
      this.dropStatus();
      let deleted = 0;
      for (const path of paths) {
        const id = this.s.fileId.get(path);
        if (id === undefined) continue;
        this.graph.fileDeleted(id);
        deleteFileRows(this.s, id);
        this.s.deleteFile.run(id);
        deleted++;
      }
      return deleted;
    });
    this.metaTx = db.transaction((values: Readonly<Record<string, string>>) => {
      for (const [key, value] of Object.entries(values)) this.s.setMeta.run(key, value);
    });
  }

  /**
   * Replaces everything known about each item's path, all items in one transaction. Returns the paths
   * whose reuse failed because the rows to reuse changed meanwhile: those were not written, and the
   * caller must process them again.
   */
  writeBatch(items: ReadonlyArray<BatchItem>): string[] {
    this.assertNotStreaming('writeBatch');
    // IMMEDIATE: take the write lock up front, so a second writer waits (busy_timeout) instead of
    // failing at once when its read transaction cannot be upgraded.
    return items.length > 0 ? this.batchTx.immediate(items) : [];
  }

  /** Deletes the paths and all their rows in one transaction; returns how many paths were known. */
  deleteFiles(paths: Iterable<string>): number {
    this.assertNotStreaming('deleteFiles');
    return this.deleteTx.immediate(paths);
  }

  /** Sets meta values, all in one transaction. */
  setMetas(values: Readonly<Record<string, string>>): void {
    this.assertNotStreaming('setMetas');
    this.metaTx.immediate(values);
  }

  /**
   * Opens a write transaction (BEGIN IMMEDIATE) for one huge file, deleting the path's old rows in it.
   * Until `commit` or `rollback`, every other write method of the store throws.
   */
  beginStreamedFile(file: FileRecord): StreamedFileWriter {
    this.assertNotStreaming('beginStreamedFile');
    this.db.exec('BEGIN IMMEDIATE');
    let fileId: number;
    let namesBefore: Set<string> | null;
    try {
      this.dropStatus();
      const old = this.s.fileId.get(file.path);
      namesBefore = old === undefined ? null : this.replacing(old);
      fileId = this.s.upsertFile.get(fileParams(file, { symbols: 0, refs: 0, chunks: 0 })) as number;
    } catch (error) {
      this.rollbackIfOpen();
      throw error;
    }
    this.streaming = true;
    const counts: RowCounts = { symbols: 0, refs: 0, chunks: 0 };
    const ensureOpen = (what: string): void => {
      if (!this.streaming) throw new GroveError('INTERNAL', `${what} on a streamed file that has ended.`);
    };
    return {
      add: (chunks, symbols = []) => {
        ensureOpen('add');
        insertSymbols(this.s, fileId, symbols);
        insertChunks(this.s, fileId, chunks);
        counts.symbols += symbols.length;
        counts.chunks += chunks.length;
      },
      ride: (items) => {
        ensureOpen('ride');
        return this.writeItems(items);
      },
      commit: (finalFile) => {
        ensureOpen('commit');
        if (finalFile.path !== file.path) {
          throw new GroveError('INTERNAL', `Streamed file ${file.path} committed as ${finalFile.path}.`);
        }
        try {
          this.s.upsertFile.get(fileParams(finalFile, counts));
          this.graph.fileWritten(fileId, namesBefore);
          this.db.exec('COMMIT');
        } catch (error) {
          this.rollbackIfOpen();
          this.streaming = false;
          throw error;
        }
        this.streaming = false;
      },
      rollback: () => {
        if (!this.streaming) return;
        this.streaming = false;
        this.rollbackIfOpen();
      },
    };
  }

  /** Writes the items' rows in the open transaction; returns the paths whose reuse failed. */
  private writeItems(items: ReadonlyArray<BatchItem>): string[] {
    const missed: string[] = [];
    // Full-text entries go in last, all together (see insertFtsRows).
    const ftsRows: FtsRow[] = [];
    for (const item of items) {
      if (item.reuse === undefined) this.writeFile(item.file, item.extraction, ftsRows);
      else if (!this.reuseRows(item.file, item.reuse, ftsRows)) missed.push(item.file.path);
    }
    insertFtsRows(this.s, ftsRows);
    return missed;
  }

  private writeFile(file: FileRecord, extraction: Extraction | null, ftsRows: FtsRow[]): void {
    const old = this.s.fileId.get(file.path);
    const namesBefore = old === undefined ? null : this.replacing(old);
    const counts: RowCounts = {
      symbols: extraction?.symbols.length ?? 0,
      refs: extraction?.refs.length ?? 0,
      chunks: extraction?.chunks.length ?? 0,
    };
    const fileId = this.s.upsertFile.get(fileParams(file, counts)) as number;
    this.graph.fileWritten(fileId, namesBefore);
    if (extraction === null) return;
    insertSymbols(this.s, fileId, extraction.symbols);
    insertRefs(this.s, fileId, extraction.refs);
    const { insertImport } = this.s;
    let seq = 0;
    for (const imp of extraction.imports) insertImport.run(fileId, seq++, imp.source, imp.line);
    insertChunks(this.s, fileId, extraction.chunks, ftsRows);
  }

  /** Writes `file` from rows already in the index; false when they are no longer there to reuse. */
  private reuseRows(file: FileRecord, reuse: FileReuse, ftsRows: FtsRow[]): boolean {
    if (reuse.kind === 'same') {
      const { size, mtimeMs, ino, dev, path, hash, extractor } = file;
      if (hash === null || !extractor) return false;
      return this.reuse.touch.run(size, mtimeMs, ino, dev, Date.now(), path, hash, extractor).changes > 0;
    }
    const source = reusableSource(this.reuse, reuse.fromPath, file.hash, file.extractor);
    if (!source) return false;
    const chunks = this.reuse.chunksOf.all(source.id);
    const old = this.s.fileId.get(file.path);
    const namesBefore = old === undefined ? null : this.replacing(old);
    const counts = { symbols: source.symbol_count, refs: source.ref_count, chunks: source.chunk_count };
    const fileId = this.s.upsertFile.get(fileParams(file, counts)) as number;
    this.reuse.copySymbols.run(fileId, source.id);
    this.reuse.copyRefs.run(fileId, source.id);
    this.reuse.copyImports.run(fileId, source.id);
    this.graph.fileWritten(fileId, namesBefore);
    insertChunks(
      this.s,
      fileId,
      chunks.map((c) => ({
        startLine: c.start_line,
        endLine: c.end_line,
        kind: c.kind,
        symbol: c.symbol,
        text: c.text,
      })),
      ftsRows,
    );
    return true;
  }

  /** Deletes the rows of a file about to be written again; returns the names it defined (see graph-store). */
  private replacing(fileId: number): Set<string> {
    const names = this.graph.fileRewriting(fileId);
    deleteFileRows(this.s, fileId);
    return names;
  }

  /** The cached status counts become stale with this transaction's writes (see `status.ts`). */
  private dropStatus(): void {
    this.s.dropStatus.run(STATUS_CACHE_KEY);
  }

  private rollbackIfOpen(): void {
    // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR); ROLLBACK would then fail.
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  private assertNotStreaming(what: string): void {
    if (this.streaming) {
      throw new GroveError('INTERNAL', `${what} called while a streamed file write is open.`);
    }
  }

  /** True while a streamed file's transaction is open. */
  get isStreaming(): boolean {
    return this.streaming;
  }
}
