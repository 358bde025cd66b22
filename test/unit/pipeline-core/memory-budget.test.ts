import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../src/pipeline/memory-budget.js';

const budgets: MemoryBudget[] = [];
function budget(inFlightBytes: number, rss: { value: number }, trims: { count: number } = { count: 0 }) {
  const created = new MemoryBudget({
    maxBytes: 1000,
    inFlightBytes,
    sampleIntervalMs: 60_000,
    readRss: () => rss.value,
    trimNativeHeap: () => {
      trims.count++;
      return true;
    },
  });
  budgets.push(created);
  return created;
}

afterEach(() => {
  for (const created of budgets.splice(0)) created.close();
});

describe('MemoryBudget', () => {
  it('grants up to capacity and queues the rest until released', async () => {
    const b = budget(100, { value: 0 });
    const first = await b.acquire(60);
    let secondGranted = false;
    const second = b.acquire(60).then((lease) => {
      secondGranted = true;
      return lease;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondGranted).toBe(false);
    expect(b.inFlightBytes).toBe(60);
    b.release(first);
    const lease = await second;
    expect(b.inFlightBytes).toBe(60);
    b.release(lease);
    expect(b.inFlightBytes).toBe(0);
  });

  it('shrinks a lease, giving the difference to waiting requests', async () => {
    const b = budget(100, { value: 0 });
    const parsing = await b.acquire(80);
    const waiting = b.acquire(50);
    const parsed = b.shrink(parsing, 30);
    expect(parsed.bytes).toBe(30);
    const granted = await waiting;
    expect(b.inFlightBytes).toBe(80);
    // A shrink to more than the lease holds keeps the lease as it is.
    expect(b.shrink(granted, 70)).toBe(granted);
    b.release(parsed);
    b.release(granted);
    expect(b.inFlightBytes).toBe(0);
  });

  it('grants a request larger than the capacity when nothing else is in flight', async () => {
    const b = budget(100, { value: 0 });
    const huge = await b.acquire(5000);
    expect(huge.bytes).toBe(5000);
    b.release(huge);
  });

  it('is FIFO: a big waiter is not starved by small ones behind it', async () => {
    const b = budget(100, { value: 0 });
    const held = await b.acquire(50);
    const order: string[] = [];
    const big = b.acquire(100).then((lease) => {
      order.push('big');
      return lease;
    });
    const small = b.acquire(10).then((lease) => {
      order.push('small');
      return lease;
    });
    b.release(held);
    b.release(await big);
    b.release(await small);
    expect(order).toEqual(['big', 'small']);
  });

  it('derives pressure levels from RSS, shrinks the effective capacity and trims at most once a second', () => {
    const rss = { value: 100 };
    const trims = { count: 0 };
    const b = budget(400, rss, trims);
    const levels: string[] = [];
    b.onPressure((level) => levels.push(level));
    expect(b.pressure).toBe('normal');
    expect(b.effectiveCapacity).toBe(400);
    rss.value = 750;
    expect(b.sample()).toBe('high');
    expect(b.effectiveCapacity).toBe(200);
    // Under pressure malloc's free pages go back to the system, once per second at most.
    expect(trims.count).toBe(1);
    rss.value = 900;
    expect(b.sample()).toBe('critical');
    expect(b.effectiveCapacity).toBe(100);
    expect(trims.count).toBe(1);
    rss.value = 10;
    b.sample();
    expect(levels).toEqual(['high', 'critical', 'normal']);
    expect(b.peakSampledRss).toBe(900);
  });

  it('leaves a level only once RSS falls clearly below where it was entered (no flapping)', () => {
    const rss = { value: 100 };
    const b = budget(400, rss);
    const readings: Array<[number, string]> = [
      [810, 'critical'],
      [790, 'critical'],
      [760, 'critical'],
      [810, 'critical'],
      [740, 'high'],
      [790, 'high'],
      [610, 'high'],
      [590, 'normal'],
      [640, 'normal'],
      [660, 'high'],
      [800, 'critical'],
    ];
    for (const [value, level] of readings) {
      rss.value = value;
      expect(b.sample(), `at RSS ${value}`).toBe(level);
    }
    expect(b.pressureChanges).toBe(5);
  });

  it('rejects a waiting acquire when its signal aborts', async () => {
    const b = budget(10, { value: 0 });
    const held = await b.acquire(10);
    const controller = new AbortController();
    const waiting = b.acquire(5, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    b.release(held);
    expect(b.inFlightBytes).toBe(0);
  });
});

describe('MemoryBudget and AbortSignal listeners', () => {
  it('removes its abort listener once a wait ends, however many waits share one signal', async () => {
    const b = budget(10, { value: 0 });
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      return add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      return remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 50; i++) {
      const held = await b.acquire(10, controller.signal);
      const waiting = b.acquire(10, controller.signal);
      b.release(held);
      b.release(await waiting);
    }
    expect(added).toBe(50);
    expect(removed).toBe(50);
  });
});
