/**
 * Where a query goes: to the running daemon (warm projects, watcher-fresh answers), or, when none runs,
 * to the same handlers in this process over the index opened directly. Both paths run the same handler
 * code, so the answers are identical.
 */
import { type DaemonConfig, resolveDaemonConfig } from '../config/daemon-config.js';
import { DaemonClient } from './daemon-client.js';
import { createDispatch } from './handlers/dispatch.js';
import { ProjectRegistry } from './project-registry.js';
import { WorkQueue } from './work-queue.js';

export interface QueryBackend {
  readonly kind: 'daemon' | 'local';
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/** The daemon at `socketPath` if one answers, else an in-process backend. */
export async function openQueryBackend(socketPath?: string): Promise<QueryBackend> {
  const config = resolveDaemonConfig({ ...(socketPath ? { socket: socketPath } : {}) });
  const client = await DaemonClient.tryConnect(config.socketPath);
  if (client) {
    return {
      kind: 'daemon',
      call: (method, params) => client.call(method, params),
      close: async () => client.close(),
    };
  }
  return createLocalBackend({ ...config, watch: false });
}

/** The handlers in-process, without watcher or metrics (a CLI run, or `grove mcp` with no daemon). */
export function createLocalBackend(config: DaemonConfig): QueryBackend {
  const queue = new WorkQueue({ concurrency: 1, maxQueued: config.maxQueuedJobs });
  const registry = new ProjectRegistry({ config, queue, log: () => {}, onBatch: () => {} });
  const dispatch = createDispatch({
    registry,
    metrics: null,
    daemonStatus: async () => ({ daemon: false, pid: process.pid }),
    requestShutdown: () => {},
  });
  return {
    kind: 'local',
    call: (method, params) => dispatch(method, params ?? {}),
    close: async () => {
      await queue.drain();
      await registry.closeAll();
    },
  };
}
