/**
 * The walk stage: a depth-first crawl that yields every file of the repository (ignore rules and user
 * globs applied) and every path it could not or would not enter, as data. It holds only the directories
 * on the current path (each with its sorted listing), never the tree, and its output is in UTF-8 byte
 * order of the full path, the order `git ls-files` uses.
 */
import type { Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { GroveError, toGroveError } from '../../errors.js';
import type { WalkEntry, WalkProblem } from '../../model.js';
import { createGlobFilter, type ReadRules, rulesAboveRoot } from '../ignore-rules.js';
import { retryTransientSync } from '../transient-errors.js';
import { scannerFor } from './native-scan.js';
import { type DirFrame, openDirectory, visitEntry, type WalkContext } from './visit-entry.js';
import { defaultWalkFs, type WalkFs } from './walk-fs.js';

export interface WalkOptions {
  /** Globs relative to the root; when given, only matching files are yielded. */
  include?: string[];
  /**
   * Globs relative to the root; matching files are dropped and matching directories never entered. A
   * glob without a slash matches a base name at any depth.
   */
  exclude?: string[];
  /** Absolute paths never entered, e.g. the index directory. */
  ignoreDirs?: string[];
  signal?: AbortSignal;
  /** Directories nested deeper than this are reported as failed (`FILE_TOO_DEEP`); default 256. */
  maxDepth?: number;
  /**
   * Called for each path the walk leaves out by a rule, with the rule's source as the reason:
   * `.gitignore`, `.git/info/exclude`, `.groveignore`, `--exclude`, `index directory` or `.git`.
   * Directory paths end in `/`; nothing below an excluded directory is reported. Files dropped for not
   * matching `include` are not reported (they would be most of the tree).
   */
  onExcluded?: (path: string, reason: string) => void;
  /**
   * List directories with the native scanner when it is built (default), ahead of the walk on other
   * threads; false uses Node's calls. Either way the walk yields the same. Ignored when `deps` is given.
   */
  nativeScan?: boolean;
  /** Test seam: replaces some file-system calls (the walk then uses Node's calls, never the scanner). */
  deps?: Partial<WalkFs>;
}

/** Deep enough for any real tree, shallow enough that a path stays under PATH_MAX in practice. */
const DEFAULT_MAX_DEPTH = 256;
/** The walk's syscalls are synchronous; after this long it lets timers, I/O and other stages run. */
const SLICE_MS = 8;
/**
 * Entries handed over at once. An async hand-over per entry (a promise and microtask hops through every
 * generator layer) cost more than the stat itself. Small batches die young: 256-entry batches outlived
 * scavenges of grove's 2 MiB young generation and raised an unchanged kernel re-run's peak RSS by ~10 MiB.
 */
const MAX_BATCH = 32;
/** Visits between clock reads: a clock read per entry showed in profiles of a 78k-file walk. */
const CLOCK_EVERY = 32;

export type WalkItem = WalkEntry | WalkProblem;

/**
 * Yields the files under `root` (paths relative to it, `/`-separated) and the problems met on the way.
 * Throws `ROOT_NOT_FOUND` when root is not a directory and `ABORTED` when the signal fires.
 */
export async function* walk(root: string, options: WalkOptions = {}): AsyncGenerator<WalkItem> {
  for await (const batch of walkBatches(root, options)) {
    for (const item of batch) {
      // A batch is already walked; a consumer taking one item at a time still stops at the next one.
      throwIfAborted(options.signal);
      yield item;
    }
  }
}

/** The walk in walk order, a batch at a time: for consumers that handle most entries synchronously. */
export async function* walkBatches(root: string, options: WalkOptions = {}): AsyncGenerator<WalkItem[]> {
  const absRoot = path.resolve(root);
  const ctx = createContext(absRoot, options, true);
  try {
    yield* walkFrom(ctx, [openRoot(ctx, absRoot)], options.signal);
  } finally {
    ctx.scanner?.close();
  }
}

/**
 * Drains a stack of open directories depth-first, in batches of at most `MAX_BATCH` items, never blocking
 * for much longer than `SLICE_MS`: the walk's loop, shared with `walkPaths`.
 */
export async function* walkFrom(
  ctx: WalkContext,
  stack: DirFrame[],
  signal: AbortSignal | undefined,
): AsyncGenerator<WalkItem[]> {
  let sliceStart = performance.now();
  let visits = 0;
  let batch: WalkItem[] = [];
  while (stack.length > 0) {
    throwIfAborted(signal);
    const sliceOver = ++visits % CLOCK_EVERY === 0 && performance.now() - sliceStart > SLICE_MS;
    if (sliceOver || batch.length >= MAX_BATCH) {
      if (batch.length > 0) yield batch;
      batch = [];
      if (sliceOver) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.names.length) {
      stack.pop();
      continue;
    }
    const step = visitEntry(ctx, frame);
    if (step === null) continue;
    if ('names' in step) stack.push(step);
    else batch.push(step);
  }
  if (batch.length > 0) yield batch;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new GroveError('ABORTED', 'The walk was aborted.', undefined, { cause: signal.reason });
  }
}

