import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../src/pipeline/bounded-queue.js';

describe('BoundedQueue', () => {
  it('delivers items in order and ends after close', async () => {
    const queue = new BoundedQueue<number>(2);
    const produced = (async () => {
      for (let i = 0; i < 10; i++) await queue.push(i);
      queue.close();
    })();
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    await produced;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('blocks the producer while full (backpressure, nothing dropped)', async () => {
    const queue = new BoundedQueue<string>(1);
    await queue.push('a');
    let secondDone = false;
    const second = queue.push('b').then(() => {
      secondDone = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(false);
    expect(queue.size).toBe(1);
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe('a');
    await second;
    expect(secondDone).toBe(true);
    expect((await iterator.next()).value).toBe('b');
  });

  it('makes the consumer throw after fail()', async () => {
    const queue = new BoundedQueue<number>(4);
    await queue.push(1);
    queue.fail(new Error('boom'));
    const iterator = queue[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow('boom');
  });

  it('gives producers the failure after fail(), waiting or not, so the cause is what gets reported', async () => {
    const queue = new BoundedQueue<number>(1);
    await queue.push(1);
    const waiting = queue.push(2);
    const cause = new Error('index corrupt');
    queue.fail(cause);
    await expect(waiting).rejects.toBe(cause);
    await expect(queue.push(3)).rejects.toBe(cause);
    const closed = new BoundedQueue<number>(1);
    closed.close();
    await expect(closed.push(1)).rejects.toThrow('push on a closed queue');
  });

  it('releases a producer waiting on a full queue once the consumer abandons it, and drops later items', async () => {
    const queue = new BoundedQueue<number>(2);
    await queue.push(1);
    await queue.push(2);
    let released = false;
    const waiting = queue.push(3).then(() => {
      released = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    queue.abandon();
    await waiting;
    await queue.push(4);
    expect(queue.size).toBe(0);
  });

  it('rejects a capacity below one', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
