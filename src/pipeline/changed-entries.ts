/**
 * The walk, minus what needs no work: a file whose stat matches its row (and whose rows are current) and
 * a path recorded with the same verdict are counted as unchanged right here, so on a re-run with nothing
 * changed no entry reaches the read, parse or store stages (no promise, queue slot or transaction per
 * file): the walk hands over batches, and only changed entries travel on one at a time.
 * Everything else flows on to the pass.
 */
import type { WalkEntry, WalkProblem } from '../model.js';
import type { KnownStat } from '../store/known-files.js';
import { isProblemUnchanged, isUnchanged } from './incremental.js';
import type { ProgressTracker } from './progress-tracker.js';

/** What the index knows about a walked path: a `KnownCursor` for a whole walk, a lookup for a few paths. */
export type KnownLookup = (path: string) => KnownStat | undefined;

export async function* changedEntries(
  batches: AsyncIterable<readonly (WalkEntry | WalkProblem)[]>,
  known: KnownLookup,
  tracker: ProgressTracker,
  macros: readonly string[],
): AsyncGenerator<WalkEntry | WalkProblem> {
  for await (const batch of batches) {
    for (const entry of batch) {
      const row = known(entry.path);
      const isFile = 'size' in entry;
      tracker.found(isFile ? entry.size : 0);
      if (isFile ? isUnchanged(row, entry, macros) : isProblemUnchanged(row, entry)) {
        tracker.unchanged(isFile ? entry.size : 0);
        continue;
      }
      yield entry;
    }
  }
  tracker.walkDone = true;
}
