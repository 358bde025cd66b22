/** `grove context PATH[:LINE]`: a file's definitions, imports, dependents and related chunks. */
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import { DEFAULT_CONTEXT_TOKENS } from '../../query/file-context.js';
import { toIndexPath } from '../../query/index-path.js';
import { openIndex } from '../../query/open-index.js';
import type { CommandIo } from '../command-io.js';
import { locateIndexDir } from '../locate-index.js';
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
  const index = openIndex(locateIndexDir(io.cwd, values.index));
  try {
    const indexPath = toIndexPath(index.root ?? io.cwd, path, io.cwd);
    const context = await index.context(indexPath, { line, tokens });
    if (values.json) {
      io.out(`${JSON.stringify(context)}\n`);
      return 0;
    }
    const warning = staleWarning(context.freshness);
    if (warning) io.err(`${warning}\n`);
    io.out(context.text);
    return 0;
  } finally {
    index.close();
  }
}
