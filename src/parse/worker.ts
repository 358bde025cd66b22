/**
 * Parse worker entry: decodes a file's bytes, hashes them and extracts symbols, refs, imports and chunks.
 * It never touches the store or the filesystem; it only answers the pool.
 */
import { createHash } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { toGroveError } from '../errors.js';
import { createExtractor, type Extractor } from './extractor.js';
import { provideGrammar } from './grammars.js';
import type { ParseReply, ParseTask, ParseWorkerData } from './parse-protocol.js';

const port = parentPort;
if (!port) throw new Error('parse worker must run in a worker thread');

let extractor: Extractor | undefined;
const { runtime } = (workerData ?? {}) as Partial<ParseWorkerData>;

function workerBytes(): number {
  // This isolate's heap and external memory (WASM memory counts as external). Not process.memoryUsage():
  // it also reads the RSS from /proc, which fails when the process has no file descriptor left.
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}

async function handle(task: ParseTask): Promise<ParseReply> {
  const hash = createHash('sha256').update(task.bytes).digest('hex');
  try {
    extractor ??= await createExtractor(runtime);
    const body = task.bomBytes > 0 ? task.bytes.subarray(task.bomBytes) : task.bytes;
    const source = new TextDecoder(task.encoding).decode(body);
    const extraction = await extractor.extract(task.language, source, {
      timeoutMs: task.timeoutMs,
      macros: task.macros,
    });
    return { id: task.id, ok: true, hash, extraction, workerBytes: workerBytes(), retire: mustRetire() };
  } catch (error) {
    const grove = toGroveError(error, { language: task.language });
    const serialized =
      grove.code === 'INTERNAL' ? { ...grove.toJSON(), code: 'PARSE_FAILED' as const } : grove.toJSON();
    return {
      id: task.id,
      ok: false,
      hash,
      error: serialized,
      workerBytes: workerBytes(),
      retire: mustRetire(),
    };
  }
}

function mustRetire(): boolean {
  return extractor !== undefined && !extractor.healthy;
}

// The pool sends tasks ahead and matches each reply to the oldest task it sent, so tasks run one at a
// time in the order they came (the first of a language awaits its grammar, and must not be overtaken).
let previous: Promise<void> = Promise.resolve();
port.on('message', (task: ParseTask) => {
  if (task.grammar !== undefined) provideGrammar(task.language, task.grammar);
  previous = previous
    .then(async () => port.postMessage(await handle(task)))
    .catch((error: unknown) => {
      // A reply that cannot be posted: die loudly, so the pool fails this task and reruns the others.
      setImmediate(() => {
        throw error;
      });
    });
});
