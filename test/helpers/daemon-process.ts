/** Starts a real `grove serve` process for a test and talks to it over its real socket. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DaemonClient } from '../../src/server/daemon-client.js';
import { GROVE_BIN } from './run-grove.js';

export interface DaemonInfo {
  pid: number;
  socket: string;
  http: number | null;
  tokenFile: string | null;
}

export interface DaemonProcess {
  child: ChildProcess;
  info: DaemonInfo;
  stderr(): string;
  client(): Promise<DaemonClient>;
  /** One request on a fresh connection. */
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  /** Sends a signal and resolves with the exit code. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function startDaemon(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DaemonProcess> {
  const child = spawn(GROVE_BIN, ['serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      const info = JSON.parse(line) as DaemonInfo;
      const client = () => DaemonClient.connect(info.socket);
      resolve({
        child,
        info,
        stderr: () => stderr,
        client,
        call: async (method, params) => {
          const connection = await client();
          try {
            return await connection.call(method, params);
          } finally {
            connection.close();
          }
        },
        kill: (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`grove serve exited (${code}) before listening: ${stderr}`)));
  });
}

/** Polls `probe` until it returns true (a watcher batch landing); fails after `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a process runs (a zombie, exited but not yet reaped by its new parent, does not). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
