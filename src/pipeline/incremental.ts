/**
 * Incremental decisions: which files need no work at all (same stat, rows from the current extractor),
 * and which read files can reuse rows already in the index (same content) instead of being parsed.
 */
import type { FileState, Language, WalkEntry, WalkProblem } from '../model.js';
import { extractorVersion } from '../parse/extractor-version.js';
import type { KnownStat } from '../store/known-files.js';
import type { FileReuse, KnownFile } from '../store/reuse-rows.js';

export interface IncrementalDeps {
  /** What the index knows about a path (undefined: new file, or a --full run). */
  known(path: string): KnownFile | undefined;
  /** Another path with rows for this content and extractor. */
  findReusable(hash: string, extractor: string): string | undefined;
}

/**
 * True when the stat matches what was indexed and the rows are still current: the file is not read.
 * Failed files are always retried; skipped files are redone only when their stat changes.
 */
export function isUnchanged(
  known: KnownStat | undefined,
  entry: WalkEntry,
  macros: readonly string[],
): boolean {
  if (!known) return false;
  const sameStat =
    known.size === entry.size &&
    known.mtimeMs === entry.mtimeMs &&
    known.ino === entry.ino &&
    known.dev === entry.dev;
  if (!sameStat) return false;
  if (known.state === 'skipped') return true;
  if (known.state === 'failed') return false;
  return (
    known.extractor !== null &&
    known.extractor === extractorVersion(known.state as FileState, known.language, macros)
  );
}

/**
 * True when a path the walk would not enter (a link loop, a duplicate, a special file) is recorded with
 * the same verdict: nothing to write. Failures (unreadable entries) are always recorded again.
 */
export function isProblemUnchanged(known: KnownStat | undefined, problem: WalkProblem): boolean {
  return (
    known !== undefined &&
    problem.state === 'skipped' &&
    known.state === 'skipped' &&
    known.reason === problem.reason
  );
}

/** How a read file with content `hash`, about to end as `state`, can reuse existing rows, if at all. */
export function planReuse(
  deps: IncrementalDeps,
  known: KnownFile | undefined,
  path: string,
  hash: string,
  state: FileState,
  language: Language | null,
  macros: readonly string[],
): FileReuse | undefined {
  const extractor = extractorVersion(state, language, macros);
  if (extractor === null) return undefined;
  if (known?.hash === hash && known.state === state && known.extractor === extractor) return { kind: 'same' };
  const fromPath = deps.findReusable(hash, extractor);
  return fromPath !== undefined && fromPath !== path ? { kind: 'copy', fromPath } : undefined;
}
