/**
 * Method name -> handler, the one table every transport (socket, HTTP, MCP, the CLI in-process) goes
 * through, timing each call into the latency metrics.
 */
import { GroveError, toGroveError } from '../../errors.js';
import { context, map, refs } from './graph-handlers.js';
import type { Handler, HandlerContext } from './handler.js';
import { index } from './index-handler.js';
import { search, status, symbols } from './query-handlers.js';

const HANDLERS: Record<string, Handler> = {
  ping: async () => 'pong',
  index,
  search,
  symbols,
  refs,
  map,
  context,
  status,
  shutdown: async (_params, ctx) => {
    ctx.requestShutdown();
    return { stopping: true };
  },
};

export const METHODS = Object.keys(HANDLERS);

export type Dispatch = (method: string, params: unknown) => Promise<unknown>;

export function createDispatch(ctx: HandlerContext): Dispatch {
  return async (method, params) => {
    const handler = Object.hasOwn(HANDLERS, method) ? HANDLERS[method] : undefined;
    const label = handler ? method : 'unknown';
    const started = performance.now();
    let outcome = 'ok';
    try {
      if (!handler) throw new GroveError('METHOD_NOT_FOUND', `no method "${method}"`, { method });
      return await handler(params, ctx);
    } catch (error) {
      const grove = toGroveError(error);
      outcome = grove.code;
      throw grove;
    } finally {
      ctx.metrics?.observeRequest(label, (performance.now() - started) / 1000, outcome);
    }
  };
}
