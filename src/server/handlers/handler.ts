/** What every method handler receives, and its type. */
import type { DaemonMetrics } from '../daemon-metrics.js';
import type { ProjectRegistry } from '../project-registry.js';

export interface HandlerContext {
  registry: ProjectRegistry;
  metrics: DaemonMetrics | null;
  /** The daemon's own status (`status` without a project). */
  daemonStatus(): Promise<Record<string, unknown>>;
  /** Starts a graceful shutdown once the current response is sent. */
  requestShutdown(): void;
}

export type Handler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;
