/**
 * The walk's per-entry decisions: what one directory entry becomes (a file, a problem, a directory to
 * enter, or nothing when rules drop it) and how a directory is opened (sorted listing, ignore rules,
 * loop bookkeeping). Kept apart from `walk.ts`, which only drives the traversal.
 */
import type { Stats } from 'node:fs';
import type { WalkEntry, WalkProblem } from '../../model.js';
import {
  type IgnoreFrame,
  ignoredBy,
  isIgnored,
  type PathFilter,
  type ReadRules,
  rulesForDirectory,
} from '../ignore-rules.js';
import { DIR, FILE, LINK, listDirectory, OTHER, UNKNOWN } from './list-directory.js';
import type { DirectoryScanner } from './native-scan.js';
import type { WalkFs } from './walk-fs.js';
import {
  type DirIdentity,
  entryFromListing,
  failed,
  identityFromListing,
  skipped,
  toEntry,
  tooDeep,
} from './walk-records.js';

/** A directory on the current path, with its sorted listing and a cursor into it. */
export interface DirFrame {
  abs: string;
  /** Relative to the root, `''` for the root itself. */
  rel: string;
  depth: number;
  names: string[];
  kinds: Uint8Array;
  /** Each entry's lstat (size, mtimeMs, ino, dev) when the native scanner listed it, else null. */
  stats: Float64Array | null;
  /** Each subdirectory's scan job (listed ahead), else -1; null when Node listed the directory. */
  jobs: Int32Array | null;
  next: number;
  ignore: IgnoreFrame | null;
  /** Inside a git work tree, where `.gitignore` files count. */
  inGit: boolean;
  dev: number;
  ino: number;
  parent: DirFrame | null;
}

export interface WalkContext {
  fs: WalkFs;
  realRoot: string;
  maxDepth: number;
  include: PathFilter | null;
  exclude: PathFilter | null;
  ignoreDirs: ReadonlySet<string>;
  /** Rules from directories above the root, when it sits inside a git work tree. */
  aboveRoot: { frame: IgnoreFrame | null; inGit: boolean };
  readRules: ReadRules;
  /** Lists directories natively, ahead of the walk on other threads; null to use Node's calls. */
  scanner: DirectoryScanner | null;
  /**
   * Every directory entered (dev -> inodes), so a link to a directory already walked is not walked again:
   * without it, a few directories of links to each other's parents walk an exponential number of paths.
   */
  visited: Map<number, Set<number>>;
  /** Told about every path left out by a rule (see `WalkOptions.onExcluded`); null when nobody asks. */
  onExcluded: ((path: string, reason: string) => void) | null;
}

/** The walk's kind code for an lstat result (what a directory listing's Dirent would say). */
export function entryKind(st: Stats): number {
  return st.isFile() ? FILE : st.isDirectory() ? DIR : st.isSymbolicLink() ? LINK : OTHER;
}

/** What the entry at `frame.next` becomes; advances the cursor. */
export function visitEntry(ctx: WalkContext, frame: DirFrame): DirFrame | WalkEntry | WalkProblem | null {
  const index = frame.next++;
  const name = frame.names[index]!;
  const kind = frame.kinds[index]!;
  const rel = frame.rel === '' ? name : `${frame.rel}/${name}`;
  const abs = `${frame.abs}/${name}`;
  // The repository's own metadata, at any level (submodules, nested checkouts), is not content. Links are
  // judged as files, as git stores them.
  if (name === '.git') return excluded(ctx, rel, kind === DIR, '.git');
  if (isIgnored(frame.ignore, rel, kind === DIR)) {
    dropJob(ctx, frame, index);
    return excludedByRules(ctx, frame, rel, kind === DIR);
  }
  if (kind === DIR) {
    const step = visitDirectory(ctx, frame, rel, abs, null, index);
    if (step === null || !('names' in step)) dropJob(ctx, frame, index);
    return step;
  }
  if (ctx.exclude?.(rel)) return excluded(ctx, rel, false, '--exclude');
  const included = !ctx.include || ctx.include(rel);
  if (kind === OTHER) return included ? skipped(rel, 'not-a-regular-file') : null;
  // An entry the scanner could not lstat (it vanished since the listing, say) is judged as a file.
  if ((kind === FILE || kind === UNKNOWN) && !included) return null;
  // The scanner's lstat of a regular file is its stat.
  if (kind === FILE && frame.stats !== null) return entryFromListing(rel, abs, frame.stats, index);
  try {
    const target = kind === LINK ? resolveLink(ctx, abs, rel) : abs;
    if (typeof target !== 'string') return included ? target : null;
    const st = ctx.fs.stat(abs);
    if (st.isFile()) return included ? toEntry(rel, abs, st) : null;
    if (st.isDirectory() && kind === LINK) return visitDirectory(ctx, frame, rel, abs, { st, target }, index);
    return included ? skipped(rel, 'not-a-regular-file') : null;
  } catch (error) {
    return failed(rel, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'vanished' : 'unreadable', error);
  }
}

