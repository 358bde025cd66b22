/**
 * The native directory scanner (`native/scan.c`, built by `npm install` with node-gyp): a directory's
 * listing with every entry's lstat in one call, and listings of the directories ahead of the walk made on
 * background threads. The walk of the kernel's 78k files takes 150-180 ms with it and 400-490 ms with
 * Node's `readdirSync` plus `statSync`. When the addon is not built the walk uses Node's calls; the
 * answers are the same.
 */
import { availableParallelism } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { nativeAddon } from '../../native-addon.js';

/**
 * A listing in one buffer (see `native/listing.c`): entry count and whether job ids follow, then the
 * stats, the job ids, the kinds and the NUL-ended names. Or an errno.
 */
type RawListing = ArrayBuffer | number;

export interface NativeScan {
  createScanner(threads: number, heldEntryLimit: number): object;
  queue(scanner: object, path: string): number;
  take(scanner: object, id: number): RawListing;
  drop(scanner: object, id: number): void;
  scan(path: string): RawListing;
  close(scanner: object): void;
}

/** A directory's entries, each with what lstat says of it. */
export interface Listing {
  names: string[];
  /** The walk's kind codes: 1 file, 2 directory, 3 link, 4 other, 0 when the entry's lstat failed. */
  kinds: Uint8Array;
  /** `STAT_FIELDS` per entry: size, mtimeMs, ino, dev, as `fs.Stats` has them. */
  stats: Float64Array;
  /** Per entry, the scan job of a subdirectory (listed ahead of the walk), else -1; null without jobs. */
  jobs: Int32Array | null;
  /**
   * The scanner sorts in walk order (byte order, a directory as `name/`); true when that is the order of
   * the decoded names too, i.e. every name is well-formed UTF-8.
   */
  inWalkOrder: boolean;
}

export const LISTING_STAT_FIELDS = 4;

/**
 * Listings not yet taken, in entries (~60 bytes each with their names): the background threads wait past
 * this, so listing ahead of the walk costs at most ~8 MiB however big the tree. The kernel's whole tree
 * (83k entries) fits, so threads started ahead of the walk are never held back on it.
 */
const HELD_ENTRY_LIMIT = 131_072;

/** The addon (loaded once, by native-addon.ts), or null when it is not built or `GROVE_NATIVE_SCAN=0`. */
export function nativeScan(): NativeScan | null {
  if (process.env.GROVE_NATIVE_SCAN === '0') return null;
  return nativeAddon() as NativeScan | null;
}

/** An error like the one Node's `readdirSync` throws for this errno. */
function scanError(errno: number, path: string): NodeJS.ErrnoException {
  const [code, description] = getSystemErrorMap().get(-errno) ?? ['UNKNOWN', 'unknown error'];
  const error: NodeJS.ErrnoException = new Error(`${code}: ${description}, scandir '${path}'`);
  error.errno = -errno;
  error.code = code;
  error.syscall = 'scandir';
  error.path = path;
  return error;
}

const HEADER_BYTES = 16;

function toListing(raw: RawListing, path: string): Listing {
  if (typeof raw === 'number') throw scanError(raw, path);
  const [count = 0, flags = 0] = new Float64Array(raw, 0, 2);
  let at = HEADER_BYTES;
  const stats = new Float64Array(raw, at, count * LISTING_STAT_FIELDS);
  at += stats.byteLength;
  const jobs = (flags & 1) !== 0 ? new Int32Array(raw, at, count) : null;
  at += jobs === null ? 0 : jobs.byteLength;
  const kinds = new Uint8Array(raw, at, count);
  at += count;
  // The names without the last one's NUL.
  const text = count === 0 ? '' : Buffer.from(raw, at, raw.byteLength - at - 1).toString('utf8');
  const names = count === 0 ? [] : text.split('\0');
  return { names, kinds, stats, jobs, inWalkOrder: (flags & 2) !== 0 };
}

/** One walk's scanner: its threads list directories ahead until `close`. */
export class DirectoryScanner {
  readonly #native: NativeScan;
  readonly #handle: object;
  #root: { path: string; id: number } | null = null;

  constructor(
    native: NativeScan,
    threads = Math.min(3, availableParallelism() - 1),
    heldEntryLimit = HELD_ENTRY_LIMIT,
  ) {
    this.#native = native;
    this.#handle = native.createScanner(Math.max(0, threads), heldEntryLimit);
  }

  /** Files `path` as a job to take later; its subdirectories become jobs as it is listed. */
  queue(path: string): number {
    return this.#native.queue(this.#handle, path);
  }

  /** Queues the walk's root before the walk exists (see `listAhead`). */
  queueRoot(path: string): void {
    this.#root = { path, id: this.queue(path) };
  }

  /** The job of the walk's root `path`: the one `queueRoot` filed, else a new one. */
  rootJob(path: string): number {
    const root = this.#root;
    this.#root = null;
    return root?.path === path ? root.id : this.queue(path);
  }

  /** The listing of job `id` (of directory `path`), listed here when no thread has started it. */
  take(id: number, path: string): Listing {
    return toListing(this.#native.take(this.#handle, id), path);
  }

  /** The walk will not enter job `id`'s directory: it and everything listed below it are forgotten. */
  drop(id: number): void {
    this.#native.drop(this.#handle, id);
  }

  /** A listing made now on this thread, with no jobs (for a directory reached through a link). */
  scan(path: string): Listing {
    return toListing(this.#native.scan(path), path);
  }

  close(): void {
    this.#native.close(this.#handle);
  }
}

let early: { root: string; scanner: DirectoryScanner; startedAt: number } | null = null;

/**
 * Listings made longer ago than this are not handed to a walk (a run that waited for another's lock):
 * their stats would be older than the run claims to have seen.
 */
const MAX_LIST_AHEAD_AGE_MS = 2000;

/**
 * Starts listing `root` on the scanner's threads before the walk exists: `grove index` calls it before it
 * loads the pipeline and opens the index, ~80 ms before its walk starts on an unchanged kernel re-run.
 * The walk of the same root takes the scanner over (`scannerFor`). Returns it (null without the addon).
 */
export function listAhead(root: string): DirectoryScanner | null {
  const native = nativeScan();
  if (native === null) return null;
  early?.scanner.close();
  const scanner = new DirectoryScanner(native);
  scanner.queueRoot(root);
  early = { root, scanner, startedAt: Date.now() };
  return scanner;
}

/** When listing ahead for a walk of `root` began (epoch ms), or null: the walk vouches for the tree since. */
export function listedAheadSince(root: string): number | null {
  return early !== null && early.root === root ? early.startedAt : null;
}

/**
 * The scanner for a walk of `root`: the one `listAhead` started for it (unless too old), else a new one;
 * null without the addon or when `wanted` is false. A scanner started for another root is closed.
 */
export function scannerFor(
  root: string,
  wanted: boolean,
  maxAgeMs = MAX_LIST_AHEAD_AGE_MS,
): DirectoryScanner | null {
  const started = early;
  early = null;
  const fresh = started !== null && Date.now() - started.startedAt <= maxAgeMs;
  if (started !== null && started.root === root && wanted && fresh) return started.scanner;
  started?.scanner.close();
  const native = wanted ? nativeScan() : null;
  return native === null ? null : new DirectoryScanner(native);
}
