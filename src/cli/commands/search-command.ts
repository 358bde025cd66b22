/** `grove search QUERY`: BM25-ranked chunks with path, lines, symbol and a snippet. */
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import type { Freshness } from '../../query/freshness.js';
import type { SearchResult } from '../../store/store.js';
import type { CommandIo } from '../command-io.js';
import { queryViaBackend } from '../query-via-backend.js';
import { parseLimit, QUERY_OPTIONS } from './query-args.js';
import { staleWarning } from './stale-warning.js';

const DEFAULT_LIMIT = 10;

export async function runSearchCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...QUERY_OPTIONS,
      limit: { type: 'string' },
      lang: { type: 'string' },
      path: { type: 'string' },
      kind: { type: 'string' },
      exhaustive: { type: 'boolean' },
    },
  });
  const query = positionals.join(' ').trim();
  if (!query) throw new GroveError('USAGE', 'grove search needs a QUERY');
  const limit = parseLimit(values.limit, DEFAULT_LIMIT, 1000);
  const answer = (await queryViaBackend(io, values.index, 'search', {
    query,
    limit,
    ...(values.lang !== undefined ? { language: values.lang } : {}),
    ...(values.path !== undefined ? { path: values.path } : {}),
    ...(values.kind !== undefined ? { kind: values.kind } : {}),
    ...(values.exhaustive === true ? { exhaustive: true } : {}),
  })) as { results: SearchAnswer[]; approximate: boolean; freshness: Freshness };
  if (values.json) {
    io.out(`${JSON.stringify(answer)}\n`);
    return 0;
  }
  const { results, freshness } = answer;
  const warning = staleWarning(freshness);
  if (warning) io.err(`${warning}\n`);
  if (results.length === 0) io.out(`no results for "${query}"\n`);
  for (const result of results) {
    const symbol = result.symbol ? `  ${result.kind} ${result.symbol}` : '';
    io.out(
      `${result.path}:${result.startLine}-${result.endLine}${symbol}  (score ${result.score.toFixed(2)})\n`,
    );
    io.out(`${indent(result.snippet)}\n\n`);
  }
  return 0;
}

type SearchAnswer = Pick<
  SearchResult,
  'path' | 'startLine' | 'endLine' | 'symbol' | 'kind' | 'score' | 'snippet'
>;

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
