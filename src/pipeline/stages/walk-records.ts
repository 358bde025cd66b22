/**
 * What the walk yields, built from a stat or from the native scanner's listing: file entries, the
 * identity of a directory, and the problems (skipped or failed paths) recorded as data.
 */
import type { Stats } from 'node:fs';
import { GroveError, toGroveError } from '../../errors.js';
import type { WalkEntry, WalkProblem } from '../../model.js';
import { LISTING_STAT_FIELDS } from './native-scan.js';

/** What the walk needs of a directory's stat: its identity, for loop and duplicate checks. */
export interface DirIdentity {
  dev: number;
  ino: number;
}

export function identityFromListing(stats: Float64Array, index: number): DirIdentity {
  const at = index * LISTING_STAT_FIELDS;
  return { ino: stats[at + 2] as number, dev: stats[at + 3] as number };
}

export function entryFromListing(rel: string, abs: string, stats: Float64Array, index: number): WalkEntry {
  const at = index * LISTING_STAT_FIELDS;
  const size = stats[at] as number;
  const mtimeMs = stats[at + 1] as number;
  return {
    path: rel,
    absPath: abs,
    size,
    mtimeMs,
    ino: stats[at + 2] as number,
    dev: stats[at + 3] as number,
  };
}

export function toEntry(rel: string, abs: string, st: Stats): WalkEntry {
  return { path: rel, absPath: abs, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev };
}

export function skipped(rel: string, reason: string): WalkProblem {
  return { path: rel, state: 'skipped', reason };
}

export function failed(rel: string, reason: string, error: unknown): WalkProblem {
  return { path: rel, state: 'failed', reason, error: toGroveError(error, { path: rel }).toJSON() };
}

export function tooDeep(rel: string, maxDepth: number): WalkProblem {
  const message = `${rel} is nested deeper than ${maxDepth} directories.`;
  const error = new GroveError('FILE_TOO_DEEP', message, { path: rel, maxDepth });
  return { path: rel, state: 'failed', reason: 'too-deep', error: error.toJSON() };
}
