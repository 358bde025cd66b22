/**
 * The daemon's configuration (`grove serve`, and the clients that look for it): where its socket lives,
 * its memory limit and eviction, its watcher and queue. Every default lives here with its reason.
 */
import { availableParallelism, homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { GroveError } from '../errors.js';
import { parseByteSize } from './resolve-config.js';

const MIB = 1024 * 1024;

/** The daemon's default limit: several large projects' page caches and one index run fit. */
const DEFAULT_DAEMON_MAX_MEMORY = 512 * MIB;
/** A project nobody asked about for this long gives its memory back (it reloads in milliseconds). */
const DEFAULT_IDLE_EVICT_MS = 30 * 60_000;
/**
 * Quiet time before a batch starts. @parcel/watcher delivers the first change of a burst at once and the
 * rest 50 ms after the burst's last event: waiting longer than those 50 ms makes a checkout one batch,
 * and an edit is still searchable ~100 ms after it is written.
 */
const DEFAULT_DEBOUNCE_MS = 75;
/** Index jobs waiting beyond this are refused (DAEMON_BUSY): a client flooding `index` cannot grow memory. */
const DEFAULT_MAX_QUEUED_JOBS = 64;
/** Index runs in parallel: each runs its own parse workers, and the machine has few cores to share. */
const DEFAULT_INDEX_CONCURRENCY = 1;
/**
 * Threads answering the slow reads (search, refs, map, context) beside the main thread: one per core,
 * so a hundred clients' searches use every core and never hold up the main thread's cheap answers.
 */
const DEFAULT_QUERY_THREADS = availableParallelism();
/** A request line bigger than this is refused: real requests are a few hundred bytes. */
const DEFAULT_MAX_FRAME_BYTES = 1 * MIB;
/** Eviction starts when RSS passes this share of --max-memory, leaving room for the next load. */
export const EVICT_AT_MEMORY_SHARE = 0.8;

export interface DaemonOptions {
  socket?: string;
  /** Loopback HTTP port; 0 picks a free one; undefined: no HTTP listener. */
  httpPort?: number;
  token?: string;
  maxMemory?: number | string;
  idleEvictMs?: number;
  watch?: boolean;
  debounceMs?: number;
  maxQueuedJobs?: number;
  indexConcurrency?: number;
  /** Query threads (0: every query is answered on the main thread). */
  queryThreads?: number;
  maxFrameBytes?: number;
  /** Index directories for roots whose index does not live at `<root>/.grove` (root -> dir). */
  indexDirs?: Record<string, string>;
}

export interface DaemonConfig {
  readonly socketPath: string;
  readonly httpPort: number | null;
  readonly token: string | null;
  readonly maxMemory: number;
  readonly idleEvictMs: number;
  readonly watch: boolean;
  readonly debounceMs: number;
  readonly maxQueuedJobs: number;
  readonly indexConcurrency: number;
  readonly queryThreads: number;
  readonly maxFrameBytes: number;
  readonly indexDirs: Readonly<Record<string, string>>;
}

/**
 * The socket path: `--socket`, else `$GROVE_SOCKET`, else `$XDG_RUNTIME_DIR/grove/grove.sock` (a per-user
 * tmpfs), else `$GROVE_CACHE_DIR` or `~/.cache/grove`, then `grove.sock`.
 */
export function defaultSocketPath(explicit?: string): string {
  const chosen = explicit ?? process.env.GROVE_SOCKET;
  if (chosen) return resolve(chosen);
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime && isAbsolute(runtime)) return join(runtime, 'grove', 'grove.sock');
  const cache = process.env.GROVE_CACHE_DIR ?? join(homedir(), '.cache', 'grove');
  return join(resolve(cache), 'grove.sock');
}

/** Where a detached daemon writes its log and the HTTP token: next to its socket. */
export function daemonFilePath(socketPath: string, name: 'log' | 'token'): string {
  return join(dirname(socketPath), name === 'log' ? 'grove-daemon.log' : 'grove-daemon.token');
}

export function resolveDaemonConfig(options: DaemonOptions = {}): DaemonConfig {
  const positive = (value: number | undefined, fallback: number, option: string, min = 1): number => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen < min) {
      throw new GroveError('CONFIG_INVALID', `${option} must be a whole number of at least ${min}`, {
        option,
      });
    }
    return chosen;
  };
  const httpPort = options.httpPort;
  if (httpPort !== undefined && (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65_535)) {
    throw new GroveError('CONFIG_INVALID', '--http must be a port number from 0 to 65535', {
      option: '--http',
    });
  }
  const indexDirs: Record<string, string> = {};
  for (const [root, dir] of Object.entries(options.indexDirs ?? {})) indexDirs[resolve(root)] = resolve(dir);
  return Object.freeze({
    socketPath: defaultSocketPath(options.socket),
    httpPort: httpPort ?? null,
    token: options.token ?? null,
    maxMemory: parseByteSize(
      options.maxMemory ?? process.env.GROVE_MAX_MEMORY ?? DEFAULT_DAEMON_MAX_MEMORY,
      '--max-memory',
    ),
    idleEvictMs: positive(options.idleEvictMs, DEFAULT_IDLE_EVICT_MS, '--idle-evict'),
    watch: options.watch ?? true,
    debounceMs: positive(options.debounceMs, DEFAULT_DEBOUNCE_MS, '--debounce', 0),
    maxQueuedJobs: positive(options.maxQueuedJobs, DEFAULT_MAX_QUEUED_JOBS, '--max-queued'),
    indexConcurrency: positive(options.indexConcurrency, DEFAULT_INDEX_CONCURRENCY, '--index-concurrency'),
    queryThreads: positive(options.queryThreads, DEFAULT_QUERY_THREADS, '--query-threads', 0),
    maxFrameBytes: positive(options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES, '--max-frame', 256),
    indexDirs: Object.freeze(indexDirs),
  });
}
