/**
 * The daemon's index worker thread: runs `indexRepository` for the main thread (`IndexRunner`) and
 * streams its events back. It owns every writer connection and the warm parse pool, so a batch's
 * writes, its status recount and a link of the reference graph block this thread, never the one
 * answering queries.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toGroveError } from '../errors.js';
import type { LanguageId } from '../model.js';
import { indexRepository } from '../pipeline/index-repository.js';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './index-worker-protocol.js';
import { WarmParsePool } from './warm-parse-pool.js';

const port = parentPort;
if (port === null) throw new Error('index-worker.js runs as a worker thread of the daemon');
const pool = new WarmParsePool((workerData as IndexWorkerData).maxMemory);
const aborts = new Map<number, AbortController>();
const post = (message: FromIndexWorker) => port.postMessage(message);
let closing = false;

port.on('message', (message: ToIndexWorker) => {
  if (message.type === 'run') void run(message);
  else if (message.type === 'abort') aborts.get(message.id)?.abort(new Error('the daemon stopped this run'));
  else if (message.type === 'warm') void warm(message.languages);
  else {
    closing = true;
    if (aborts.size === 0) void exit();
  }
});

async function run({ id, root, options, deferLink }: Extract<ToIndexWorker, { type: 'run' }>) {
  const controller = new AbortController();
  aborts.set(id, controller);
  try {
    const resources = { parsePool: pool.acquire(), ...(deferLink ? { deferLink: true } : {}) };
    for await (const event of indexRepository(root, { ...options, signal: controller.signal }, resources)) {
      post({ type: 'event', id, event });
    }
    post({ type: 'done', id });
  } catch (error) {
    post({ type: 'failed', id, error: toGroveError(error).toJSON() });
  } finally {
    pool.release();
    aborts.delete(id);
    if (closing && aborts.size === 0) void exit();
  }
}

/** Parses an empty file per grammar on every parse worker, so each has started and loaded it. */
async function warm(languages: readonly LanguageId[]): Promise<void> {
  const parsePool = pool.acquire();
  try {
    const empty = (language: LanguageId) =>
      parsePool.run({ language, bytes: new Uint8Array(0), encoding: 'utf-8', bomBytes: 0 });
    // As many jobs at once as there are workers: each starts and gets one of them.
    for (const language of languages) {
      await Promise.all(Array.from({ length: parsePool.size }, () => empty(language)));
    }
  } finally {
    pool.release();
  }
}

async function exit(): Promise<void> {
  await pool.close();
  // Nothing else keeps the thread alive: with the port closed it ends.
  port?.close();
}
