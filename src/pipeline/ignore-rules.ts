/**
 * Git's ignore semantics for a top-down walk: one frame per directory that holds ignore files, linked to
 * the frame of its nearest ancestor. A path is decided by the deepest frame with an opinion, as git lets a
 * deeper `.gitignore` override a shallower one; within a directory `.groveignore` comes after
 * `.gitignore` (so it can negate it) and `.git/info/exclude` comes first at a work tree's top.
 *
 * Like ripgrep, `.gitignore` and `.git/info/exclude` count only inside a git work tree: a source tarball
 * often ships a packager's `.gitignore` (Debian's kernel source ignores `/*`) that says nothing about
 * what the tree holds. `.groveignore` always counts.
 */

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type IgnoreModule from 'ignore';
import type { Ignore } from 'ignore';
import { globMatcher } from '../globs.js';

/** Required, not imported: see `Database` in store/open-database.ts (ESM lexes a CommonJS package first). */
const ignore = createRequire(import.meta.url)('ignore') as typeof IgnoreModule;

/** git's default follows the file system: case-insensitive where the usual file system is. */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * `ignore` memoizes every path it has tested and never forgets; after this many tests a frame swaps in a
 * fresh instance sharing the same compiled rules, so a million-file walk does not grow a million-entry cache.
 */
const TEST_CACHE_LIMIT = 4096;

export interface IgnoreFrame {
  /** The directory the rules belong to, relative to the root (`''` for the root), no trailing slash. */
  readonly dir: string;
  /**
   * For the rules of a directory above the root (the root sits inside a git work tree): the path from
   * that directory down to the root, with a trailing slash; `''` otherwise.
   */
  readonly prefix: string;
  readonly parent: IgnoreFrame | null;
  matcher: Ignore;
  tests: number;
  /** Each rule file's name (`.gitignore`...) and text, in precedence order, to say which one matched. */
  readonly origins: readonly RuleOrigin[];
  /** One matcher per origin, built only when someone asks which file decided (see `ignoredBy`). */
  perOrigin: Ignore[] | null;
}

export interface RuleOrigin {
  name: string;
  text: string;
}

/**
 * A frame for `dir` from the text of its ignore files (in precedence order), or `parent` unchanged when
 * they hold no rule, so directories without ignore files cost nothing per tested path. `names` label the
 * sources (same order) for `ignoredBy`; unnamed sources are reported as `ignore rules`.
 */
export function createIgnoreFrame(
  dir: string,
  sources: readonly string[],
  parent: IgnoreFrame | null,
  prefix = '',
  names: readonly string[] = [],
): IgnoreFrame | null {
  const matcher = ignore({ ignorecase: IGNORE_CASE });
  let any = false;
  for (const text of sources) {
    matcher.add(text);
    any ||= hasRules(text);
  }
  if (!any) return parent;
  const origins = sources.map((text, i) => ({ name: names[i] ?? 'ignore rules', text }));
  return { dir, prefix, parent, matcher, tests: 0, origins, perOrigin: null };
}

/** Whether the text has a line that could be a rule (not blank, not a comment): cheap and conservative. */
function hasRules(text: string): boolean {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return true;
  }
  return false;
}

/**
 * Whether `path` (relative to the root) is ignored. The walk never enters an ignored directory, so only
 * the path's own name needs deciding: git cannot re-include a file below an excluded directory anyway.
 */
