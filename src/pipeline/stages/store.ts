/**
 * The store stage: the only writer. Small files are committed in batched transactions (a file's rows and
 * its state together); a big text file is streamed into its own transaction, piece by piece, so a 1 GiB
 * file never sits in memory, and the files ready meanwhile ride in that transaction (riders.ts). Byte
 * leases are released after the commit that made the rows durable, or for a rider once its rows are in.
 */
import { createHash } from 'node:crypto';
import { GroveError, toGroveError } from '../../errors.js';
import type { FileRecord } from '../../model.js';
import { LineChunker } from '../../parse/line-chunker.js';
import { createTextSymbolScanner } from '../../parse/text-symbols.js';
import type { Store } from '../../store/store.js';
import type { BoundedQueue } from '../bounded-queue.js';
import type { MemoryBudget } from '../memory-budget.js';
import { type FileItem, isFileItem, type StoreItem } from '../process-file.js';
import { chunkSizeFor, streamText } from './read.js';
import { Riders } from './riders.js';

export interface StoreStageDeps {
  store: Store;
  budget: MemoryBudget;
  batchFiles: number;
  signal: AbortSignal;
  /** Called once per file after its commit. */
  onStored: (file: FileRecord) => void;
  /** Called once per file found unchanged (nothing written). */
  onUnchanged: (path: string, size: number) => void;
  /**
   * Called for a file whose rows were not committed: its reuse failed (the rows to reuse changed
   * meanwhile), or it rode in a streamed file's transaction that rolled back. It must be redone.
   */
  onRedo: (path: string) => void;
}

/** A batch waiting this long for more files is committed anyway: keeps latency and held leases low. */
const IDLE_FLUSH_MS = 100;
/**
 * While a batch is written the main thread cannot answer or feed the parse workers, which then live on
 * the tasks posted ahead to them (16 files, ~50 ms of kernel C, see pool-slots.ts). Batches are sized from the
 * measured write time per file so that one takes about this long.
 */
const FLUSH_TARGET_MS = 40;
/** Fewer files per transaction cost more in commits than the workers gain. */
const MIN_BATCH_FILES = 8;
/** Attempts at streaming a file that keeps changing before it is recorded as failed. */
const MAX_STREAM_ATTEMPTS = 3;
const IDLE = Symbol('idle');

export async function runStoreStage(items: BoundedQueue<StoreItem>, deps: StoreStageDeps): Promise<void> {
  const batch: FileItem[] = [];
  let batchBytes = 0;
  let batchFiles = MIN_BATCH_FILES;
  const flush = (): void => {
    if (batch.length === 0) return;
    const started = performance.now();
    const missed = new Set(deps.store.writeBatch(batch));
    const msPerFile = (performance.now() - started) / batch.length;
    batchFiles = Math.min(
      deps.batchFiles,
      Math.max(MIN_BATCH_FILES, Math.floor(FLUSH_TARGET_MS / msPerFile)),
    );
    for (const item of batch) {
      if (item.lease) deps.budget.release(item.lease);
      if (missed.has(item.file.path)) deps.onRedo(item.file.path);
      else deps.onStored(item.file);
    }
    batch.length = 0;
    batchBytes = 0;
  };
  const iterator = items[Symbol.asyncIterator]();
  const pull = () => {
    const pulled = iterator.next();
    // A failed write leaves the loop with a pull pending, which the failed queue then rejects: that
    // rejection is the failure already being reported, not an unhandled one that would end the process.
    pulled.catch(() => {});
    return pulled;
  };
  let next = pull();
  try {
    for (;;) {
      const result = batch.length > 0 ? await orIdle(next) : await next;
      if (result === IDLE) {
        flush();
        continue;
      }
      if (result.done) break;
      next = pull();
      const item = result.value;
      if (item.kind === 'unchanged') {
        deps.onUnchanged(item.path, item.size);
        continue;
      }
      if (item.kind === 'stream') {
        flush();
        try {
          deps.onStored(await storeStreamed(item, deps, () => items.takeWhere(isFileItem)));
        } finally {
          deps.budget.release(item.lease);
        }
        continue;
      }
      batch.push(item);
      batchBytes += item.lease?.bytes ?? 0;
      // Half the byte budget at most: the other half keeps readers and workers busy meanwhile.
      if (batch.length >= batchFiles || batchBytes >= deps.budget.effectiveCapacity / 2) flush();
    }
  } finally {
    // Whatever was completed is committed, also when the run is aborted: finished work is never thrown away.
    flush();
  }
}

function orIdle<T>(next: Promise<T>): Promise<T | typeof IDLE> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => {
    timer = setTimeout(() => resolve(IDLE), IDLE_FLUSH_MS);
  });
  return Promise.race([next, idle]).finally(() => clearTimeout(timer));
}

async function storeStreamed(
  item: Extract<StoreItem, { kind: 'stream' }>,
  deps: StoreStageDeps,
  takeReady: () => FileItem[],
): Promise<FileRecord> {
  for (let attempt = 1; ; attempt++) {
    const riders = new Riders(takeReady, deps.budget);
    try {
      return await streamOnce(item, deps, riders);
    } catch (error) {
      // A rider that cannot be written fails the run, as a batch that cannot be written does.
      if (deps.signal.aborted || riders.failed) throw error;
      const grove = toGroveError(error, { path: item.file.path });
      if (grove.code === 'FILE_CHANGED_DURING_READ' && attempt < MAX_STREAM_ATTEMPTS) continue;
      if (grove.code === 'DISK_FULL' || grove.code === 'INDEX_CORRUPT') throw grove;
      const failed: FileRecord = {
        ...item.file,
        state: 'failed',
        reason: grove.code.toLowerCase(),
        error: grove.toJSON(),
      };
      deps.store.writeBatch([{ file: failed, extraction: null }]);
      return failed;
    }
  }
}

async function streamOnce(
  item: Extract<StoreItem, { kind: 'stream' }>,
  deps: StoreStageDeps,
  riders: Riders,
): Promise<FileRecord> {
  const { entry, classification } = item;
  const { budget } = deps;
  const writer = deps.store.beginStreamedFile(item.file);
  try {
    // The hash is over the decoded text: the raw bytes are never all in memory at once.
    const hash = createHash('sha256');
    const chunker = new LineChunker();
    const scanner = createTextSymbolScanner(classification.language);
    const pieces = streamText(entry, {
      encoding: classification.encoding,
      bomBytes: classification.bomBytes,
      chunkSize: () => chunkSizeFor(entry.size, budget.pressure),
      signal: deps.signal,
    });
    for await (const piece of pieces) {
      hash.update(piece);
      writer.add(chunker.push(piece), scanner.push(piece));
      riders.board(writer);
    }
    writer.add(chunker.end(), scanner.end());
    const done: FileRecord = { ...item.file, hash: hash.digest('hex') };
    writer.commit(done);
    riders.committed(deps.onStored, deps.onRedo);
    return done;
  } catch (error) {
    writer.rollback();
    riders.rolledBack(deps.onRedo);
    throw error instanceof GroveError ? error : toGroveError(error, { path: entry.path });
  }
}
