import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/server/work-queue.js';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

describe('WorkQueue', () => {
  it('runs at most `concurrency` jobs at once, in order', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueued: 10 });
    const first = gate();
    const order: string[] = [];
    const a = queue.run(async () => {
      order.push('a start');
      await first.opened;
      order.push('a end');
      return 'a';
    });
    const b = queue.run(async () => {
      order.push('b');
      return 'b';
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a start']);
    expect(queue.running).toBe(1);
    expect(queue.queued).toBe(1);
    first.open();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('refuses with DAEMON_BUSY when the queue is full, and a failing job does not block the next', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueued: 1 });
    const hold = gate();
    const running = queue.run(() => hold.opened.then(() => Promise.reject(new Error('boom'))));
    const waiting = queue.run(async () => 'ran');
    expect(() => queue.run(async () => 'too many')).toThrow(expect.objectContaining({ code: 'DAEMON_BUSY' }));
    hold.open();
    await expect(running).rejects.toThrow('boom');
    expect(await waiting).toBe('ran');
  });

  it('drains: running jobs finish, waiting ones are refused, new ones too', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueued: 5 });
    const hold = gate();
    const running = queue.run(() => hold.opened.then(() => 'done'));
    const waiting = queue.run(async () => 'never');
    const drained = queue.drain();
    await expect(waiting).rejects.toMatchObject({ code: 'DAEMON_BUSY' });
    expect(() => queue.run(async () => 'late')).toThrow(expect.objectContaining({ code: 'DAEMON_BUSY' }));
    hold.open();
    await drained;
    expect(await running).toBe('done');
  });
});