/**
 * The walk's shared state. `listAhead` gives it a native scanner (when built, allowed by the options and
 * no test seam replaces file-system calls): for walks of whole trees, which must close it.
 */
export function createContext(absRoot: string, options: WalkOptions, listAhead = false): WalkContext {
  const fs = withTransientRetry({ ...defaultWalkFs, ...options.deps });
  let realRoot: string;
  try {
    realRoot = fs.realpath(absRoot);
  } catch (error) {
    const message = `Cannot walk ${absRoot}: it does not exist.`;
    throw new GroveError('ROOT_NOT_FOUND', message, { root: absRoot }, { cause: error });
  }
  const readRules: ReadRules = (file) => {
    try {
      return fs.readIgnoreFile(file);
    } catch {
      // An unreadable rule file counts as empty; the walk still yields it, so its failure gets recorded.
      return '';
    }
  };
  const exists = (file: string) => {
    try {
      fs.stat(file);
      return true;
    } catch {
      return false;
    }
  };
  return {
    fs,
    realRoot,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    include: createGlobFilter(options.include),
    exclude: createGlobFilter(options.exclude),
    ignoreDirs: new Set((options.ignoreDirs ?? []).map((dir) => path.resolve(dir))),
    aboveRoot: rulesAboveRoot(readRules, exists, realRoot),
    readRules,
    scanner: listAhead ? scannerFor(absRoot, options.nativeScan !== false && !options.deps) : null,
    visited: new Map(),
    onExcluded: options.onExcluded ?? null,
  };
}

/** EMFILE, EAGAIN and EBUSY are retried (briefly, blocking): a directory is never lost to a passing error. */
function withTransientRetry(fs: WalkFs): WalkFs {
  return {
    readdir: (dir) => retryTransientSync(() => fs.readdir(dir)),
    stat: (file) => retryTransientSync(() => fs.stat(file)),
    realpath: (file) => retryTransientSync(() => fs.realpath(file)),
    readIgnoreFile: (file) => retryTransientSync(() => fs.readIgnoreFile(file)),
  };
}

export function openRoot(ctx: WalkContext, absRoot: string): DirFrame {
  let st: Stats;
  try {
    st = ctx.fs.stat(absRoot);
  } catch (error) {
    const message = `Cannot walk ${absRoot}: it does not exist.`;
    throw new GroveError('ROOT_NOT_FOUND', message, { root: absRoot }, { cause: error });
  }
  if (!st.isDirectory()) {
    throw new GroveError('ROOT_NOT_FOUND', `Cannot walk ${absRoot}: it is not a directory.`, {
      root: absRoot,
    });
  }
  try {
    return openDirectory(ctx, absRoot, '', st, null, ctx.scanner?.rootJob(absRoot) ?? -1);
  } catch (error) {
    throw toGroveError(error, { path: absRoot });
  }
}
