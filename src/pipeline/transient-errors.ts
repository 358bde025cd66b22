/**
 * Errors that pass by themselves (another process closes files, a lock is released, a device stops being
 * busy) and the backoff grove retries them with. Anything else is permanent and recorded at once.
 */

/** Errno codes worth another try: too many open files (process or system), try again, busy. */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY']);
/** Three tries in all: short enough not to stall a run, long enough for a burst of open files to close. */
export const RETRY_DELAYS_MS: readonly number[] = [20, 100];

export function isTransient(error: unknown): boolean {
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  return errno !== undefined && TRANSIENT.has(errno);
}

/**
 * Runs a synchronous file-system call, retrying transient errors after the same delays, blocking: for
 * callers that are synchronous by design (the walk), where an error is rare and a wait of 0.1 s is cheaper
 * than a directory wrongly recorded as unreadable (and its files dropped from the index).
 */
export function retryTransientSync<T>(call: () => T): T {
  for (let tries = 0; ; tries++) {
    try {
      return call();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[tries];
      if (delay === undefined || !isTransient(error)) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
    }
  }
}
