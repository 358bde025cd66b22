/**
 * How many indexed files differ on disk from their rows (size or mtime), or are gone: what every query's
 * freshness reports. With the native scanner the directories holding indexed files are listed (their
 * entries lstat'ed in C, ahead on another thread) instead of one `statSync` per file: on the kernel's 78k
 * files that is what a CLI query spends most of its time on. Anything the listings cannot answer alone
 * (a link, a directory reached through a link, an unreadable directory) is stat'ed as before.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DIR, FILE } from '../pipeline/stages/list-directory.js';
import { DirectoryScanner, LISTING_STAT_FIELDS, nativeScan } from '../pipeline/stages/native-scan.js';

/** An indexed file as its row has it. */
export interface StatedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Sizes equal and mtimes within a millisecond (some file systems keep less precision). */
function differs(file: StatedFile, size: number, mtimeMs: number): boolean {
  return size !== file.size || Math.abs(mtimeMs - file.mtimeMs) > 1;
}

/** One stat per file. */
export function countDirtyFilesByStat(files: Iterable<StatedFile>, root: string): number {
  let dirty = 0;
  for (const file of files) {
    const stat = statSync(join(root, file.path), { throwIfNoEntry: false });
    if (!stat || differs(file, stat.size, stat.mtimeMs)) dirty++;
  }
  return dirty;
}

/** The files by directory (`''` for the root), and every directory on the way to one. */
function byDirectory(files: Iterable<StatedFile>) {
  const filesOf = new Map<string, StatedFile[]>();
  const needed = new Set<string>(['']);
  for (const file of files) {
    const slash = file.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : file.path.slice(0, slash);
    let list = filesOf.get(dir);
    if (list === undefined) {
      list = [];
      filesOf.set(dir, list);
      for (let d = dir; d !== '' && !needed.has(d); d = d.slice(0, Math.max(0, d.lastIndexOf('/')))) {
        needed.add(d);
      }
    }
    list.push(file);
  }
  return { filesOf, needed };
}

/** Like `countDirtyFilesByStat`, listing directories natively when the scanner is built. */
export function countDirtyFiles(files: Iterable<StatedFile>, root: string): number {
  const native = nativeScan();
  if (native === null) return countDirtyFilesByStat(files, root);
  // Listing starts on the scanner's thread while the files are grouped here.
  const scanner = new DirectoryScanner(native);
  const rootJob = scanner.queue(root);
  const { filesOf, needed } = byDirectory(files);
  const listed = new Set<string>();
  let dirty = 0;
  const visit = (rel: string, job: number) => {
    const abs = rel === '' ? root : `${root}/${rel}`;
    let listing: ReturnType<DirectoryScanner['take']>;
    try {
      listing = scanner.take(job, abs);
    } catch {
      return; // unreadable or gone: its files are stat'ed one by one below
    }
    listed.add(rel);
    const { names, kinds, stats, jobs } = listing;
    const files = filesOf.get(rel);
    if (files !== undefined) {
      const at = new Map<string, number>();
      for (let i = 0; i < names.length; i++) at.set(names[i] as string, i);
      for (const file of files) {
        const i = at.get(file.path.slice(file.path.lastIndexOf('/') + 1));
        if (i === undefined) dirty++;
        else if (kinds[i] !== FILE) dirty += countDirtyFilesByStat([file], root);
        else if (
          differs(
            file,
            stats[i * LISTING_STAT_FIELDS] as number,
            stats[i * LISTING_STAT_FIELDS + 1] as number,
          )
        )
          dirty++;
      }
    }
    for (let i = 0; i < names.length; i++) {
      const child = jobs?.[i] ?? -1;
      if (child < 0) continue;
      const childRel = rel === '' ? (names[i] as string) : `${rel}/${names[i]}`;
      if (kinds[i] === DIR && needed.has(childRel)) visit(childRel, child);
      else scanner.drop(child);
    }
  };
  try {
    visit('', rootJob);
  } finally {
    scanner.close();
  }
  // Directories the listings did not reach: links to directories, unreadable or vanished ones.
  for (const [dir, files] of filesOf) if (!listed.has(dir)) dirty += countDirtyFilesByStat(files, root);
  return dirty;
}
