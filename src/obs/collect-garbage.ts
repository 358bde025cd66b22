/**
 * A full garbage collection, when Node runs with --expose-gc (the grove binary does): V8 keeps the old
 * generation's dead space after a burst of allocation, and under a hard memory budget the next phase
 * must not start on top of it. Returns whether a collection ran.
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}
