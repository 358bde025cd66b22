/**
 * `index {root, full?, paths?}`: an incremental run of the whole tree (or a rebuild, or only the named
 * paths) through the daemon's bounded work queue; answers with the run's summary, the last line of
 * `grove index --json`.
 */
import { z } from 'zod';
import { GroveError } from '../../errors.js';
import type { Handler } from './handler.js';
import { parseParams, pathInsideRoot, target } from './params.js';

const INDEX = z.object({
  ...target,
  full: z.boolean().optional(),
  paths: z.array(z.string().min(1)).max(100_000).optional(),
});

export const index: Handler = async (params, ctx) => {
  const p = parseParams('index', INDEX, params);
  if (p.full && p.paths)
    throw new GroveError('REQUEST_INVALID', 'index: "full" and "paths" exclude each other');
  const project = await ctx.registry.get(p, { create: true });
  const paths = p.paths?.map((path) => pathInsideRoot(project.root, path));
  return project.index({ ...(paths ? { paths } : {}), ...(p.full ? { full: true } : {}) });
};
