/**
 * A query thread of the daemon (`QueryPool`): answers the slow reads (search, refs, map, context) over
 * its own read-only connection to each index it was asked about, so that they run on another core and
 * never hold up the cheap requests the main thread answers meanwhile. SQLite's WAL lets it read the
 * last committed state while an index run writes, like the main thread's connection.
 */
import { parentPort } from 'node:worker_threads';
import { toGroveError } from '../errors.js';
import { type GroveIndex, openIndex } from '../query/open-index.js';
import type { FromQueryWorker, PooledMethod, ToQueryWorker } from './query-worker-protocol.js';

if (parentPort === null) throw new Error('query-worker.js runs as a worker thread of the daemon');
const port = parentPort;

interface OpenedIndex {
  index: GroveIndex;
  /** Queries in progress on it: map and context await between reads, so one may span others. */
  users: number;
  forgotten: boolean;
}

const opened = new Map<string, OpenedIndex>();
const post = (message: FromQueryWorker) => port.postMessage(message);
let inProgress = 0;
let closing = false;

port.on('message', (message: ToQueryWorker) => {
  if (message.type === 'query') void answer(message);
  else if (message.type === 'forget') forget(message.indexDir);
  else {
    closing = true;
    for (const indexDir of [...opened.keys()]) forget(indexDir);
    if (inProgress === 0) port.close();
  }
});
post({ type: 'ready' });

async function answer({ id, indexDir, method, args }: Extract<ToQueryWorker, { type: 'query' }>) {
  inProgress++;
  let entry: OpenedIndex | undefined;
  try {
    entry = opened.get(indexDir);
    if (entry === undefined) {
      // The main thread knows how fresh the project is (its watcher); this connection never stats.
      entry = { index: openIndex(indexDir, { dirtyFiles: () => 0 }), users: 0, forgotten: false };
      opened.set(indexDir, entry);
    }
    entry.users++;
    const { freshness: _, ...result } = await call(entry.index, method, args);
    post({ type: 'answer', id, result });
  } catch (error) {
    post({ type: 'failed', id, error: toGroveError(error).toJSON() });
  } finally {
    if (entry !== undefined && --entry.users === 0 && entry.forgotten) entry.index.close();
    inProgress--;
    if (closing && inProgress === 0) port.close();
  }
}

function call(index: GroveIndex, method: PooledMethod, args: unknown[]): Promise<{ freshness: unknown }> {
  const invoke = index[method] as (...params: unknown[]) => { freshness: unknown };
  return Promise.resolve(invoke.apply(index, args));
}

function forget(indexDir: string): void {
  const entry = opened.get(indexDir);
  if (entry === undefined) return;
  opened.delete(indexDir);
  entry.forgotten = true;
  if (entry.users === 0) entry.index.close();
}
