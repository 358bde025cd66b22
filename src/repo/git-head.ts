import { execFileSync } from 'node:child_process';

/** The checked-out commit of `root`, or null when it is not a git work tree (or git is missing). */
export function gitHead(root: string): string | null {
  try {
    const out = execFileSync('git', ['-C', root, 'rev-parse', '--verify', '-q', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    });
    return /^[0-9a-f]{40,64}$/.test(out.trim()) ? out.trim() : null;
  } catch {
    return null;
  }
}
