/**
 * Files riding in a streamed file's transaction (stages/riders.ts): taken from the store stage's queue
 * without waiting, written into the open transaction, their leases released at once; they commit with
 * the streamed file, or roll back with it and are handed back to be processed again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../../src/model.js';
import { BoundedQueue } from '../../../src/pipeline/bounded-queue.js';
import { MemoryBudget } from '../../../src/pipeline/memory-budget.js';
import { type FileItem, isFileItem, type StoreItem } from '../../../src/pipeline/process-file.js';
import { Riders } from '../../../src/pipeline/stages/riders.js';
import { chunk, fileRecord, functionsExtraction, useTempStore } from '../store/store-fixtures.js';

const budgets: MemoryBudget[] = [];
afterEach(() => {
  for (const budget of budgets.splice(0)) budget.close();
});

function budget(): MemoryBudget {
  const made = new MemoryBudget({ maxBytes: 1 << 30, inFlightBytes: 1 << 20 });
  budgets.push(made);
  return made;
}

/** A parsed file holding its lease, as the parse stage hands it to the store stage. */
async function parsedFile(budget: MemoryBudget, path: string, name: string): Promise<FileItem> {
  const lease = await budget.acquire(1_000);
  return { kind: 'file', file: fileRecord(path), extraction: functionsExtraction([name]), lease };
}

function outcomes() {
  const stored: string[] = [];
  const redo: string[] = [];
  return {
    stored,
    redo,
    onStored: (file: FileRecord) => stored.push(file.path),
    onRedo: (path: string) => redo.push(path),
  };
}

describe('a bounded queue taken from without waiting', () => {
  it('gives the matching items oldest first and keeps the others in order', async () => {
    const queue = new BoundedQueue<StoreItem>(8);
    const items: StoreItem[] = [
      { kind: 'unchanged', path: 'u1', size: 1 },
      { kind: 'file', file: fileRecord('a.ts'), extraction: null, lease: null },
      { kind: 'unchanged', path: 'u2', size: 1 },
      { kind: 'file', file: fileRecord('b.ts'), extraction: null, lease: null },
    ];
    for (const item of items) await queue.push(item);
    expect(queue.takeWhere(isFileItem).map((item) => item.file.path)).toEqual(['a.ts', 'b.ts']);
    expect(queue.takeWhere(isFileItem)).toEqual([]);
    queue.close();
    const left: string[] = [];
    for await (const item of queue) if (item.kind === 'unchanged') left.push(item.path);
    expect(left).toEqual(['u1', 'u2']);
  });

  it('makes room for a producer waiting on a full queue', async () => {
    const queue = new BoundedQueue<StoreItem>(1);
    await queue.push({ kind: 'file', file: fileRecord('a.ts'), extraction: null, lease: null });
    let pushed = false;
    const waiting = queue.push({ kind: 'unchanged', path: 'u', size: 1 }).then(() => {
      pushed = true;
    });
    await Promise.resolve();
    expect(pushed).toBe(false);
    expect(queue.takeWhere(isFileItem)).toHaveLength(1);
    await waiting;
    expect(pushed).toBe(true);
  });
});

describe('riders of a streamed file', () => {
  const ctx = useTempStore();

  it('commit with the streamed file, their leases released as soon as their rows are in', async () => {
    const memory = budget();
    const ready = [
      await parsedFile(memory, 'a.ts', 'riderAlpha'),
      await parsedFile(memory, 'b.ts', 'riderBeta'),
    ];
    const riders = new Riders(() => ready.splice(0), memory);
    const writer = ctx.store.beginStreamedFile(fileRecord('big.log', { state: 'text-only' }));
    writer.add([chunk('streamed window one', 1)]);
    riders.board(writer);
    expect(memory.inFlightBytes).toBe(0);
    riders.board(writer); // nothing ready: nothing written
    writer.add([chunk('streamed window two', 2)]);
    writer.commit(fileRecord('big.log', { state: 'text-only' }));
    const seen = outcomes();
    riders.committed(seen.onStored, seen.onRedo);

    expect(seen).toMatchObject({ stored: ['a.ts', 'b.ts'], redo: [] });
    expect(ctx.store.search('riderBeta')[0]?.path).toBe('b.ts');
    expect(ctx.store.status().files.indexed).toBe(2);
    expect(ctx.store.status().files.textOnly).toBe(1);
  });

  it('roll back with the streamed file and are all handed back to be processed again', async () => {
    ctx.store.writeBatch([{ file: fileRecord('a.ts'), extraction: functionsExtraction(['oldAlpha']) }]);
    const memory = budget();
    const ready = [await parsedFile(memory, 'a.ts', 'newAlpha'), await parsedFile(memory, 'b.ts', 'newBeta')];
    const riders = new Riders(() => ready.splice(0), memory);
    const writer = ctx.store.beginStreamedFile(fileRecord('big.log', { state: 'text-only' }));
    riders.board(writer);
    writer.rollback();
    const seen = outcomes();
    riders.rolledBack(seen.onRedo);

    expect(seen).toMatchObject({ stored: [], redo: ['a.ts', 'b.ts'] });
    expect(memory.inFlightBytes).toBe(0);
    // The path that rode keeps what it had before; the new one is not there.
    expect(ctx.store.search('oldAlpha')[0]?.path).toBe('a.ts');
    expect(ctx.store.search('newBeta')).toEqual([]);
  });

  it('hand back a rider whose rows to reuse are gone, and store the others', async () => {
    const memory = budget();
    const gone: FileItem = {
      kind: 'file',
      file: fileRecord('copy.ts', { hash: 'no-such-content', extractor: 'x' }),
      extraction: null,
      lease: null,
      reuse: { kind: 'copy', fromPath: 'deleted.ts' },
    };
    const ready = [gone, await parsedFile(memory, 'b.ts', 'keptBeta')];
    const riders = new Riders(() => ready.splice(0), memory);
    const writer = ctx.store.beginStreamedFile(fileRecord('big.log', { state: 'text-only' }));
    riders.board(writer);
    writer.commit(fileRecord('big.log', { state: 'text-only' }));
    const seen = outcomes();
    riders.committed(seen.onStored, seen.onRedo);

    expect(seen).toMatchObject({ stored: ['b.ts'], redo: ['copy.ts'] });
  });
});
