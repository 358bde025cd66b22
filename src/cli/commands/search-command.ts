/** `grove search QUERY`: BM25-ranked chunks with path, lines, symbol and a snippet. */
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import { readFreshness } from '../../query/freshness.js';
import { Store } from '../../store/store.js';
import type { CommandIo } from '../command-io.js';
import { locateIndexDb } from '../locate-index.js';
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
    },
  });
  const query = positionals.join(' ').trim();
  if (!query) throw new GroveError('USAGE', 'grove search needs a QUERY');
  const limit = parseLimit(values.limit, DEFAULT_LIMIT, 1000);
  const store = Store.open(locateIndexDb(io.cwd, values.index), { readonly: true });
  try {
    const results = store.search(query, {
      limit,
      language: values.lang,
      pathGlob: values.path,
      kind: values.kind,
    });
    const freshness = readFreshness(store);
    if (values.json) {
      const shaped = results.map(({ path, startLine, endLine, symbol, kind, score, snippet }) => ({
        path,
        startLine,
        endLine,
        symbol,
        kind,
        score,
        snippet,
      }));
      io.out(`${JSON.stringify({ results: shaped, freshness })}\n`);
      return 0;
    }
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
  } finally {
    store.close();
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
