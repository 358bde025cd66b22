/**
 * The library's entry point for indexing: an AsyncIterable of typed progress events ending with the
 * summary. Cancelling (AbortSignal, or breaking out of the loop) stops the run gracefully: what was
 * committed stays, the rest is redone by the next run.
 */
import { type IndexOptions, resolveConfig } from '../config/resolve-config.js';
import type { IndexEvent } from './index-events.js';
import { type RunResources, runPipeline } from './run-pipeline.js';

export async function* indexRepository(
  root: string,
  options: IndexOptions = {},
  resources: RunResources = {},
): AsyncGenerator<IndexEvent> {
  const config = resolveConfig(root, options);
  const controller = new AbortController();
  const external = options.signal;
  const forward = () => controller.abort(external?.reason);
  if (external?.aborted) forward();
  external?.addEventListener('abort', forward, { once: true });

  const pending: IndexEvent[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const emit = (event: IndexEvent) => {
    // Progress is a level, not a log: an unread progress event is replaced by the newer one.
    const last = pending[pending.length - 1];
    if (event.type === 'progress' && last?.type === 'progress') pending[pending.length - 1] = event;
    else pending.push(event);
    notify();
  };
  let finished = false;
  let failure: unknown;
  const run = runPipeline(config, emit, controller.signal, resources).then(
    (summary) => emit(summary),
    (error) => {
      failure = error;
    },
  );
  void run.finally(() => {
    finished = true;
    notify();
  });
  try {
    for (;;) {
      const event = pending.shift();
      if (event) {
        yield event;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure;
  } finally {
    if (!finished) controller.abort(new Error('the consumer stopped reading events'));
    await run;
    external?.removeEventListener('abort', forward);
  }
}
