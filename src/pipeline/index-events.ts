/** The typed events `indexRepository` yields; `grove index --json` prints them as NDJSON. */
import type { SerializedError } from '../errors.js';
import type { FileState } from '../model.js';
import type { PressureLevel } from './memory-budget.js';

export interface FileCounts {
  indexed: number;
  textOnly: number;
  skipped: number;
  failed: number;
}

export interface StartEvent {
  type: 'start';
  root: string;
  indexDir: string;
  maxMemoryBytes: number;
  workers: number;
}

export interface ProgressEvent {
  type: 'progress';
  filesDone: number;
  /** Files found so far; final once `walkDone` is true. */
  filesFound: number;
  walkDone: boolean;
  bytesDone: number;
  bytesFound: number;
  filesPerSec: number;
  mbPerSec: number;
  /** Null until the walk is complete: before that the total is unknown and an ETA would be a guess. */
  etaMs: number | null;
  rssBytes: number;
  pressure: PressureLevel;
  inFlightBytes: number;
}

/** Emitted for every file that ends `failed`, so failures are visible as they happen. */
export interface FileFailedEvent {
  type: 'file-failed';
  path: string;
  state: FileState;
  reason: string;
  error: SerializedError | null;
}

export interface SummaryEvent {
  type: 'summary';
  files: FileCounts;
  symbols: number;
  chunks: number;
  bytes: number;
  wallMs: number;
  peakRssBytes: number;
  languages: Record<string, number>;
  /** What this run did, beside the index totals above. */
  run: {
    filesSeen: number;
    filesWritten: number;
    /** Files skipped by the stat check: same size, mtime, inode and device as indexed. */
    filesUnchanged: number;
    filesRemoved: number;
    parsed: number;
    workerCrashes: number;
    workerRecycles: number;
    /** How often the memory pressure level changed: many changes mean RSS hovered at a threshold. */
    pressureChanges: number;
    parseTimeouts: number;
    aborted: boolean;
    /** How the reference graph was brought up to date (see graph/link-graph.ts), and in how long. */
    link: { mode: 'none' | 'partial' | 'full'; files: number; ms: number };
    /** Whether the common tokens' document frequencies were counted again (store/term-stats.ts). */
    termStats: { refreshed: boolean; terms: number; ms: number };
  };
}

export type IndexEvent = StartEvent | ProgressEvent | FileFailedEvent | SummaryEvent;
