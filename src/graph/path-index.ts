/**
 * The indexed paths, looked up by exact path, by directory and by base name, for resolving imports and
 * for the "same directory" rule of reference resolution. One entry per file: about 10 MB on the
 * kernel's 78k files.
 */
import type { GraphFile } from '../store/graph-store.js';

export interface PathIndex {
  /** Every file id, ascending. */
  ids(): readonly number[];
  idOf(path: string): number | undefined;
  pathOf(id: number): string | undefined;
  languageOf(id: number): string | null;
  /** A number naming the file's directory (equal numbers: same directory). */
  dirOf(id: number): number;
  /** Files whose base name is `name`. */
  byBaseName(name: string): readonly number[];
  /** Files directly inside the directory `dir` ('' is the root). */
  inDirectory(dir: string): readonly number[];
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function createPathIndex(files: Iterable<GraphFile>): PathIndex {
  const ids = new Map<string, number>();
  // Arrays indexed by file id: the linker asks for paths and directories millions of times.
  const paths: (string | undefined)[] = [];
  const languages: (string | null)[] = [];
  const dirNumbers = new Map<string, number>();
  const dirs: number[] = [];
  const byDir = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  for (const file of files) {
    ids.set(file.path, file.id);
    paths[file.id] = file.path;
    languages[file.id] = file.language;
    const dir = dirname(file.path);
    let dirNumber = dirNumbers.get(dir);
    if (dirNumber === undefined) {
      dirNumber = dirNumbers.size;
      dirNumbers.set(dir, dirNumber);
    }
    dirs[file.id] = dirNumber;
    push(byDir, dir, file.id);
    push(byName, basename(file.path), file.id);
  }
  const allIds = [...ids.values()].sort((a, b) => a - b);
  return {
    ids: () => allIds,
    idOf: (path) => ids.get(path),
    pathOf: (id) => paths[id],
    languageOf: (id) => languages[id] ?? null,
    dirOf: (id) => dirs[id] ?? -1,
    byBaseName: (name) => byName.get(name) ?? [],
    inDirectory: (dir) => byDir.get(dir) ?? [],
  };
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [id]);
  else list.push(id);
}