function visitDirectory(
  ctx: WalkContext,
  frame: DirFrame,
  rel: string,
  abs: string,
  link: { st: Stats; target: string } | null,
  index: number,
): DirFrame | WalkProblem | null {
  const real = link ? link.target : `${ctx.realRoot}/${rel}`;
  if (ctx.exclude?.(rel)) return excluded(ctx, rel, true, '--exclude');
  if (ctx.ignoreDirs.has(abs) || ctx.ignoreDirs.has(real)) return excluded(ctx, rel, true, 'index directory');
  if (link && isIgnored(frame.ignore, rel, true)) return excludedByRules(ctx, frame, rel, true);
  if (frame.depth + 1 > ctx.maxDepth) return tooDeep(rel, ctx.maxDepth);
  let st: DirIdentity;
  try {
    st = link ? link.st : frame.stats ? identityFromListing(frame.stats, index) : ctx.fs.stat(abs);
  } catch (error) {
    return failed(rel, 'unreadable', error);
  }
  // A link back into its own ancestry would never end (for a real directory only a bind mount does that);
  // a link to a directory walked elsewhere would only repeat it.
  if (isAncestor(frame, st)) return skipped(rel, link ? 'symlink-loop' : 'mount-loop');
  if (link && ctx.visited.get(st.dev)?.has(st.ino)) return skipped(rel, 'symlink-duplicate');
  try {
    return openDirectory(ctx, abs, rel, st, frame, link ? -1 : (frame.jobs?.[index] ?? -1));
  } catch (error) {
    return failed(rel, 'unreadable', error);
  }
}

/**
 * Lists a directory (sorted; scan job `job` when it has one), reads its ignore rules and records it as
 * visited. Throws when unreadable.
 */
export function openDirectory(
  ctx: WalkContext,
  abs: string,
  rel: string,
  st: DirIdentity,
  parent: DirFrame | null,
  job: number,
): DirFrame {
  const { names, kinds, stats, jobs } = listDirectory(ctx.fs, ctx.scanner, abs, job);
  const inodes = ctx.visited.get(st.dev) ?? new Set<number>();
  ctx.visited.set(st.dev, inodes);
  inodes.add(st.ino);
  const gitTop = names.includes('.git');
  const inGit = (parent ? parent.inGit : ctx.aboveRoot.inGit) || gitTop;
  const inherited = parent ? parent.ignore : ctx.aboveRoot.frame;
  const ignore = rulesForDirectory(ctx.readRules, abs, rel, names, { inGit, gitTop }, inherited);
  const depth = parent ? parent.depth + 1 : 0;
  return {
    abs,
    rel,
    depth,
    names,
    kinds,
    stats,
    jobs,
    next: 0,
    ignore,
    inGit,
    dev: st.dev,
    ino: st.ino,
    parent,
  };
}

/** The link's real target, or the problem when it must not be followed; throws when it is unreadable. */
function resolveLink(ctx: WalkContext, abs: string, rel: string): string | WalkProblem {
  let target: string;
  try {
    target = ctx.fs.realpath(abs);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return skipped(rel, 'broken-symlink');
    if (errno === 'ELOOP') return skipped(rel, 'symlink-loop');
    throw error;
  }
  const { realRoot } = ctx;
  if (target !== realRoot && !target.startsWith(realRoot === '/' ? '/' : `${realRoot}/`)) {
    return skipped(rel, 'symlink-outside-root');
  }
  return target;
}

/** Tells `onExcluded` (if anyone listens) that a path was left out; directories get a trailing `/`. */
function excluded(ctx: WalkContext, rel: string, isDir: boolean, reason: string): null {
  ctx.onExcluded?.(isDir ? `${rel}/` : rel, reason);
  return null;
}

/** Like `excluded`, naming the rule file; the lookup re-tests rules, so it runs only for a listener. */
function excludedByRules(ctx: WalkContext, frame: DirFrame, rel: string, isDir: boolean): null {
  if (ctx.onExcluded === null) return null;
  return excluded(ctx, rel, isDir, ignoredBy(frame.ignore, rel, isDir) ?? 'ignore rules');
}

function isAncestor(frame: DirFrame, st: DirIdentity): boolean {
  for (let f: DirFrame | null = frame; f !== null; f = f.parent) {
    if (f.ino === st.ino && f.dev === st.dev) return true;
  }
  return false;
}

/** Forgets the scan job of the subdirectory at `index` (it will not be entered), if it has one. */
function dropJob(ctx: WalkContext, frame: DirFrame, index: number): void {
  const job = frame.jobs?.[index] ?? -1;
  if (job >= 0) ctx.scanner?.drop(job);
}
