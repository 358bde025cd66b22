import { afterEach, describe, expect, it } from 'vitest';
import type { WalkEntry } from '../../../src/model.js';
import { changedEntries } from '../../../src/pipeline/changed-entries.js';
import { MemoryBudget } from '../../../src/pipeline/memory-budget.js';
import { ProgressTracker } from '../../../src/pipeline/progress-tracker.js';
import type { KnownStat } from '../../../src/store/known-files.js';

const budgets: MemoryBudget[] = [];
afterEach(() => {
  for (const budget of budgets.splice(0)) budget.close();
});

function tracker(): ProgressTracker {
  const budget = new MemoryBudget({ maxBytes: 1 << 30, inFlightBytes: 1 << 20 });
  budgets.push(budget);
  return new ProgressTracker(budget);
}

function entry(path: string): WalkEntry {
  return { path, absPath: `/r/${path}`, size: 10, mtimeMs: 5, ino: 1, dev: 2 };
}

function row(path: string): KnownStat {
  const extractor = 'text+t2';
  return {
    path,
    size: 10,
    mtimeMs: 5,
    ino: 1,
    dev: 2,
    state: 'skipped',
    reason: 'binary',
    language: null,
    extractor,
  };
}

/** A walk of `count` batches of two entries; `pulled` counts the batches it has handed over. */
function batchedWalk(count: number) {
  const state = { pulled: 0, returned: false };
  async function* batches() {
    try {
      for (let i = 0; i < count; i++) {
        state.pulled++;
        yield [entry(`d${i}/a.c`), entry(`d${i}/b.c`)];
      }
    } finally {
      state.returned = true;
    }
  }
  return { state, batches: batches() };
}

describe('changedEntries', () => {
  it('drops unchanged entries and yields the rest in walk order', async () => {
    const { batches } = batchedWalk(3);
    const known = (path: string) => (path.endsWith('a.c') ? row(path) : undefined);
    const progress = tracker();
    const out: string[] = [];
    for await (const item of changedEntries(batches, known, progress, [])) out.push(item.path);
    expect(out).toEqual(['d0/b.c', 'd1/b.c', 'd2/b.c']);
    expect(progress.filesFound).toBe(6);
    expect(progress.filesUnchanged).toBe(3);
    expect(progress.walkDone).toBe(true);
  });

  it('stops the walk when its consumer stops early', async () => {
    const { state, batches } = batchedWalk(5);
    for await (const _ of changedEntries(batches, () => undefined, tracker(), [])) break;
    expect(state.returned).toBe(true);
    expect(state.pulled).toBe(1);
  });

  it('counts walk problems recorded with the same verdict as unchanged', async () => {
    async function* batches() {
      yield [{ path: 'loop', state: 'skipped' as const, reason: 'symlink-loop' }, entry('x.c')];
    }
    const known = (path: string) => (path === 'loop' ? { ...row(path), reason: 'symlink-loop' } : undefined);
    const progress = tracker();
    const out: string[] = [];
    for await (const item of changedEntries(batches(), known, progress, [])) out.push(item.path);
    expect(out).toEqual(['x.c']);
    expect(progress.filesUnchanged).toBe(1);
  });
});
