/**
 * The parse pool's worker slots and where the next task goes. A slot holds one live worker (or none) and
 * the tasks posted to it, which it runs one at a time in the order they were posted.
 */
import type { Worker } from 'node:worker_threads';
import type { LanguageId } from '../model.js';
import type { ParseOutcome, ParseTask } from './parse-protocol.js';

/**
 * Tasks per worker at once. A kernel store transaction keeps the main thread busy for 20-110 ms, while a
 * kernel C file takes a worker ~3 ms (one thread alone; more when the cores are shared): with one task at
 * a time, workers were idle for two thirds of every commit.
 */
export const PIPELINE_DEPTH = 16;
/** Bytes waiting in one worker behind its running task, at most (a big file waits alone). */
export const PIPELINE_BYTES = 1024 * 1024;

export interface Pending {
  task: ParseTask;
  size: number;
  resolve: (outcome: ParseOutcome) => void;
}

export interface Slot {
  worker: Worker;
  /** The tasks posted to this worker, in the order it runs them: the first one is running. */
  posted: Pending[];
  /** Bytes of the posted tasks that are waiting behind the running one. */
  waitingBytes: number;
  parsedBytes: number;
  /** The biggest file this worker has parsed: what its WASM memory has grown to hold. */
  largestFileBytes: number;
  watchdog: NodeJS.Timeout | null;
  /** Takes no more tasks; retired once its posted tasks are answered. */
  retireAfterTask: boolean;
  /** Languages whose compiled grammar this worker was sent. */
  languages: Set<LanguageId>;
  /** It has answered a task: it loaded its modules, so a death now is not a failed start. */
  answered: boolean;
}

export interface SlotChoice {
  /** The task's size in bytes. */
  size: number;
  /** An idle worker may start working (the pool's active limit allows one more busy worker). */
  mayStart: boolean;
  /** A new worker may be created (none is still being torn down). */
  mayCreate: boolean;
  /** Tasks a worker may be sent at once, the running one included. */
  depth: number;
}

/**
 * Where the next task goes: an idle live worker, else a new worker in an empty slot, else behind the
 * running task of the least loaded worker; -1 when every worker has enough. A new worker starts only
 * when no worker is still being torn down, so a replacement never holds its memory while the one it
 * replaces still holds its own.
 */
export function pickSlot(slots: ReadonlyArray<Slot | null>, choice: SlotChoice): number {
  if (choice.mayStart) {
    const idle = slots.findIndex(
      (slot) => slot !== null && !slot.retireAfterTask && slot.posted.length === 0,
    );
    if (idle >= 0) return idle;
    if (choice.mayCreate && slots.includes(null)) return slots.indexOf(null);
  }
  let best = -1;
  slots.forEach((slot, index) => {
    if (!slot || slot.retireAfterTask || slot.posted.length === 0 || slot.posted.length >= choice.depth)
      return;
    if (slot.waitingBytes + choice.size > PIPELINE_BYTES) return;
    if (best < 0 || slot.posted.length < slots[best]!.posted.length) best = index;
  });
  return best;
}

/** Posts `pending` to the slot's worker queue; true when it is the running task (nothing ahead of it). */
export function postTo(slot: Slot, pending: Pending): boolean {
  slot.posted.push(pending);
  slot.parsedBytes += pending.size;
  slot.largestFileBytes = Math.max(slot.largestFileBytes, pending.size);
  if (slot.posted.length === 1) return true;
  slot.waitingBytes += pending.size;
  return false;
}

/** Removes the running task; the next posted one, if any, is running now. */
export function shiftRunning(slot: Slot): Pending {
  const running = slot.posted.shift()!;
  const next = slot.posted[0];
  if (next) slot.waitingBytes -= next.size;
  return running;
}

/** Removes every posted task (the worker is gone), in the order they were posted. */
export function takeWaiting(slot: Slot): Pending[] {
  slot.waitingBytes = 0;
  return slot.posted.splice(0);
}
