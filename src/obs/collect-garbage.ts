/**
 * A full garbage collection on demand: V8 keeps the old generation's dead space after a burst of
 * allocation, and under a hard memory budget the next phase must not start on top of it.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFunction: (() => void) | null | undefined;

/**
 * V8's `gc()`, whether or not Node was started with --expose-gc: the grove binary passes the flag, but a
 * library host or `node bin/grove.js` does not, and without collections the budget's responses to
 * pressure do nothing (a kernel run launched that way peaked at 308 MiB under a 256M budget). Turning the
 * flag on at runtime makes V8 install `gc` in contexts created afterwards; one is created to take it, and
 * the flag is turned off again so the host's later contexts stay as they were.
 */
function resolveGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const taken: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    return typeof taken === 'function' ? (taken as () => void) : null;
  } catch {
    return null;
  }
}

/** Runs a full collection; returns whether one ran. */
export function collectGarbage(): boolean {
  if (gcFunction === undefined) gcFunction = resolveGc();
  if (!gcFunction) return false;
  gcFunction();
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
