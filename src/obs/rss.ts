/**
 * Process memory readings. Worker threads share the process, so the process's RSS is the whole tree's
 * (grove never spawns child processes while indexing). The kernel's own high-water mark (VmHWM) is the
 * honest peak: sampling can miss a spike, the kernel cannot.
 */
import { readFileSync } from 'node:fs';

let lastRss = 0;

/**
 * Current resident set size in bytes (cheap: Node reads /proc/self/stat). Reading it needs a file
 * descriptor: when none is left (EMFILE) the last reading is returned instead of failing a timer callback
 * (which would end the process).
 */
export function currentRss(): number {
  try {
    lastRss = process.memoryUsage.rss();
  } catch {
    // Keep the last reading; the next sample will succeed once descriptors are free again.
  }
  return lastRss;
}

/** Peak resident set size of this process so far, in bytes, from /proc; falls back to current RSS. */
export function peakRss(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: no /proc. The sampled maximum kept by callers is the best we have.
  }
  return currentRss();
}

const TRACE_MEMORY = process.env.GROVE_TRACE_MEMORY === '1';

/**
 * `GROVE_TRACE_MEMORY=1`: one stderr line with RSS, peak and heap at a named point of a phase (the
 * link's steps, each new RSS peak of a run), to find what a memory budget must cover.
 */
export function traceMemory(label: string, detail = ''): void {
  if (!TRACE_MEMORY) return;
  try {
    const heap = process.memoryUsage();
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    process.stderr.write(
      `grove memory: ${label}: rss ${mib(heap.rss)} MiB, peak ${mib(peakRss())}, heap ${mib(heap.heapUsed)}/${mib(heap.heapTotal)}, external ${mib(heap.external)}${detail}\n`,
    );
  } catch {
    // Tracing reads /proc, which fails when no file descriptor is left; the trace line is skipped.
  }
}
