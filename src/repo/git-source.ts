import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GroveError, toGroveError } from '../errors.js';
import { createSession, inRepo, resolveTarget, type Session, type Target } from './git-session.js';
import { cacheKeyFor, redactUrl } from './git-url.js';

export { isGitUrl, redactUrl } from './git-url.js';

/** Options for {@link materializeGitSource}. */
export interface GitSourceOptions {
  /** A branch, tag, full ref name (`refs/...`) or full commit SHA; default: the remote's default branch. */
  ref?: string;
  /** Where checkouts live; default {@link defaultCacheDir}. */
  cacheDir?: string;
  /** Kills git and rejects with ABORTED. */
  signal?: AbortSignal;
  /** Commits of history to fetch; default 1 (the indexer needs one tree, not history). */
  depth?: number;
  /** Per git command; default 10 minutes. */
  timeoutMs?: number;
}

/** A checkout ready to index. */
export interface GitSource {
  /** The checkout directory to index. */
  root: string;
  /** The checked-out commit. */
  commit: string;
  /** The source URL with credentials redacted. */
  url: string;
  fetched: 'cloned' | 'updated' | 'unchanged';
}

const DEFAULT_DEPTH = 1; // one tree is all the indexer reads: the smallest transfer
/** What `git check-ref-format` refuses, plus a leading `-` so that a ref can never read as an option. */
const INVALID_REF = /[\p{Cc}\s~^:?*[\\]|\.\.|@\{|\/\/|^[-/.]|[/.]$|\.lock$/u;
/** Temporary clones are named `.KEY.tmp-PID-RANDOM` next to the final directory, so a rename is atomic. */
const TEMP_INFIX = '.tmp-';

/** $GROVE_CACHE_DIR/repos, else $XDG_CACHE_HOME/grove/repos, else ~/.cache/grove/repos. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GROVE_CACHE_DIR) return path.resolve(env.GROVE_CACHE_DIR, 'repos');
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  return path.join(xdg ?? path.join(os.homedir(), '.cache'), 'grove', 'repos');
}

async function headOf(s: Session, dir: string): Promise<string | null> {
  const result = await s.tryRun([...inRepo(dir), 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return result.status === 0 ? result.stdout.trim() : null;
}

async function isCheckout(s: Session, dir: string): Promise<boolean> {
  const gitDir = await stat(path.join(dir, '.git')).catch(() => null);
  return gitDir?.isDirectory() === true && (await headOf(s, dir)) !== null;
}

/** Removes anything in the work tree that the commit does not have (build output, an interrupted checkout's leftovers). */
async function clean(s: Session, dir: string): Promise<void> {
  await s.run([...inRepo(dir), 'clean', '--quiet', '-ffdx'], 'clean');
}

async function checkoutTarget(s: Session, dir: string, target: Target, depth: number): Promise<string> {
  const fetch = ['fetch', '--quiet', '--no-tags', `--depth=${depth}`, '--', s.remote, target.fetchSpec];
  const result = await s.tryRun([...inRepo(dir), ...fetch]);
  // The remote answered ls-remote a moment ago, so a commit it will not serve is (almost always) unknown to it.
  if (result.status !== 0)
    throw s.failure(result, 'fetch', target.isCommit ? 'GIT_REF_NOT_FOUND' : 'GIT_CLONE_FAILED');
  await s.run([...inRepo(dir), 'checkout', '--quiet', '--force', '--detach', 'FETCH_HEAD'], 'checkout');
  await clean(s, dir);
  const commit = await headOf(s, dir);
  if (commit === null)
    throw new GroveError('GIT_CLONE_FAILED', `No commit checked out from ${s.url}.`, { url: s.url });
  return commit;
}

async function update(s: Session, root: string, target: Target, depth: number): Promise<GitSource> {
  const before = await headOf(s, root);
  if (before !== null && before === target.commit) {
    // Repairs an update interrupted after its checkout moved HEAD, and any edit made inside the cache.
    await s.run([...inRepo(root), 'reset', '--quiet', '--hard'], 'reset');
    await clean(s, root);
    return { root, commit: before, url: s.url, fetched: 'unchanged' };
  }
  const commit = await checkoutTarget(s, root, target, depth);
  return { root, commit, url: s.url, fetched: commit === before ? 'unchanged' : 'updated' };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** Temporary clones left by a grove process that was killed (SIGKILL, power loss) before it could remove them. */
async function removeStaleTemps(cacheDir: string, key: string): Promise<void> {
  const prefix = `.${key}${TEMP_INFIX}`;
  for (const name of await readdir(cacheDir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && isProcessAlive(pid)) continue;
    await rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

function validate(url: string, options: GitSourceOptions): number {
  const depth = options.depth ?? DEFAULT_DEPTH;
  if (url === '' || url.startsWith('-')) {
    throw new GroveError('CONFIG_INVALID', `'${redactUrl(url)}' is not a repository URL or path.`);
  }
  if (!Number.isSafeInteger(depth) || depth < 1) {
    throw new GroveError(
      'CONFIG_INVALID',
      `The clone depth must be a whole number of at least 1, not ${depth}.`,
    );
  }
  if (options.ref !== undefined && INVALID_REF.test(options.ref)) {
    throw new GroveError('CONFIG_INVALID', `'${options.ref}' is not a valid git branch, tag or commit name.`);
  }
  return depth;
}

/**
 * Shallow-clones the URL (or local repository path) into a cache directory named after a hash of the
 * credential-free URL or, when it is already there, fetches the ref and checks it out; returns the checkout.
 * A clone is built in a temporary directory and renamed into place, so a killed clone never leaves a
 * half-clone at the final path. Credentials come only from the URL, git's credential helpers or ssh keys:
 * git never prompts. Errors are GroveErrors (GIT_CLONE_FAILED, GIT_REF_NOT_FOUND, GIT_NOT_INSTALLED,
 * ABORTED, CONFIG_INVALID) whose messages carry the redacted URL, never a credential.
 */
export async function materializeGitSource(url: string, options: GitSourceOptions = {}): Promise<GitSource> {
  const depth = validate(url, options);
  const s = createSession(url, options);
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const key = cacheKeyFor(url);
  const root = path.join(cacheDir, key);
  const target = await resolveTarget(s, options.ref);
  try {
    await mkdir(cacheDir, { recursive: true });
    if (await isCheckout(s, root)) return await update(s, root, target, depth);
    await rm(root, { recursive: true, force: true }); // a damaged leftover at the final path
    await removeStaleTemps(cacheDir, key);
  } catch (error) {
    throw toGroveError(error, { path: cacheDir });
  }
  const temp = path.join(cacheDir, `.${key}${TEMP_INFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await s.run(['init', '--quiet', '--', temp], 'init');
    const commit = await checkoutTarget(s, temp, target, depth);
    await rename(temp, root);
    return { root, commit, url: s.url, fetched: 'cloned' };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    const errno = (error as NodeJS.ErrnoException).code;
    // Another grove process finished the same clone first: use its checkout.
    if ((errno === 'ENOTEMPTY' || errno === 'EEXIST') && (await isCheckout(s, root))) {
      return update(s, root, target, depth);
    }
    throw toGroveError(error, { path: root });
  }
}
