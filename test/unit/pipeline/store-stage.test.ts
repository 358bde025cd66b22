/**
 * The store stage with a real store and a real file streamed from disk: files that are ready while a big
 * text file streams are written in its transaction (riders), so they are stored before it, not after.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import type { FileRecord } from '../../../src/model.js';
import { BoundedQueue } from '../../../src/pipeline/bounded-queue.js';
import { MemoryBudget } from '../../../src/pipeline/memory-budget.js';
import type { StoreItem } from '../../../src/pipeline/process-file.js';
import { runStoreStage } from '../../../src/pipeline/stages/store.js';
import { fileRecord, functionsExtraction, useTempStore } from '../store/store-fixtures.js';

const budgets: MemoryBudget[] = [];
afterEach(() => {
  for (const budget of budgets.splice(0)) budget.close();
});

describe('the store stage', () => {
  const ctx = useTempStore();

  /** A ~1 MiB text file on disk, read in several pieces, as the store stage's stream item. */
  async function streamItem(budget: MemoryBudget): Promise<StoreItem> {
    const absPath = join(ctx.tmp.dir, 'big.log');
    writeFileSync(absPath, 'streamed_line with some words\n'.repeat(36_000));
    const { size, mtimeMs, ino, dev } = statSync(absPath);
    return {
      kind: 'stream',
      file: fileRecord('big.log', { state: 'text-only', reason: 'too-large', size, language: null }),
      entry: { path: 'big.log', absPath, size, mtimeMs, ino, dev },
      classification: {
        strategy: 'text',
        language: null,
        reason: 'too-large',
        encoding: 'utf-8',
        bomBytes: 0,
      },
      lease: await budget.acquire(1 << 20),
    };
  }

  function deps(budget: MemoryBudget, stored: string[], redo: string[]) {
    return {
      store: ctx.store,
      budget,
      batchFiles: 64,
      signal: new AbortController().signal,
      onStored: (file: FileRecord) => stored.push(file.path),
      onUnchanged: () => {},
      onRedo: (path: string) => redo.push(path),
    };
  }

  function newBudget(): MemoryBudget {
    const budget = new MemoryBudget({ maxBytes: 1 << 30, inFlightBytes: 4 << 20 });
    budgets.push(budget);
    return budget;
  }

  it('writes the files ready while a big file streams into its transaction', async () => {
    const budget = newBudget();
    const queue = new BoundedQueue<StoreItem>(16);
    await queue.push(await streamItem(budget));
    const small = ['a.ts', 'b.ts', 'c.ts'];
    for (const path of small) {
      const name = `${path[0]}Function`;
      await queue.push({
        kind: 'file',
        file: fileRecord(path),
        extraction: functionsExtraction([name]),
        lease: null,
      });
    }
    queue.close();
    const stored: string[] = [];
    const redo: string[] = [];
    await runStoreStage(queue, deps(budget, stored, redo));

    // a.ts was already taken by the stage's next read of the queue; b.ts and c.ts rode.
    expect(stored).toEqual(['b.ts', 'c.ts', 'big.log', 'a.ts']);
    expect(redo).toEqual([]);
    expect(budget.inFlightBytes).toBe(0);
    const status = ctx.store.status();
    expect(status.files).toMatchObject({ indexed: 3, textOnly: 1 });
    expect(ctx.store.search('cFunction')[0]?.path).toBe('c.ts');
    expect(ctx.store.search('streamed_line')[0]?.path).toBe('big.log');
  });

  it('fails the run when a rider cannot be written, without recording the streamed file as failed', async () => {
    const budget = newBudget();
    const queue = new BoundedQueue<StoreItem>(16);
    await queue.push(await streamItem(budget));
    const broken = functionsExtraction(['fine']);
    // A symbol without a name breaks the table's NOT NULL rule: the rider's rows cannot be written.
    (broken.symbols[0] as { name: string | null }).name = null;
    await queue.push({ kind: 'file', file: fileRecord('a.ts'), extraction: null, lease: null });
    await queue.push({ kind: 'file', file: fileRecord('b.ts'), extraction: broken, lease: null });
    queue.close();
    const stored: string[] = [];
    await expect(runStoreStage(queue, deps(budget, stored, []))).rejects.toBeInstanceOf(GroveError);

    expect(stored).not.toContain('big.log');
    expect([...ctx.store.files()].map((file) => file.path)).not.toContain('big.log');
  });
});
