/**
 * The daemon (`grove serve`): one process serving many repositories over a Unix socket (mode 0600, in
 * a 0700 directory) and optionally loopback HTTP. Lifecycle: a lock file beside the socket makes a
 * second daemon refuse (DAEMON_RUNNING); a lock and socket left by a crashed daemon are recovered; stop()
 * refuses new work, lets in-flight requests and index runs finish, then closes everything.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { dirname } from 'node:path';
import { type DaemonConfig, daemonFilePath } from '../config/daemon-config.js';
import { GroveError } from '../errors.js';
import { acquireIndexLock, type IndexLock } from '../store/index-lock.js';
import { DaemonMetrics } from './daemon-metrics.js';
import { createDispatch, type Dispatch } from './handlers/dispatch.js';
import { IndexRunner } from './index-runner.js';
import { indexMemory } from './project.js';
import { ProjectRegistry } from './project-registry.js';
import { QueryPool } from './query-pool.js';
import { createHttpServer } from './transports/http-server.js';
import { createSocketServer } from './transports/socket-server.js';
import { WorkQueue } from './work-queue.js';

export interface DaemonInfo {
  pid: number;
  socket: string;
  http: number | null;
  tokenFile: string | null;
}

export class Daemon {
  readonly config: DaemonConfig;
  readonly info: DaemonInfo;
  /** Resolves once the daemon has stopped and released its socket and lock. */
  readonly stopped: Promise<void>;
  readonly #lock: IndexLock;
  readonly #socket: { server: Server; connections: Set<Socket> };
  readonly #http: HttpServer | null;
  readonly #registry: ProjectRegistry;
  readonly #queue: WorkQueue;
  readonly #indexRunner: IndexRunner;
  readonly #queryPool: QueryPool;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #startedAt = Date.now();
  #stopping: Promise<void> | null = null;
  #markStopped!: () => void;

  private constructor(
    config: DaemonConfig,
    lock: IndexLock,
    parts: {
      socket: { server: Server; connections: Set<Socket> };
      http: HttpServer | null;
      registry: ProjectRegistry;
      queue: WorkQueue;
      indexRunner: IndexRunner;
      queryPool: QueryPool;
      info: DaemonInfo;
    },
  ) {
    this.config = config;
    this.#lock = lock;
    this.#socket = parts.socket;
    this.#http = parts.http;
    this.#registry = parts.registry;
    this.#queue = parts.queue;
    this.#indexRunner = parts.indexRunner;
    this.#queryPool = parts.queryPool;
    this.info = parts.info;
    this.stopped = new Promise((resolve) => {
      this.#markStopped = resolve;
    });
  }

  /**
   * Starts serving. @throws GroveError DAEMON_RUNNING when another live daemon holds the socket's lock.
   */
  static async start(config: DaemonConfig, log: (message: string) => void): Promise<Daemon> {
    const { socketPath } = config;
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
    const lock = await acquireIndexLock(socketPath, { command: 'grove serve' }).catch((error) => {
      if (!(error instanceof GroveError) || error.code !== 'INDEX_LOCKED') throw error;
      throw new GroveError('DAEMON_RUNNING', `another grove daemon serves ${socketPath}`, {
        socket: socketPath,
        ...error.details,
      });
    });
    try {
      // We hold the lock, so a socket file here belongs to a daemon that died: recover it.
      rmSync(socketPath, { force: true });
      const queue = new WorkQueue({ concurrency: config.indexConcurrency, maxQueued: config.maxQueuedJobs });
      let daemon: Daemon | null = null;
      const metrics = new DaemonMetrics({
        projects: () => registry.list().length,
        queued: () => queue.queued,
        loads: () => registry.stats.loads,
        evictions: () => registry.stats.evictions,
      });
      const indexRunner = new IndexRunner({ maxMemory: indexMemory(config) });
      const queryPool = new QueryPool({ threads: config.queryThreads });
      const registry = new ProjectRegistry({
        config,
        queue,
        queryPool,
        runIndex: indexRunner.run,
        warmIndex: (languages) => indexRunner.warm(languages),
        log,
        onBatch: (_files, ms) => metrics.observeBatch(ms / 1000),
      });
      const dispatch = createDispatch({
        registry,
        metrics,
        daemonStatus: async () => daemon!.#status(metrics),
        requestShutdown: () => setImmediate(() => void daemon?.stop()),
      });
      const call = (method: string, params: unknown) => daemon!.#call(dispatch, method, params);
      const socket = createSocketServer({ call, maxFrameBytes: config.maxFrameBytes });
      await listenOnSocket(socket.server, socketPath);
      let http: HttpServer | null = null;
      let tokenFile: string | null = null;
      if (config.httpPort !== null) {
        const token = config.token ?? randomBytes(24).toString('hex');
        tokenFile = daemonFilePath(socketPath, 'token');
        writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
        http = createHttpServer({
          token,
          call,
          maxFrameBytes: config.maxFrameBytes,
          health: async () => ({ status: 'ok', pid: process.pid, uptimeMs: Date.now() - daemon!.#startedAt }),
          indexing: async () => ({ projects: registry.list().map((project) => project.health()) }),
          metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.text() }),
        });
        await listenOnLoopback(http, config.httpPort);
      }
      const port = http ? (http.address() as AddressInfo).port : null;
      const info = { pid: process.pid, socket: socketPath, http: port, tokenFile };
      daemon = new Daemon(config, lock, { socket, http, registry, queue, indexRunner, queryPool, info });
      return daemon;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Graceful stop: refuse new work, finish in-flight requests and index runs, close, release. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#socket.server.close();
    this.#http?.close();
    await Promise.allSettled([...this.#inFlight]);
    await this.#queue.drain();
    await this.#registry.closeAll();
    await this.#queryPool.close();
    await this.#indexRunner.close();
    rmSync(this.config.socketPath, { force: true });
    if (this.info.tokenFile) rmSync(this.info.tokenFile, { force: true });
    this.#lock.release();
    // Last: a client waiting for the connection to close (`grove stop`) then knows the lock is free.
    for (const connection of this.#socket.connections) connection.destroy();
    this.#http?.closeAllConnections();
    this.#markStopped();
  }

  #call(dispatch: Dispatch, method: string, params: unknown): Promise<unknown> {
    if (this.#stopping !== null) {
      return Promise.reject(new GroveError('DAEMON_BUSY', 'The daemon is shutting down.'));
    }
    const call = dispatch(method, params);
    this.#inFlight.add(call);
    const forget = () => this.#inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  async #status(metrics: DaemonMetrics): Promise<Record<string, unknown>> {
    return {
      ...this.info,
      uptimeMs: Date.now() - this.#startedAt,
      rssBytes: process.memoryUsage.rss(),
      maxMemoryBytes: this.config.maxMemory,
      watch: this.config.watch,
      queue: { running: this.#queue.running, queued: this.#queue.queued },
      queryThreads: this.#queryPool.stats,
      projects: this.#registry.list().map((project) => project.health()),
      loads: this.#registry.stats.loads,
      evictions: this.#registry.stats.evictions,
      latency: await metrics.latency(),
    };
  }
}

/** Binds with a umask that makes the socket 0600 from its first instant, then says so explicitly. */
function listenOnSocket(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const previous = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        chmodSync(path, 0o600);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  });
}

function listenOnLoopback(server: HttpServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
