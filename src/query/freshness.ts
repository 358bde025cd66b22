/**
 * How fresh an index is: when it was built, from which commit, and how many indexed files differ on
 * disk now (the same size/mtime check the incremental run uses, so it costs one stat per file).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.js';

export interface Freshness {
  indexedAt: string | null;
  commit: string | null;
  dirtyFiles: number;
}

/** Indexed files whose size or mtime on disk no longer match, or that are gone. */
export function countDirtyFiles(store: Store, root: string): number {
  let dirty = 0;
  // Walk problems (links out of the root, loops) were never stat'ed: fileStats leaves them out.
  for (const file of store.fileStats()) {
    const stat = statSync(join(root, file.path), { throwIfNoEntry: false });
    if (!stat || stat.size !== file.size || Math.abs(stat.mtimeMs - file.mtimeMs) > 1) dirty++;
  }
  return dirty;
}

/**
 * The index's freshness. `dirtyFiles` replaces the stat of every file when the caller already knows the
 * count (the daemon's watcher knows which files changed since they were indexed).
 */
export function readFreshness(store: Store, dirtyFiles?: () => number): Freshness {
  const root = store.getMeta('root');
  return {
    indexedAt: store.getMeta('indexedAt'),
    commit: store.getMeta('commit') || null,
    dirtyFiles: dirtyFiles ? dirtyFiles() : root ? countDirtyFiles(store, root) : 0,
  };
}
