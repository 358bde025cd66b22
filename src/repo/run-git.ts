import { type ChildProcess, spawn } from 'node:child_process';
import { GroveError } from '../errors.js';

/**
 * Variables that point git at a repository other than the one named on the command line (the list of
 * `git rev-parse --local-env-vars`). They are set when grove runs inside a git hook or alias; left in
 * place, every command here would act on that repository instead of the cache.
 */
const REPOSITORY_ENV_VARS = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
];
/** After SIGTERM (which lets git delete its lock files), how long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** Output kept per stream: ls-remote answers and error messages are small; a runaway stream is cut, not buffered. */
const MAX_OUTPUT_CHARS = 256 * 1024;
/**
 * On POSIX, git runs in its own session: it has no controlling terminal, so neither git nor ssh can prompt
 * for a password or a host key (they fail instead of hanging), and the whole process group (git,
 * git-remote-https, ssh, upload-pack) can be killed at once on abort or timeout.
 */
const OWN_SESSION = process.platform !== 'win32';

export interface GitResult {
  /** git's exit status, or null when it was killed by the timeout. */
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunGitOptions {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0', // fail instead of asking for a user name or password
    GCM_INTERACTIVE: 'never', // the same for Git Credential Manager, which would open a window
  };
  for (const name of REPOSITORY_ENV_VARS) delete env[name];
  return env;
}

function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (OWN_SESSION) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone: nothing to stop.
  }
}

function append(kept: string, chunk: string): string {
  return kept.length >= MAX_OUTPUT_CHARS ? kept : (kept + chunk).slice(0, MAX_OUTPUT_CHARS);
}

/**
 * Runs `git ARGS` with an argument array (never a shell) and no stdin. Resolves with the exit status
 * (non-zero is not an exception: callers decide what a failure means) once git and every process it
 * started have exited. Rejects with ABORTED when `signal` fires and GIT_NOT_INSTALLED when there is no git.
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(new GroveError('ABORTED', 'Stopped before running git.'));
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: OWN_SESSION,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = append(stdout, chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = append(stderr, chunk);
    });
    const stop = (): void => {
      signalTree(child, 'SIGTERM');
      killTimer ??= setTimeout(() => signalTree(child, 'SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      finish();
      reject(
        error.code === 'ENOENT'
          ? new GroveError('GIT_NOT_INSTALLED', 'The git command was not found on PATH.', undefined, {
              cause: error,
            })
          : new GroveError('GIT_CLONE_FAILED', `Could not start git: ${error.message}`, undefined, {
              cause: error,
            }),
      );
    });
    // 'close' (not 'exit') waits for the output pipes, which git's helper processes hold open too.
    child.once('close', (status) => {
      finish();
      if (aborted) reject(new GroveError('ABORTED', 'Stopped while git was running.'));
      else resolve({ status: timedOut ? null : status, stdout, stderr, timedOut });
    });
  });
}
