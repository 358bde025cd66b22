/**
 * A walk restricted to a list of paths (what a file watcher reports): each path is decided exactly as the
 * full walk would decide it (ignore rules of every directory above it, user globs, links, the index
 * directory), and a path that is now a directory is walked whole. Nothing else of the tree is visited,
 * so re-examining a handful of edited files costs a handful of stats, not one per file of the repository.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { WalkEntry, WalkProblem } from '../../model.js';
import { compareUtf8 } from '../../store/path-order.js';
import type { Store } from '../../store/store.js';
import { type DirFrame, entryKind, visitEntry, type WalkContext } from './visit-entry.js';
import { createContext, openRoot, type WalkOptions, walkFrom } from './walk.js';

/**
 * Yields the walk's verdict for each of `paths` (relative to `root`, `/`-separated) that still exists and
 * is not excluded, and every file below those that are directories. Paths that are gone or excluded
 * yield nothing: the caller decides what leaves the index.
 */
export async function* walkPaths(
  root: string,
  paths: readonly string[],
  options: WalkOptions = {},
): AsyncGenerator<WalkEntry | WalkProblem> {
  const absRoot = path.resolve(root);
  const ctx = createContext(absRoot, options);
  // Directory frames already opened (ignore rules read), or null for a directory that is excluded or gone.
  const dirs = new Map<string, DirFrame | null>([['', openRoot(ctx, absRoot)]]);
  const yielded = new Set<string>();
  for (const rel of normalizePaths(paths)) {
    const parent = frameFor(ctx, dirs, parentOf(rel));
    if (parent === null) continue;
    const step = visitOne(ctx, parent, rel);
    if (step === null) continue;
    const batches = 'names' in step ? walkFrom(ctx, [step], options.signal) : [[step]];
    for await (const batch of batches) {
      for (const item of batch) {
        if (yielded.has(item.path)) continue;
        yielded.add(item.path);
        yield item;
      }
    }
  }
}

/** Deduplicated, relative, in the walk's byte order; `..` or absolute paths are not the root's. */
export function normalizePaths(paths: readonly string[]): string[] {
  const unique = new Set<string>();
  for (const raw of paths) {
    const rel = path.posix.normalize(raw.replaceAll('\\', '/')).replace(/\/+$/, '');
    if (rel === '' || rel === '.' || rel.startsWith('../') || rel === '..' || rel.startsWith('/')) continue;
    unique.add(rel);
  }
  return [...unique].sort(compareUtf8);
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** The open frame of directory `rel`, opening (and judging) each ancestor once. */
function frameFor(ctx: WalkContext, dirs: Map<string, DirFrame | null>, rel: string): DirFrame | null {
  const cached = dirs.get(rel);
  if (cached !== undefined) return cached;
  const parent = frameFor(ctx, dirs, parentOf(rel));
  const step = parent === null ? null : visitOne(ctx, parent, rel);
  const frame = step !== null && 'names' in step ? step : null;
  dirs.set(rel, frame);
  return frame;
}

/** What the walk makes of the single entry `rel` inside `parent`, or null when it is gone or excluded. */
function visitOne(
  ctx: WalkContext,
  parent: DirFrame,
  rel: string,
): DirFrame | WalkEntry | WalkProblem | null {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  const st = lstatSync(`${parent.abs}/${name}`, { throwIfNoEntry: false });
  if (st === undefined) return null;
  // A one-entry listing of the parent: visitEntry applies the parent's rules, links and loop checks.
  const single: DirFrame = {
    ...parent,
    names: [name],
    kinds: Uint8Array.of(entryKind(st)),
    stats: null,
    jobs: null,
    next: 0,
  };
  return visitEntry(ctx, single);
}

/**
 * After a paths run: the requested paths the walk did not yield (deleted, renamed away, now ignored)
 * leave the index, and so do indexed files below a requested directory that it no longer yields.
 * Returns how many files left.
 */
export function removeGonePaths(
  store: Store,
  root: string,
  paths: readonly string[],
  seen: ReadonlySet<string>,
): number {
  const gone = new Set<string>();
  const dirPrefixes: string[] = [];
  for (const rel of normalizePaths(paths)) {
    if (seen.has(rel)) continue;
    if (store.knownFile(rel) !== undefined) gone.add(rel);
    // An unknown path that is not a plain file may be a directory whose files the index holds; only then
    // is the files table scanned (a deleted or renamed directory, which watchers report as one path).
    else if (!lstatSync(path.join(root, rel), { throwIfNoEntry: false })?.isFile())
      dirPrefixes.push(`${rel}/`);
  }
  if (dirPrefixes.length > 0) {
    for (const file of store.files()) {
      if (seen.has(file.path)) continue;
      if (dirPrefixes.some((prefix) => file.path.startsWith(prefix))) gone.add(file.path);
    }
  }
  return gone.size > 0 ? store.deleteFiles(gone) : 0;
}
