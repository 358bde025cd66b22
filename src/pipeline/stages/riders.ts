/**
 * Files that ride in a streamed file's transaction. While one big text file streams into its own
 * transaction (see the store stage), nothing else could be written, so the parse workers' results
 * piled up until the memory budget stopped the workers: on the kernel, ~25 s of the run with one core
 * idle while the generated register headers streamed. Riders are the files ready in the meantime,
 * written into that open transaction between its pieces. They commit with it; if it rolls back, so do
 * they, and they are processed again.
 *
 * A rider's byte lease is released once its rows are written, before the commit: its content is no
 * longer held in memory (SQLite's page cache is bounded and spills to the WAL), and holding the leases
 * until the commit would stop the workers just as before.
 */
import type { FileRecord } from '../../model.js';
import type { StreamedFileWriter } from '../../store/index-writer.js';
import type { MemoryBudget } from '../memory-budget.js';
import type { FileItem } from '../process-file.js';

export class Riders {
  readonly #boarded: FileRecord[] = [];
  readonly #missed = new Set<string>();
  readonly #take: () => FileItem[];
  readonly #budget: MemoryBudget;
  /** A rider's rows failed to write: a write failure of the run, not of the streamed file. */
  failed = false;

  /** `take` returns the files ready to be written now, without waiting. */
  constructor(take: () => FileItem[], budget: MemoryBudget) {
    this.#take = take;
    this.#budget = budget;
  }

  /** Writes the files ready now into `writer`'s open transaction. */
  board(writer: Pick<StreamedFileWriter, 'ride'>): void {
    const ready = this.#take();
    if (ready.length === 0) return;
    try {
      for (const path of writer.ride(ready)) this.#missed.add(path);
    } catch (error) {
      this.failed = true;
      throw error;
    } finally {
      // Also when the write failed: the transaction rolls back and every rider is processed again.
      for (const item of ready) {
        if (item.lease) this.#budget.release(item.lease);
        this.#boarded.push(item.file);
      }
    }
  }

  /** After the commit: each rider is stored, or (its reuse failed, nothing written) must be redone. */
  committed(onStored: (file: FileRecord) => void, onRedo: (path: string) => void): void {
    for (const file of this.#boarded.splice(0)) {
      if (this.#missed.has(file.path)) onRedo(file.path);
      else onStored(file);
    }
  }

  /** After a rollback: nothing of the riders was kept, so every one must be redone. */
  rolledBack(onRedo: (path: string) => void): void {
    for (const file of this.#boarded.splice(0)) onRedo(file.path);
  }
}
