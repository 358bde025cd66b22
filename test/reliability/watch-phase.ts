/**
 * Where a watching daemon is in handling changes, seen through its `status` method (polled every few
 * ms on one connection), so a SIGKILL can be aimed at a phase: while changes wait out the debounce, while
 * a watcher batch writes, in the quiet period before the deferred link, or while the link runs.
 */
import type { DaemonClient } from '../../src/server/daemon-client.js';

export type WatchPhase = 'idle' | 'debounce' | 'batch' | 'quiet' | 'link';

interface ProjectHealth {
  root: string;
  state: 'idle' | 'queued' | 'indexing' | 'closed';
  queueDepth: number;
  batches: number;
  lastRun: { link: { mode: string } } | null;
}

/** The phase a project's health shows; `quiet` is idle after a batch whose changes are not linked yet. */
export function phaseOf(health: ProjectHealth): WatchPhase {
  if (health.state === 'indexing') return health.queueDepth > 0 ? 'batch' : 'link';
  if (health.state === 'queued') return 'debounce';
  if (health.batches > 0 && health.lastRun?.link.mode === 'none') return 'quiet';
  return 'idle';
}

/** How often the phase is polled: a batch of a few files lasts tens of ms. */
const POLL_MS = 2;

/**
 * Resolves once the project at `root` is seen in `phase` (true), or after `timeoutMs` without seeing
 * it (false). Errors of a daemon that is gone end the wait too (false).
 */
export async function waitForPhase(
  client: DaemonClient,
  root: string,
  phase: WatchPhase,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const status = (await client.call('status')) as { projects: ProjectHealth[] };
      const health = status.projects.find((project) => project.root === root);
      if (health && phaseOf(health) === phase) return true;
    } catch {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
