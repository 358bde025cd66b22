/**
 * `grove serve`: runs the daemon in the foreground (one JSON line on stdout once it listens, logs on
 * stderr; SIGTERM or SIGINT stop it gracefully), or with `--detach` in the background (its log next to
 * the socket) and returns once it answers.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { daemonFilePath, resolveDaemonConfig } from '../../config/daemon-config.js';
import { GroveError } from '../../errors.js';
import { Daemon } from '../../server/daemon.js';
import { DaemonClient } from '../../server/daemon-client.js';
import type { CommandIo } from '../command-io.js';

/** How long `--detach` waits for the background daemon to answer before giving up. */
const DETACH_READY_TIMEOUT_MS = 15_000;
const DETACH_POLL_MS = 50;

export async function runServeCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      socket: { type: 'string' },
      http: { type: 'string' },
      token: { type: 'string' },
      'max-memory': { type: 'string' },
      'idle-evict': { type: 'string' },
      debounce: { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
      'query-threads': { type: 'string' },
      'index-dir': { type: 'string', multiple: true },
      detach: { type: 'boolean', default: false },
    },
  });
  const number = (value: string | undefined, option: string) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new GroveError('USAGE', `${option} needs a number, got "${value}"`);
    return parsed;
  };
  const idleSeconds = number(values['idle-evict'], '--idle-evict');
  const config = resolveDaemonConfig({
    ...(values.socket !== undefined ? { socket: values.socket } : {}),
    ...(values.http !== undefined ? { httpPort: number(values.http, '--http') } : {}),
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(values['max-memory'] !== undefined ? { maxMemory: values['max-memory'] } : {}),
    ...(idleSeconds !== undefined ? { idleEvictMs: Math.round(idleSeconds * 1000) } : {}),
    ...(values.debounce !== undefined ? { debounceMs: number(values.debounce, '--debounce') } : {}),
    watch: !values['no-watch'],
    ...(values['query-threads'] !== undefined
      ? { queryThreads: number(values['query-threads'], '--query-threads') }
      : {}),
    indexDirs: parseIndexDirs(values['index-dir'] ?? [], io.cwd),
  });
  if (values.detach) return detach(args, config.socketPath, io);

  const daemon = await Daemon.start(config, (message) => io.err(`grove serve: ${message}\n`));
  const stop = () => void daemon.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  io.out(`${JSON.stringify({ event: 'listening', ...daemon.info })}\n`);
  await daemon.stopped;
  io.err('grove serve: stopped\n');
  // The watcher's native threads may keep the loop alive a moment longer; the daemon is done.
  process.exit(0);
}

/** `--index-dir ROOT=DIR`: the index of ROOT lives in DIR instead of ROOT/.grove. */
function parseIndexDirs(values: string[], cwd: string): Record<string, string> {
  const dirs: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw new GroveError('USAGE', `--index-dir needs ROOT=DIR, got "${value}"`);
    dirs[resolve(cwd, value.slice(0, at))] = resolve(cwd, value.slice(at + 1));
  }
  return dirs;
}

async function detach(args: string[], socketPath: string, io: CommandIo): Promise<number> {
  const log = openSync(daemonFilePath(socketPath, 'log'), 'a', 0o600);
  const child = spawn(process.argv[1]!, ['serve', ...args.filter((arg) => arg !== '--detach')], {
    cwd: io.cwd,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  const deadline = Date.now() + DETACH_READY_TIMEOUT_MS;
  while (Date.now() < deadline && exited === null) {
    const client = await DaemonClient.tryConnect(socketPath);
    if (client) {
      const status = (await client.call('status')) as { pid: number };
      client.close();
      io.out(`${JSON.stringify({ event: 'detached', pid: status.pid, socket: socketPath })}\n`);
      return 0;
    }
    await sleep(DETACH_POLL_MS);
  }
  throw new GroveError(
    'DAEMON_NOT_RUNNING',
    `the background daemon did not start; see ${daemonFilePath(socketPath, 'log')}`,
  );
}
