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
import { extractorVersion } from '../parse/extractor-version.js';
import { isCFamily, isParsable, languageForPath } from '../parse/languages.js';
import type { ParsePool } from '../parse/parse-pool.js';
import type { ParseJob } from '../parse/parse-protocol.js';
import type { FileReuse, KnownFile } from '../store/reuse-rows.js';
import { type IncrementalDeps, isUnchanged, planReuse } from './incremental.js';
import type { Lease, MemoryBudget } from './memory-budget.js';
import { type Classification, classify, SNIFF_BYTES } from './stages/classify.js';
import { chunkSizeFor, readHead, readWhole } from './stages/read.js';
import { chunkSmallText } from './text-file.js';

export type StoreItem =
  | { kind: 'file'; file: FileRecord; extraction: Extraction | null; lease: Lease | null; reuse?: FileReuse }
  | { kind: 'stream'; file: FileRecord; entry: WalkEntry; classification: Classification; lease: Lease }
  | { kind: 'unchanged'; path: string; size: number };

export interface ProcessDeps {
  config: ResolvedConfig;
  budget: MemoryBudget;
  pool: ParsePool;
  signal: AbortSignal;
  /** Absent on a --full run or for a retry that must not reuse: everything is processed. */
  incremental?: IncrementalDeps;
}

/** A file that keeps changing under us is read this many times before it is recorded as failed. */
const MAX_READ_ATTEMPTS = 3;
/**
 * What a file in flight costs per byte of source, measured on kernel C. Text: the raw bytes, then the
 * chunks until they are committed. Parsed: the same in the main heap plus the tree and extraction in a
 * worker (a 900 KiB file grew its worker by 24-41 MiB), so two big files never parse at once in a small
 * budget. Decided from the path before reading, so a lease is never topped up (which could deadlock);
 * once the worker has answered, a parsed file's lease shrinks to the text cost (its extraction held in
 * the main heap until the commit measured 3.2 bytes per source byte on kernel C).
 */
const TEXT_IN_FLIGHT_COST = 4;
const PARSE_IN_FLIGHT_COST = 40;
/** A streamed file holds a few read buffers plus the chunks of one piece: budget that much for it. */
const STREAM_BUFFERS = 4;
/** The file grew past the parse cap between the walk and the read: stream it instead. */
const GREW = Symbol('grew');

export async function processFile(entry: WalkEntry, deps: ProcessDeps): Promise<StoreItem> {
  const known = deps.incremental?.known(entry.path);
  if (isUnchanged(known, entry, deps.config.macros))
    return { kind: 'unchanged', path: entry.path, size: entry.size };
  if (entry.size > deps.config.hardCap) return recorded(entry, 'skipped', 'too-large', null);
  if (entry.size > deps.config.maxFileSize) return planStream(entry, deps);
  const cost = isParsable(languageForPath(entry.path)) ? PARSE_IN_FLIGHT_COST : TEXT_IN_FLIGHT_COST;
  let lease = await deps.budget.acquire(entry.size * cost, deps.signal);
  let handedOver = false;
  try {
    const item = await processSmall(entry, deps, known);
    if (cost > TEXT_IN_FLIGHT_COST) lease = deps.budget.shrink(lease, entry.size * TEXT_IN_FLIGHT_COST);
    if (item === GREW) {
      deps.budget.release(lease);
      handedOver = true;
      return planStream(entry, deps);
    }
    // Items carrying content (or copying it) keep their bytes budgeted until the store has written them.
    if (item.kind === 'file' && (item.extraction !== null || item.reuse !== undefined)) {
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

async function processSmall(
  entry: WalkEntry,
  deps: ProcessDeps,
  known: KnownFile | undefined,
): Promise<StoreItem | typeof GREW> {
  const read = await readStable(entry, deps.signal);
  const current = { ...entry, size: read.size, mtimeMs: read.mtimeMs };
  if (read.size > deps.config.maxFileSize) return GREW;
  const classification = classify(current, read.bytes.subarray(0, SNIFF_BYTES), deps.config);
  const { strategy, language, reason } = classification;
  if (strategy === 'skip') return recorded(current, 'skipped', reason, null, language);
  const state = strategy === 'parse' ? 'indexed' : 'text-only';
  const hash = hashOf(read.bytes);
  const file = record(current, hash, language, state, reason, null, deps.config.macros);
  const reuse =
    deps.incremental &&
    planReuse(deps.incremental, known, entry.path, hash, state, language, deps.config.macros);
  if (reuse) return { ...fileItem(file, null), reuse };
  if (strategy === 'text') return fileItem(file, chunkSmallText(read.bytes, classification));
  if (!isParsable(language)) throw new GroveError('INTERNAL', `no parser for ${language} (${entry.path})`);
  const { macros } = deps.config;
  const job: ParseJob = {
    language,
    bytes: read.bytes,
    encoding: classification.encoding,
    bomBytes: classification.bomBytes,
    ...(macros.length > 0 && isCFamily(language) ? { macros } : {}),
  };
  const outcome = await deps.pool.run(job);
  if (outcome.ok) return fileItem(file, outcome.extraction);
  if (outcome.error.code === 'ABORTED') throw new GroveError('ABORTED', outcome.error.message);
  // The parse failed, but the text is still worth searching: keep it as line chunks next to the error.
  const extraction = chunkSmallText(read.bytes, classification);
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

export type FileItem = Extract<StoreItem, { kind: 'file' }>;

/** A file whose rows are ready to be written (not a stream, not an unchanged file). */
export function isFileItem(item: StoreItem): item is FileItem {
  return item.kind === 'file';
}

function fileItem(file: FileRecord, extraction: Extraction | null): FileItem {
  return { kind: 'file', file, extraction, lease: null };
}

function record(
  entry: WalkEntry,
  hash: string | null,
  language: FileRecord['language'],
  state: FileState,
  reason: string,
  error: SerializedError | null,
  macros: readonly string[] = [],
): FileRecord {
  const { path, size, mtimeMs, ino, dev } = entry;
  const extractor = error === null ? extractorVersion(state, language, macros) : null;
  return { path, size, mtimeMs, ino, dev, hash, language, state, reason, error, extractor };
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
