/**
 * A directory's listing in walk order, from the native scanner (with every entry's lstat, and the scan
 * jobs of its subdirectories) or from Node's `readdirSync` (names and kinds only).
 */
import type { Dirent } from 'node:fs';
import { compareUtf8 } from '../../store/path-order.js';
import { type DirectoryScanner, LISTING_STAT_FIELDS } from './native-scan.js';
import type { WalkFs } from './walk-fs.js';

export const UNKNOWN = 0;
export const FILE = 1;
export const DIR = 2;
export const LINK = 3;
export const OTHER = 4;

/** A listing in walk order; `stats` and `jobs` are null when Node listed it. */
export interface WalkListing {
  names: string[];
  kinds: Uint8Array;
  stats: Float64Array | null;
  jobs: Int32Array | null;
}

/**
 * Lists `abs`: the scanner's job `job` when there is one, a scan made now when the scanner has no job for
 * it (a directory reached through a link), else Node's listing. Throws as `readdirSync` does.
 */
export function listDirectory(
  fs: WalkFs,
  scanner: DirectoryScanner | null,
  abs: string,
  job: number,
): WalkListing {
  if (scanner !== null) {
    const listing = job >= 0 ? scanner.take(job, abs) : scanner.scan(abs);
    if (listing.inWalkOrder) return listing;
    // A name that is not UTF-8 was decoded with U+FFFD and so names no file: this directory's entries are
    // stat'ed by path, as with Node's listing, which fails such a name as vanished.
    return inWalkOrder({ ...listing, stats: null });
  }
  const dirents = fs.readdir(abs);
  const names: string[] = new Array(dirents.length);
  const kinds = new Uint8Array(dirents.length);
  for (let i = 0; i < dirents.length; i++) {
    const dirent = dirents[i] as Dirent;
    names[i] = dirent.name;
    kinds[i] = dirent.isFile() ? FILE : dirent.isDirectory() ? DIR : dirent.isSymbolicLink() ? LINK : OTHER;
  }
  return inWalkOrder({ names, kinds, stats: null, jobs: null });
}

/**
 * The listing in walk order: by name in UTF-8 byte order, a directory sorting as `name/` (so `a.c` <
 * `a/x` < `a0`, as full paths compare). Listings come in byte order of name already, so this is almost
 * always one allocation-free pass that finds the listing in order.
 */
export function inWalkOrder(listing: WalkListing): WalkListing {
  const { names, kinds } = listing;
  for (let i = 1; i < names.length; i++) {
    const a = names[i - 1] as string;
    const b = names[i] as string;
    if (compareKeys(a, kinds[i - 1] === DIR, b, kinds[i] === DIR) >= 0) return reordered(listing);
  }
  return listing;
}

function reordered({ names, kinds, stats, jobs }: WalkListing): WalkListing {
  const keyed: [string, number][] = names.map((name, at) => [kinds[at] === DIR ? `${name}/` : name, at]);
  sortByUtf8Key(keyed);
  const order = keyed.map(([, at]) => at);
  let sortedStats: Float64Array | null = null;
  if (stats !== null) {
    sortedStats = new Float64Array(stats.length);
    const width = LISTING_STAT_FIELDS;
    for (let to = 0; to < order.length; to++) {
      const from = order[to] as number;
      sortedStats.set(stats.subarray(from * width, (from + 1) * width), to * width);
    }
  }
  return {
    names: order.map((at) => names[at] as string),
    kinds: Uint8Array.from(order, (at) => kinds[at] as number),
    stats: sortedStats,
    jobs: jobs === null ? null : Int32Array.from(order, (at) => jobs[at] as number),
  };
}

const NEEDS_SLOW_COMPARE = /[\ud800-\uffff]/;

/** Sorts `[key, payload]` pairs by key in UTF-8 byte order; native compare when it gives the same answer. */
function sortByUtf8Key<T>(items: [string, T][]): void {
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
