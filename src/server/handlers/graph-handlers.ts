/**
 * The methods over the reference graph: `refs`, `map` and `context`, answering exactly as `grove symbols
 * --refs --json`, `grove map --json` and `grove context --json`. Paths in requests are relative to the
 * root (or absolute under it) and never lead outside it.
 */
import { z } from 'zod';
import type { Handler } from './handler.js';
import { parseParams, pathInsideRoot, target } from './params.js';

const tokens = z.number().int().min(1).max(1_000_000).optional();

const REFS = z.object({
  ...target,
  name: z.string().min(1),
  limit: z.number().int().min(1).max(10_000).optional(),
  kind: z.string().optional(),
});
const MAP = z.object({ ...target, tokens, focus: z.array(z.string().min(1)).max(1000).optional() });
const CONTEXT = z.object({
  ...target,
  path: z.string().min(1),
  line: z.number().int().min(1).optional(),
  tokens,
});

export const refs: Handler = async (params, ctx) => {
  const p = parseParams('refs', REFS, params);
  const project = await ctx.registry.get(p, { create: false });
  return project.read('refs', p.name, {
    ...(p.limit !== undefined ? { limit: p.limit } : {}),
    ...(p.kind !== undefined ? { kind: p.kind } : {}),
  });
};

export const map: Handler = async (params, ctx) => {
  const p = parseParams('map', MAP, params);
  const project = await ctx.registry.get(p, { create: false });
  const focus = (p.focus ?? []).map((path) => pathInsideRoot(project.root, path));
  return project.read('map', { ...(p.tokens !== undefined ? { tokens: p.tokens } : {}), focus });
};

export const context: Handler = async (params, ctx) => {
  const p = parseParams('context', CONTEXT, params);
  const project = await ctx.registry.get(p, { create: false });
  return project.read('context', pathInsideRoot(project.root, p.path), {
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.tokens !== undefined ? { tokens: p.tokens } : {}),
  });
};
