/**
 * A full garbage collection, when Node runs with --expose-gc (the grove binary does): V8 keeps the old
 * generation's dead space after a burst of allocation, and under a hard memory budget the next phase
 * must not start on top of it. Returns whether a collection ran.
 */
import { getHeapStatistics } from 'node:v8';

export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}

/**
 * Keeps a long synchronous loop's heap near what it really holds: V8 lets the old generation fill with
 * garbage up to a limit derived from the machine's memory, not from grove's budget, so a loop that
 * allocates per item collects whenever the heap grew `slackBytes` beyond what survived the last
 * collection. `check()` is cheap (one heap statistics call); call it every few hundred items.
 */
export function createHeapGuard(slackBytes: number): { check(): void } {
  let ceiling = usedHeap() + slackBytes;
  return {
    check() {
      if (usedHeap() <= ceiling) return;
      if (collectGarbage()) ceiling = usedHeap() + slackBytes;
      else ceiling = Number.POSITIVE_INFINITY;
    },
  };
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}
