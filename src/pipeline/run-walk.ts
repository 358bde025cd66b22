/**
 * The walk a run consumes: the whole tree, or only the paths a paths run names (each remembered in
 * `seen`, so what the walk no longer yields can leave the index); and fresh entries for paths a pass
 * must redo.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { WalkEntry, WalkProblem } from '../model.js';
import { walkBatches } from './stages/walk.js';
import { walkPaths } from './stages/walk-paths.js';

/** The walk of the whole tree, or of the paths of a paths run (remembered in `seen`), in batches. */
export async function* walkEntries(config: ResolvedConfig, seen: Set<string>, signal: AbortSignal) {
  const options = {
    include: [...config.include],
    exclude: [...config.exclude],
    // The index being written, and a default-placed index of this root when --index points elsewhere.
    ignoreDirs: [config.indexDir, join(config.root, '.grove')],
    signal,
  };
  if (!config.paths) {
    yield* walkBatches(config.root, options);
    return;
  }
  for await (const entry of walkPaths(config.root, config.paths, options)) {
    seen.add(entry.path);
    yield [entry];
  }
}

/** Fresh walk entries for paths to redo; a path gone meanwhile is simply not redone (the next run drops it). */
export async function* restat(root: string, paths: string[]): AsyncGenerator<WalkEntry | WalkProblem> {
  for (const path of paths) {
    const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    yield {
      path,
      absPath: join(root, path),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ino: stat.ino,
      dev: stat.dev,
    };
  }
}
