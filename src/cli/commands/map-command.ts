/** `grove map [--tokens N] [--focus PATH...]`: the repository map, ranked and fitted to a token budget. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Freshness, RepoMap } from '../../query/open-index.js';
import { DEFAULT_MAP_TOKENS } from '../../query/repo-map.js';
import type { CommandIo } from '../command-io.js';
import { queryViaBackend } from '../query-via-backend.js';
import { parseLimit, QUERY_OPTIONS } from './query-args.js';
import { staleWarning } from './stale-warning.js';

export async function runMapCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...QUERY_OPTIONS,
      tokens: { type: 'string' },
      focus: { type: 'string', multiple: true },
    },
  });
  const tokens = parseLimit(values.tokens, DEFAULT_MAP_TOKENS, 1_000_000, '--tokens');
  // Focus paths are given like any path on the command line: relative to the working directory.
  const focus = [...(values.focus ?? []), ...positionals].map((path) => resolve(io.cwd, path));
  const map = (await queryViaBackend(io, values.index, 'map', { tokens, focus })) as Fresh<RepoMap>;
  if (values.json) {
    io.out(`${JSON.stringify(map)}\n`);
    return 0;
  }
  const warning = staleWarning(map.freshness);
  if (warning) io.err(`${warning}\n`);
  for (const path of map.unknownFocus) io.err(`warning: --focus ${path} is not in the index\n`);
  io.out(map.text);
  return 0;
}

type Fresh<T> = T & { freshness: Freshness };
