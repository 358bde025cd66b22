/** How grove talks to git about one source: safe settings on every command, coded failures, ref resolution. */
import path from 'node:path';
import { type ErrorCode, GroveError } from '../errors.js';
import { isRemoteUrl, redactText, redactUrl } from './git-url.js';
import { type GitResult, runGit } from './run-git.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000; // generous for a first clone on a slow link, still ends a stalled one
/** Full SHA-1 or SHA-256 object names: a shallow fetch cannot resolve an abbreviated one on the remote. */
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const ABBREVIATED_SHA = /^[0-9a-f]{4,63}$/i;
/** Characters of git's stderr kept in a message: the end of it says why, the rest is progress noise. */
const MESSAGE_STDERR_CHARS = 2_000;

/** `-c` settings on every command: the cloned content must never make git run or fetch anything else. */
const SAFE_CONFIG = [
  ['core.hooksPath', '/dev/null'], // no hook runs, whatever a template or global config installed
  ['submodule.recurse', 'false'], // a cloned .gitmodules must not send git to other URLs
  ['fetch.recurseSubmodules', 'false'],
  ['advice.detachedHead', 'false'], // cache checkouts are always detached; the advice is noise in errors
  ['gc.autoDetach', 'false'], // an auto gc finishes inside our command: nothing writes to the cache later
  ['init.defaultBranch', 'grove'], // silences init's hint; the checkout is detached anyway
].flatMap(([key, value]) => ['-c', `${key}=${value}`]);

export interface Target {
  /** What `git fetch` is asked for: a full ref name, HEAD, or a commit SHA. */
  fetchSpec: string;
  /** The commit the remote advertises for it, when known before fetching. */
  commit: string | null;
  isCommit: boolean;
}

export interface Session {
  /** Redacted, for messages. */
  url: string;
  /** What git fetches from: the URL, or an absolute path (commands run in other directories). */
  remote: string;
  tryRun(args: string[]): Promise<GitResult>;
  run(args: string[], step: string, code?: ErrorCode): Promise<GitResult>;
  failure(result: GitResult, step: string, code: ErrorCode): GroveError;
}

/**
 * Binds the source URL, signal and timeout to every git command, and turns a failing command into a GroveError
 * whose message carries the redacted URL and git's redacted stderr.
 */
export function createSession(
  url: string,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Session {
  const redacted = redactUrl(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const failure = (result: GitResult, step: string, code: ErrorCode): GroveError => {
    const stderr = redactText(result.stderr, url).trim();
    const tail = stderr.length > MESSAGE_STDERR_CHARS ? `...${stderr.slice(-MESSAGE_STDERR_CHARS)}` : stderr;
    const what = result.timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)} s`
      : `failed (exit status ${result.status})`;
    return new GroveError(
      result.timedOut ? 'GIT_CLONE_FAILED' : code,
      `git ${step} ${what} for ${redacted}${tail === '' ? '.' : `: ${tail}`}`,
      { url: redacted, step, status: result.status, stderr: tail },
    );
  };
  const tryRun = (args: string[]): Promise<GitResult> =>
    runGit([...SAFE_CONFIG, ...args], { signal: options.signal, timeoutMs });
  return {
    url: redacted,
    remote: isRemoteUrl(url) ? url : path.resolve(url),
    tryRun,
    failure,
    async run(args, step, code = 'GIT_CLONE_FAILED') {
      const result = await tryRun(args);
      if (result.status !== 0) throw failure(result, step, code);
      return result;
    },
  };
}

/** Explicit repository paths: never let git discover an enclosing repository when the cache is damaged. */
export function inRepo(dir: string): string[] {
  return [`--git-dir=${path.join(dir, '.git')}`, `--work-tree=${dir}`];
}

/** `ls-remote` lines as ref name -> object name (the `ref: X\tHEAD` symref line under the key `ref:HEAD`). */
function parseLsRemote(stdout: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [left = '', name = ''] = line.split('\t');
    if (left.startsWith('ref: ')) refs.set(`ref:${name}`, left.slice('ref: '.length));
    else if (name !== '') refs.set(name, left);
  }
  return refs;
}

/** Asks the remote what `ref` names, so that an unknown ref is told apart by exit status, not by message. */
export async function resolveTarget(s: Session, ref: string | undefined): Promise<Target> {
  if (ref === undefined) {
    const refs = parseLsRemote(
      (await s.run(['ls-remote', '--symref', '--', s.remote, 'HEAD'], 'ls-remote')).stdout,
    );
    const commit = refs.get('HEAD');
    if (commit === undefined) {
      throw new GroveError('GIT_REF_NOT_FOUND', `${s.url} has no default branch (HEAD): is it empty?`, {
        url: s.url,
      });
    }
    return { fetchSpec: refs.get('ref:HEAD') ?? 'HEAD', commit, isCommit: false };
  }
  // Branches before tags, as `git clone --branch` looks them up.
  const names = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  const peeled = names.map((name) => `${name}^{}`); // an annotated tag's commit, not the tag object
  const result = await s.tryRun(['ls-remote', '--exit-code', '--', s.remote, ...names, ...peeled]);
  const NO_MATCHING_REFS = 2; // documented meaning of ls-remote --exit-code's status 2
  if (result.status !== 0 && result.status !== NO_MATCHING_REFS)
    throw s.failure(result, 'ls-remote', 'GIT_CLONE_FAILED');
  const refs = parseLsRemote(result.stdout);
  for (const name of names) {
    const commit = refs.get(`${name}^{}`) ?? refs.get(name);
    if (commit !== undefined) return { fetchSpec: name, commit, isCommit: false };
  }
  if (FULL_SHA.test(ref)) return { fetchSpec: ref.toLowerCase(), commit: ref.toLowerCase(), isCommit: true };
  const shaNote = ABBREVIATED_SHA.test(ref) ? ' (a commit must be given as its full SHA)' : '';
  throw new GroveError('GIT_REF_NOT_FOUND', `No branch or tag '${ref}' in ${s.url}${shaNote}.`, {
    url: s.url,
    ref,
  });
}
