/**
 * The query methods: each maps its params onto one GroveIndex call and answers with exactly the shape
 * of the matching CLI command's `--json` output (the CLI itself answers through these handlers).
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Handler } from './handler.js';
import { parseParams, target } from './params.js';

/** Enough failed files to act on without flooding a terminal (the CLI's `grove status` lists as many). */
const MAX_LISTED_FAILURES = 50;

const SEARCH = z.object({
  ...target,
  query: z.string(),
  limit: z.number().int().min(1).max(1000).optional(),
  language: z.string().optional(),
  path: z.string().optional(),
  kind: z.string().optional(),
  exhaustive: z.boolean().optional(),
});
const SYMBOLS = z.object({
  ...target,
  name: z.string().min(1),
  limit: z.number().int().min(1).max(10_000).optional(),
  kind: z.string().optional(),
});
const STATUS = z.object({ ...target, check: z.boolean().optional() });

export const search: Handler = async (params, ctx) => {
  const p = parseParams('search', SEARCH, params);
  const project = await ctx.registry.get(p, { create: false });
  const { results, approximate, freshness } = await project.read('search', p.query, {
    limit: p.limit ?? 10,
    ...(p.language !== undefined ? { language: p.language } : {}),
    ...(p.path !== undefined ? { pathGlob: p.path } : {}),
    ...(p.kind !== undefined ? { kind: p.kind } : {}),
    ...(p.exhaustive === true ? { exhaustive: true } : {}),
  });
  const shaped = results.map(({ path, startLine, endLine, symbol, kind, score, snippet }) => ({
    path,
    startLine,
    endLine,
    symbol,
    kind,
    score,
    snippet,
  }));
  return { results: shaped, approximate, freshness };
};

export const symbols: Handler = async (params, ctx) => {
  const p = parseParams('symbols', SYMBOLS, params);
  const project = await ctx.registry.get(p, { create: false });
  const { results, freshness } = project.query.symbols(p.name, {
    ...(p.limit !== undefined ? { limit: p.limit } : {}),
    ...(p.kind !== undefined ? { kind: p.kind } : {}),
  });
  const shaped = results.map(({ name, kind, path, line, endLine, signature, parent }) => ({
    name,
    kind,
    path,
    line,
    endLine,
    signature,
    parent,
  }));
  return { results: shaped, freshness };
};

/** With a project: the index's status (as `grove status --json`); without: the daemon's own status. */
export const status: Handler = async (params, ctx) => {
  const p = parseParams('status', STATUS, params);
  if (p.root === undefined && p.index === undefined) return ctx.daemonStatus();
  const project = await ctx.registry.get(p, { create: false });
  project.refreshFreshness();
  const index = project.query;
  // `check` reads every page first: a damaged index fails with INDEX_CORRUPT, not half a status.
  if (p.check) index.check();
  return {
    ...index.status(),
    index: join(project.indexDir, 'index.db'),
    failures: index.failures(MAX_LISTED_FAILURES),
    ...(p.check ? { check: 'ok' } : {}),
  };
};
