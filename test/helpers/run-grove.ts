/**
 * Runs the built `grove` CLI as a child process, as a user would, and samples the child's peak RSS from
 * the kernel (VmHWM: worker threads live in the same process, so this is the whole tree).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GROVE_BIN = fileURLToPath(new URL('../../bin/grove.js', import.meta.url));

/**
 * `permissionBitsApply` as root: grove keeps uid 0 but loses the capabilities that let root ignore permission bits,
 * so a `chmod 000` file is unreadable to it as to any user. Running it as another user instead needs a
 * checkout that user can reach, which a clone inside a 0700 directory is not. setpriv (util-linux)
 * execs the command, so the pid sampled stays grove's.
 */
const SETPRIV = 'setpriv';
const WITHOUT_FILE_OVERRIDE = ['--bounding-set=-dac_override,-dac_read_search', '--'];

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export interface GroveRun {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssBytes: number;
  /** The most file descriptors the process held at once (sampled). */
  peakOpenFiles: number;
}

function readHwm(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

export function runGrove(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    maxOpenFiles?: number;
    permissionBitsApply?: boolean;
  } = {},
): Promise<GroveRun> {
  return new Promise((resolve, reject) => {
    // Run through its shebang, exactly as `grove` runs for a user (V8 flags included); a descriptor limit
    // is set by a shell that then becomes grove (exec), so the pid sampled is grove's.
    const limit = options.maxOpenFiles;
    const [command, commandArgs] =
      limit === undefined
        ? [GROVE_BIN, args]
        : ['bash', ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, GROVE_BIN, ...args]];
    const [program, programArgs] =
      options.permissionBitsApply && isRoot()
        ? [SETPRIV, [...WITHOUT_FILE_OVERRIDE, command, ...commandArgs]]
        : [command, commandArgs];
    const child = spawn(program, programArgs, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let peakOpenFiles = 0;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const sampler = setInterval(() => {
      if (!child.pid) return;
      peak = Math.max(peak, readHwm(child.pid));
      peakOpenFiles = Math.max(peakOpenFiles, openFiles(child.pid));
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      resolve({ code, stdout, stderr, peakRssBytes: peak, peakOpenFiles });
    });
  });
}

/** The parsed NDJSON lines of `grove index --json`. */
export function ndjson(stdout: string): Array<Record<string, unknown> & { type: string }> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