export function isIgnored(frame: IgnoreFrame | null, path: string, isDir: boolean): boolean {
  for (let f = frame; f !== null; f = f.parent) {
    let relative = f.prefix + (f.dir === '' ? path : path.slice(f.dir.length + 1));
    if (isDir) relative += '/';
    if (++f.tests > TEST_CACHE_LIMIT) {
      f.matcher = ignore({ ignorecase: IGNORE_CASE }).add(f.matcher);
      f.tests = 0;
    }
    const result = f.matcher.test(relative);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

/**
 * The name of the rule file that ignores `path` (`.gitignore`, `.git/info/exclude`, `.groveignore`), or
 * null when it is not ignored. Decides as `isIgnored` does, then re-tests only the deciding frame's files
 * one by one: the last file that ignores the path on its own holds the last matching rule, which is the
 * rule git reports. Costs nothing until called, so the walk calls it only for a caller that asks why.
 */
export function ignoredBy(frame: IgnoreFrame | null, path: string, isDir: boolean): string | null {
  for (let f = frame; f !== null; f = f.parent) {
    let relative = f.prefix + (f.dir === '' ? path : path.slice(f.dir.length + 1));
    if (isDir) relative += '/';
    const result = f.matcher.test(relative);
    if (result.ignored) {
      f.perOrigin ??= f.origins.map((o) => ignore({ ignorecase: IGNORE_CASE }).add(o.text));
      for (let i = f.origins.length - 1; i >= 0; i--) {
        if (f.perOrigin[i]!.test(relative).ignored) return f.origins[i]!.name;
      }
      return 'ignore rules';
    }
    if (result.unignored) return null;
  }
  return null;
}

export type PathFilter = (path: string) => boolean;

/**
 * A matcher for user globs (relative to the root). A pattern without a slash matches the base name at any
 * depth, as in `.gitignore`, so `--exclude '*.min.js'` means what people expect. Null when no globs.
 */
export function createGlobFilter(globs: readonly string[] | undefined): PathFilter | null {
  if (!globs || globs.length === 0) return null;
  return globMatcher(globs as string[], { dot: true, basename: true });
}

/** Reads a rule file's text; `''` when it is missing or unreadable. */
export type ReadRules = (absPath: string) => string;

/**
 * The frame for a directory being entered, from its rule files (`names` is its listing), or `inherited`
 * when it adds none. `inGit`: the directory is inside a git work tree; `gitTop`: it is the tree's top.
 */
export function rulesForDirectory(
  read: ReadRules,
  absDir: string,
  relDir: string,
  names: readonly string[],
  git: { inGit: boolean; gitTop: boolean },
  inherited: IgnoreFrame | null,
): IgnoreFrame | null {
  const sources: string[] = [];
  const origins: string[] = [];
  const add = (name: string) => {
    sources.push(read(`${absDir}/${name}`));
    origins.push(name);
  };
  if (git.gitTop) add('.git/info/exclude');
  if (git.inGit && names.includes('.gitignore')) add('.gitignore');
  if (names.includes('.groveignore')) add('.groveignore');
  return sources.length === 0 ? inherited : createIgnoreFrame(relDir, sources, inherited, '', origins);
}

/** Rule files of a directory above the root, in precedence order; the work tree's top adds its exclude. */
const ABOVE_ROOT_FILES = ['.gitignore', '.groveignore'];
const ABOVE_ROOT_TOP_FILES = ['.git/info/exclude', ...ABOVE_ROOT_FILES];

/**
 * When the root sits below the top of a git work tree, the rule files of the directories in between
 * apply to it too, as in git. Returns their frames and whether the root is in a work tree at all.
 */
export function rulesAboveRoot(
  read: ReadRules,
  exists: (absPath: string) => boolean,
  realRoot: string,
): { frame: IgnoreFrame | null; inGit: boolean } {
  let top: string | null = null;
  for (let dir = realRoot; ; dir = dirname(dir)) {
    if (exists(`${dir === '/' ? '' : dir}/.git`)) {
      top = dir;
      break;
    }
    if (dir === dirname(dir)) break;
  }
  if (top === null) return { frame: null, inGit: false };
  let frame: IgnoreFrame | null = null;
  const below = top === realRoot ? [] : realRoot.slice(top === '/' ? 1 : top.length + 1).split('/');
  let dir = top;
  for (let i = 0; i < below.length; i++) {
    const names = i === 0 ? ABOVE_ROOT_TOP_FILES : ABOVE_ROOT_FILES;
    const sources = names.map((name) => read(`${dir}/${name}`));
    frame = createIgnoreFrame('', sources, frame, `${below.slice(i).join('/')}/`, names);
    dir = `${dir === '/' ? '' : dir}/${below[i]}`;
  }
  return { frame, inGit: true };
}
