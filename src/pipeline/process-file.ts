/**
 * One file's trip through classify -> read -> parse/chunk, ending as an item for the store stage. Every
 * path returns an item (a failure is data, never an exception that ends the run). The byte lease taken
 * before reading travels with the item and is released by the store stage once the item is committed;
 * the store stage itself never waits for the budget, so the budget cannot deadlock the pipeline.
 */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { GroveError, type SerializedError, toGroveError } from '../errors.js';
import type { Extraction, FileRecord, FileState, WalkEntry } from '../model.js';
import { isParsable } from '../parse/languages.js';
import type { ParsePool } from '../parse/parse-pool.js';
import type { Lease, MemoryBudget } from './memory-budget.js';
import { type Classification, classify, SNIFF_BYTES } from './stages/classify.js';
import { chunkSizeFor, readHead, readWhole } from './stages/read.js';
import { chunkSmallText } from './text-file.js';

export type StoreItem =
  | { kind: 'file'; file: FileRecord; extraction: Extraction | null; lease: Lease | null }
  | { kind: 'stream'; file: FileRecord; entry: WalkEntry; classification: Classification; lease: Lease };

export interface ProcessDeps {
  config: ResolvedConfig;
  budget: MemoryBudget;
  pool: ParsePool;
  signal: AbortSignal;
}

/** A file that keeps changing under us is read this many times before it is recorded as failed. */
const MAX_READ_ATTEMPTS = 3;
/** A streamed file holds a few read buffers plus the chunks of one piece: budget that much for it. */
const STREAM_BUFFERS = 4;
/** The file grew past the parse cap between the walk and the read: stream it instead. */
const GREW = Symbol('grew');

export async function processFile(entry: WalkEntry, deps: ProcessDeps): Promise<StoreItem> {
  if (entry.size > deps.config.hardCap) return recorded(entry, 'skipped', 'too-large', null);
  if (entry.size > deps.config.maxFileSize) return planStream(entry, deps);
  const lease = await deps.budget.acquire(entry.size, deps.signal);
  let handedOver = false;
  try {
    const item = await processSmall(entry, deps);
    if (item === GREW) {
      deps.budget.release(lease);
      handedOver = true;
      return planStream(entry, deps);
    }
    // Only items carrying content keep their bytes budgeted until the store has written them.
    if (item.kind === 'file' && item.extraction !== null) {
      handedOver = true;
      return { ...item, lease };
    }
    return item;
  } catch (error) {
    if (deps.signal.aborted) throw error;
    return recorded(entry, 'failed', null, toGroveError(error, { path: entry.path }).toJSON());
  } finally {
    if (!handedOver) deps.budget.release(lease);
  }
}

async function processSmall(entry: WalkEntry, deps: ProcessDeps): Promise<StoreItem | typeof GREW> {
  const read = await readStable(entry, deps.signal);
  const current = { ...entry, size: read.size, mtimeMs: read.mtimeMs };
  if (read.size > deps.config.maxFileSize) return GREW;
  const classification = classify(current, read.bytes.subarray(0, SNIFF_BYTES), deps.config);
  const { strategy, language, reason } = classification;
  if (strategy === 'skip') return recorded(current, 'skipped', reason, null, language);
  if (strategy === 'text') {
    const extraction = chunkSmallText(read.bytes, classification);
    return fileItem(record(current, hashOf(read.bytes), language, 'text-only', reason, null), extraction);
  }
  if (!isParsable(language)) throw new GroveError('INTERNAL', `no parser for ${language} (${entry.path})`);
  const job = {
    language,
    bytes: read.bytes,
    encoding: classification.encoding,
    bomBytes: classification.bomBytes,
  };
  const outcome = await deps.pool.run(job);
  if (outcome.ok) {
    return fileItem(record(current, outcome.hash, language, 'indexed', reason, null), outcome.extraction);
  }
  if (outcome.error.code === 'ABORTED') throw new GroveError('ABORTED', outcome.error.message);
  // The parse failed, but the text is still worth searching: keep it as line chunks next to the error.
  // The bytes went to the worker (transferred, not copied), so read them again.
  const again = await readWhole(current, deps.signal).catch(() => null);
  const extraction = again ? chunkSmallText(again.bytes, classification) : null;
  const reasonCode = outcome.error.code.toLowerCase();
  return fileItem(record(current, outcome.hash, language, 'failed', reasonCode, outcome.error), extraction);
}

async function planStream(entry: WalkEntry, deps: ProcessDeps): Promise<StoreItem> {
  let classification: Classification;
  try {
    classification = classify(entry, await readHead(entry, SNIFF_BYTES), deps.config);
  } catch (error) {
    if (deps.signal.aborted) throw error;
    return recorded(entry, 'failed', null, toGroveError(error, { path: entry.path }).toJSON());
  }
  if (classification.strategy === 'skip') {
    return recorded(entry, 'skipped', classification.reason, null, classification.language);
  }
  // Never parsed: big files are text whatever their language, streamed by the store stage.
  const reason = classification.strategy === 'parse' ? 'too-large-to-parse' : classification.reason;
  const lease = await deps.budget.acquire(chunkSizeFor(entry.size, 'normal') * STREAM_BUFFERS, deps.signal);
  const file = record(entry, null, classification.language, 'text-only', reason, null);
  return {
    kind: 'stream',
    file,
    entry,
    classification: { ...classification, strategy: 'text', reason },
    lease,
  };
}

async function readStable(entry: WalkEntry, signal: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readWhole(entry, signal);
    } catch (error) {
      const changed = error instanceof GroveError && error.code === 'FILE_CHANGED_DURING_READ';
      if (!changed || attempt >= MAX_READ_ATTEMPTS) throw error;
    }
  }
}

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fileItem(file: FileRecord, extraction: Extraction | null): StoreItem {
  return { kind: 'file', file, extraction, lease: null };
}

function record(
  entry: WalkEntry,
  hash: string | null,
  language: FileRecord['language'],
  state: FileState,
  reason: string,
  error: SerializedError | null,
): FileRecord {
  const { path, size, mtimeMs, ino, dev } = entry;
  return { path, size, mtimeMs, ino, dev, hash, language, state, reason, error };
}

/** A file recorded without content; a failure's reason is its error code in lower case. */
function recorded(
  entry: WalkEntry,
  state: FileState,
  reason: string | null,
  error: SerializedError | null,
  language: FileRecord['language'] = null,
): StoreItem {
  const why = reason ?? error?.code.toLowerCase() ?? 'unknown';
  return fileItem(record(entry, null, language, state, why, error), null);
}
