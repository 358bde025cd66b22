/** `grove context PATH[:LINE]`: a file's definitions, imports, dependents and related chunks. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import { DEFAULT_CONTEXT_TOKENS } from '../../query/file-context.js';
import type { FileContext, Freshness } from '../../query/open-index.js';
import type { CommandIo } from '../command-io.js';
import { queryViaBackend } from '../query-via-backend.js';
import { parseLimit, QUERY_OPTIONS } from './query-args.js';
import { staleWarning } from './stale-warning.js';

/** `path:123` names a line; a path that itself ends in `:digits` can be given with `--line`. */
const PATH_LINE = /^(.*):(\d+)$/;

export async function runContextCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...QUERY_OPTIONS,
      tokens: { type: 'string' },
      line: { type: 'string' },
    },
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0)
    throw new GroveError('USAGE', 'grove context needs one PATH[:LINE]');
  const match = values.line === undefined ? PATH_LINE.exec(target) : null;
  const path = match?.[1] ?? target;
  const line =
    values.line !== undefined
      ? parseLimit(values.line, 1, 100_000_000, '--line')
      : match
        ? Number(match[2])
        : undefined;
  const tokens = parseLimit(values.tokens, DEFAULT_CONTEXT_TOKENS, 1_000_000, '--tokens');
  const context = (await queryViaBackend(io, values.index, 'context', {
    path: resolve(io.cwd, path),
    tokens,
    ...(line !== undefined ? { line } : {}),
  })) as FileContext & { freshness: Freshness };
  if (values.json) {
    io.out(`${JSON.stringify(context)}\n`);
    return 0;
  }
  const warning = staleWarning(context.freshness);
  if (warning) io.err(`${warning}\n`);
  io.out(context.text);
  return 0;
}
