/**
 * The read stage. Small files are read whole in one open + fstat + read; big ones are streamed through
 * one reused buffer and a streaming decoder, so a 1 GiB file costs one chunk of memory. Both notice a
 * file that changes while it is read (fstat before vs after) so the caller can re-queue it.
 *
 * Whole and head reads use synchronous syscalls: for page-cached files under the parse cap (1 MiB) a
 * `readSync` costs about a third of the libuv thread-pool round trip (measured 115 vs 370 ms of CPU for
 * 5.7k kernel files), and each call blocks only for one bounded read. Streams, which are long, use
 * asynchronous reads so they never hold the event loop.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroveError, toGroveError } from '../../errors.js';
import type { TextEncodingName, WalkEntry } from '../../model.js';
import { isTransient, RETRY_DELAYS_MS } from '../transient-errors.js';

export type Pressure = 'normal' | 'high' | 'critical';

export interface WholeFile {
  /** Owns its ArrayBuffer (never a slice of a shared pool), so it can be transferred to a worker. */
  bytes: Uint8Array<ArrayBuffer>;
  /** From the fstat of the open file: what was actually read, which may differ from the walk's stat. */
  size: number;
  mtimeMs: number;
}

/** Test seam: the open call (to inject EACCES or EMFILE) and a hook that runs between read and re-stat. */
export interface ReadDeps {
  openSync?: (path: string, flags: string) => number;
  afterRead?: (entry: WalkEntry) => void;
}

export interface StreamTextOptions {
  encoding: TextEncodingName;
  /** Leading BOM bytes to skip. */
  bomBytes: number;
  /** Bytes per read, or a function asked before every read so the chunk shrinks as pressure rises. */
  chunkSize: number | ((pressure: Pressure) => number);
  /** The current memory pressure, passed to a `chunkSize` function (default: always normal). */
  pressure?: () => Pressure;
  signal?: AbortSignal;
}

const KiB = 1024;
const MIN_CHUNK = 64 * KiB; // below this, per-read overhead dominates the copy
const MAX_CHUNK = 1024 * KiB; // above this, throughput no longer improves but the budget pays
/** A stream re-checks the file this often, so a file rewritten under a long read fails early. */
const CHANGE_CHECK_BYTES = 64 * MAX_CHUNK;

/** Reads a whole file (the caller caps its size) and checks it did not change during the read. */
export async function readWhole(
  entry: WalkEntry,
  signal?: AbortSignal,
  deps: ReadDeps = {},
): Promise<WholeFile> {
  return withRetry(entry, signal, () => {
    const fd = (deps.openSync ?? fs.openSync)(entry.absPath, 'r');
    try {
      const before = fs.fstatSync(fd);
      // allocUnsafeSlow: a dedicated ArrayBuffer (posted to a parse worker as is, not copied out of a shared
      // pool first) and no zero-fill, as every byte is overwritten.
      const bytes = Buffer.allocUnsafeSlow(before.size);
      const length = readFully(fd, bytes, 0);
      deps.afterRead?.(entry);
      const after = fs.fstatSync(fd);
      if (length !== before.size || changed(before, after)) throw changedError(entry);
      return {
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, length),
        size: before.size,
        mtimeMs: before.mtimeMs,
      };
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** The first `bytes` bytes (fewer if the file is shorter), for classify. */
export async function readHead(entry: WalkEntry, bytes: number, deps: ReadDeps = {}): Promise<Uint8Array> {
  return withRetry(entry, undefined, () => {
    const fd = (deps.openSync ?? fs.openSync)(entry.absPath, 'r');
    try {
      const head = Buffer.allocUnsafe(Math.max(0, Math.min(bytes, entry.size)));
      return head.subarray(0, readFully(fd, head, 0));
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * Bytes per streamed read: bigger files get bigger chunks (fewer calls), pressure shrinks them.
 * Always between 64 KiB and 1 MiB.
 */
export function chunkSizeFor(fileSize: number, pressure: Pressure): number {
  if (pressure === 'critical') return MIN_CHUNK;
  let size = MIN_CHUNK;
  // Aim for ~16 reads per file, in powers of two so buffers of neighbouring sizes are interchangeable.
  while (size < MAX_CHUNK && size * 16 < fileSize) size *= 2;
  if (pressure === 'high') size = Math.max(MIN_CHUNK, size / 4);
  return size;
}

/**
 * Streams a file as decoded text through one reused buffer. A multibyte character split between reads
 * is completed by the next read; invalid bytes become U+FFFD. Throws `FILE_CHANGED_DURING_READ` if the
 * size or mtime moves during the stream (after yielding what it read: the caller must discard it).
 */
export async function* streamText(entry: WalkEntry, options: StreamTextOptions): AsyncGenerator<string> {
  const { signal } = options;
  const handle = await withRetry(entry, signal, () => fs.promises.open(entry.absPath, 'r'));
  try {
    const before = await handle.stat();
    const decoder = new TextDecoder(options.encoding);
    let buffer: Buffer | null = null;
    let position = Math.min(options.bomBytes, before.size);
    let nextCheck = position + CHANGE_CHECK_BYTES;
    while (position < before.size) {
      if (signal?.aborted) throw aborted(signal);
      const want = Math.min(chunkSizeOf(options), before.size - position);
      // The buffer only grows (at most to the largest chunk asked for), and is reused for every read.
      if (buffer === null || buffer.length < want) buffer = Buffer.allocUnsafeSlow(want);
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const text = decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      if (text.length > 0) yield text;
      if (position >= nextCheck) {
        if (changed(before, await handle.stat())) throw changedError(entry);
        nextCheck = position + CHANGE_CHECK_BYTES;
      }
    }
    const after = await handle.stat();
    if (position !== before.size || changed(before, after)) throw changedError(entry);
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  } catch (error) {
    throw toGroveError(error, { path: entry.path });
  } finally {
    await handle.close();
  }
}

function chunkSizeOf(options: StreamTextOptions): number {
  const { chunkSize } = options;
  const size = typeof chunkSize === 'number' ? chunkSize : chunkSize(options.pressure?.() ?? 'normal');
  return Math.max(1, Math.floor(size));
}

/** Reads from `offset` until the buffer is full or the file ends; returns the bytes now in the buffer. */
function readFully(fd: number, buffer: Uint8Array, offset: number): number {
  let length = offset;
  while (length < buffer.length) {
    const n = fs.readSync(fd, buffer, length, buffer.length - length, length);
    if (n === 0) break;
    length += n;
  }
  return length;
}

function changed(before: fs.Stats, after: fs.Stats): boolean {
  return after.size !== before.size || after.mtimeMs !== before.mtimeMs;
}

function changedError(entry: WalkEntry): GroveError {
  return new GroveError('FILE_CHANGED_DURING_READ', `${entry.path} changed while it was being read.`, {
    path: entry.path,
  });
}

function aborted(signal: AbortSignal): GroveError {
  return new GroveError('ABORTED', 'The read was aborted.', undefined, { cause: signal.reason });
}

/** Runs `attempt`, retrying transient errors with backoff; maps every failure to a GroveError. */
async function withRetry<T>(
  entry: WalkEntry,
  signal: AbortSignal | undefined,
  attempt: () => T | Promise<T>,
) {
  for (let tries = 0; ; tries++) {
    if (signal?.aborted) throw aborted(signal);
    try {
      return await attempt();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[tries];
      if (delay === undefined || !isTransient(error)) {
        throw toGroveError(error, { path: entry.path });
      }
      await sleep(delay);
    }
  }
}
