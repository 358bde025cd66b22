/**
 * How fresh an index is: when it was built, from which commit, and how many indexed files differ on
 * disk now (the same size/mtime check the incremental run uses, so it costs one stat per file).
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** What an index records about its last complete run: when, and from which commit. */
export function readRunStamp(store: Store): Pick<Freshness, 'indexedAt' | 'commit'> {
  return { indexedAt: store.getMeta('indexedAt'), commit: store.getMeta('commit') || null };
}

/**
 * Whether a directory holding indexed files (or an ancestor of one) changed after `sinceMs`: a file
 * added while nobody watched changes no file row's stat, only its directory's mtime. One stat per
 * directory; a directory with no indexed file below it is not looked at.
 */
export function directoriesChangedSince(store: Store, root: string, sinceMs: number): boolean {
  const directories = new Set<string>();
  for (const file of store.fileStats()) {
    for (let dir = dirname(file.path); !directories.has(dir); dir = dirname(dir)) {
      directories.add(dir);
      if (dir === '.') break;
    }
  }
  directories.add('.');
  for (const dir of directories) {
    const stat = statSync(join(root, dir), { throwIfNoEntry: false });
    if (stat && stat.mtimeMs > sinceMs) return true;
  }
  return false;
}

/**
 * The index's freshness. `dirtyFiles` replaces the stat of every file when the caller already knows the
 * count (the daemon's watcher knows which files changed since they were indexed).
 */
export function readFreshness(store: Store, dirtyFiles?: () => number): Freshness {
  const root = store.getMeta('root');
  return {
    ...readRunStamp(store),
    dirtyFiles: dirtyFiles ? dirtyFiles() : root ? countDirtyFiles(store, root) : 0,
  };
}
