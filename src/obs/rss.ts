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
