/**
 * The file-system calls the walk makes, behind a seam so tests can inject failures (EACCES as root,
 * vanishing entries). The defaults are synchronous on purpose: on a warm cache a `statSync` costs about a
 * third of the libuv thread-pool round trip, which dominated the walk (78k kernel files: 0.38 s sync vs
 * 1.2 s async on 2 cores). The walk bounds how long it blocks by yielding to the event loop every few ms.
 */
import fs, { type Dirent } from 'node:fs';
import { compareUtf8 } from '../../store/path-order.js';

export interface WalkFs {
  readdir(path: string): fs.Dirent[];
  /** Follows links. */
  stat(path: string): fs.Stats;
  realpath(path: string): string;
  /** The text of an ignore file, at most `MAX_IGNORE_FILE_BYTES` of it. */
  readIgnoreFile(path: string): string;
}

/** A rule file bigger than this is hostile or a mistake; its head still applies, the rest is dropped. */
const MAX_IGNORE_FILE_BYTES = 1 << 20;

function readIgnoreFile(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(MAX_IGNORE_FILE_BYTES, fs.fstatSync(fd).size));
    let length = 0;
    while (length < buffer.length) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
}

export const defaultWalkFs: WalkFs = {
  readdir: (path) => fs.readdirSync(path, { withFileTypes: true }),
  stat: (path) => fs.statSync(path),
  realpath: (path) => fs.realpathSync.native(path),
  readIgnoreFile,
};

const NEEDS_SLOW_COMPARE = /[\ud800-\uffff]/;

/** Sorts `[key, payload]` pairs by key in UTF-8 byte order; native compare when it gives the same answer. */
export function sortByUtf8Key<T>(items: [string, T][]): void {
  const slow = items.some(([key]) => NEEDS_SLOW_COMPARE.test(key));
  if (slow) items.sort((a, b) => compareUtf8(a[0], b[0]));
  else items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Code unit `i` of the sort key `name` + (`slash` ? `/` : ``), without building the key. */
function keyCharAt(name: string, slash: boolean, i: number): number {
  return i < name.length ? name.charCodeAt(i) : slash ? 0x2f : -1;
}

/** `compareUtf8` of two listing keys (a directory's key is `name/`), allocating nothing. */
function compareKeys(a: string, aSlash: boolean, b: string, bSlash: boolean): number {
  const length = Math.min(a.length + (aSlash ? 1 : 0), b.length + (bSlash ? 1 : 0));
  for (let i = 0; i < length; i++) {
    let x = keyCharAt(a, aSlash, i);
    let y = keyCharAt(b, bSlash, i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length + (aSlash ? 1 : 0) - (b.length + (bSlash ? 1 : 0));
}

/**
 * A directory listing in walk order: by name in UTF-8 byte order, a directory sorting as `name/` (so
 * `a.c` < `a/x` < `a0`, as full paths compare). libuv already lists names in byte order, so this is
 * almost always one allocation-free pass that finds the listing in order; otherwise it sorts.
 */
export function inWalkOrder(dirents: Dirent[]): Dirent[] {
  let ordered = true;
  for (let i = 1; i < dirents.length && ordered; i++) {
    const a = dirents[i - 1] as Dirent;
    const b = dirents[i] as Dirent;
    ordered = compareKeys(a.name, a.isDirectory(), b.name, b.isDirectory()) < 0;
  }
  if (ordered) return dirents;
  const keyed: [string, Dirent][] = dirents.map((d) => [d.isDirectory() ? `${d.name}/` : d.name, d]);
  sortByUtf8Key(keyed);
  return keyed.map(([, dirent]) => dirent);
}
