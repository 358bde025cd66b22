import { describe, expect, it } from 'vitest';
import { ChangeBatcher, type TimerDeps } from '../../../src/watch/change-batcher.js';

/** A manual clock: timers fire only when the test advances time. */
function manualClock(): TimerDeps & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; handle: object }> = [];
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const handle = {};
      timers.push({ at: now + ms, callback, handle });
      return handle;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.handle !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
    pending: () => timers.length,
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ChangeBatcher', () => {
  it('debounces and coalesces a burst into one batch of distinct paths', async () => {
    const clock = manualClock();
    const batches: string[][] = [];
    const batcher = new ChangeBatcher(
      {
        debounceMs: 75,
        maxWaitMs: 1000,
        retryMs: 500,
        run: async (paths) => void batches.push(paths.sort()),
      },
      clock,
    );
    batcher.add(['a.c']);
    clock.advance(50);
    batcher.add(['b.c', 'a.c']);
    clock.advance(50);
    expect(batches).toEqual([]);
    expect(batcher.unindexed).toBe(2);
    clock.advance(25);
    await flush();
    expect(batches).toEqual([['a.c', 'b.c']]);
    expect(batcher.unindexed).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('starts a batch after maxWait even while changes keep coming', () => {
    const clock = manualClock();
    let runs = 0;
    const batcher = new ChangeBatcher(
      { debounceMs: 75, maxWaitMs: 200, retryMs: 500, run: async () => void runs++ },
      clock,
    );
    for (let t = 0; t < 250; t += 50) {
      batcher.add([`f${t}.c`]);
      clock.advance(50);
    }
    expect(runs).toBe(1);
  });

  it('holds changes made during a running batch for the next one, one batch at a time', async () => {
    const clock = manualClock();
    const gates = [deferred(), deferred()];
    const batches: string[][] = [];
    const batcher = new ChangeBatcher(
      {
        debounceMs: 10,
        maxWaitMs: 1000,
        retryMs: 500,
        run: (paths) => {
          batches.push(paths);
          return gates[batches.length - 1]!.promise;
        },
      },
      clock,
    );
    batcher.add(['one']);
    clock.advance(10);
    batcher.add(['two']);
    batcher.add(['three']);
    clock.advance(100);
    expect(batches).toEqual([['one']]);
    expect(batcher.unindexed).toBe(3);
    gates[0]!.resolve();
    await flush();
    clock.advance(10);
    expect(batches).toEqual([['one'], ['two', 'three']]);
    gates[1]!.resolve();
    await batcher.flush();
    expect(batcher.stats.batches).toBe(2);
  });

  it('puts the paths of a failed batch back and retries them after retryMs', async () => {
    const clock = manualClock();
    const errors: unknown[] = [];
    const batches: string[][] = [];
    const batcher = new ChangeBatcher(
      {
        debounceMs: 10,
        maxWaitMs: 1000,
        retryMs: 500,
        run: async (paths) => {
          batches.push(paths);
          if (batches.length === 1) throw new Error('locked');
        },
        onError: (error) => errors.push(error),
      },
      clock,
    );
    batcher.add(['x']);
    clock.advance(10);
    await flush();
    expect(errors).toHaveLength(1);
    expect(batcher.unindexed).toBe(1);
    clock.advance(499);
    expect(batches).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(batches).toEqual([['x'], ['x']]);
    expect(batcher.unindexed).toBe(0);
  });

  it('starts the batch of a change after a quiet period at once, and debounces the rest of its burst', async () => {
    const clock = manualClock();
    const batches: string[][] = [];
    const batcher = new ChangeBatcher(
      {
        debounceMs: 75,
        leadingAfterQuietMs: 75,
        maxWaitMs: 1000,
        retryMs: 500,
        run: async (paths) => void batches.push(paths.sort()),
      },
      clock,
    );
    batcher.add(['lone.c']);
    batcher.add(['lone.h']);
    clock.advance(0);
    await flush();
    expect(batches).toEqual([['lone.c', 'lone.h']]);
    // The rest of the burst, as the watcher reports it 50 ms later: debounced, one batch.
    clock.advance(50);
    batcher.add(['b.c', 'c.c']);
    clock.advance(50);
    batcher.add(['d.c']);
    clock.advance(74);
    await flush();
    expect(batches).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(batches).toEqual([
      ['lone.c', 'lone.h'],
      ['b.c', 'c.c', 'd.c'],
    ]);
    // Quiet again for as long as leadingAfterQuietMs: the next lone edit goes at once.
    clock.advance(75);
    batcher.add(['later.c']);
    clock.advance(0);
    await flush();
    expect(batches).toHaveLength(3);
  });

  it('drops pending changes on close and ignores later ones', async () => {
    const clock = manualClock();
    let runs = 0;
    const batcher = new ChangeBatcher(
      { debounceMs: 10, maxWaitMs: 1000, retryMs: 500, run: async () => void runs++ },
      clock,
    );
    batcher.add(['x']);
    await batcher.close();
    batcher.add(['y']);
    clock.advance(1000);
    expect(runs).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
