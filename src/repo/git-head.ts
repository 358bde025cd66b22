import { execFile } from 'node:child_process';

/**
 * The checked-out commit of `root`, or null when it is not a git work tree (or git is missing). Asynchronous
 * so that a run can ask at its start and get the answer at its end without waiting for git (~10-35 ms).
 */
export function gitHead(root: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', root, 'rev-parse', '--verify', '-q', 'HEAD'],
      { encoding: 'utf8', timeout: 5_000 },
      (error, stdout) => {
        const out = stdout.trim();
        resolve(error === null && /^[0-9a-f]{40,64}$/.test(out) ? out : null);
      },
    );
  });
}
