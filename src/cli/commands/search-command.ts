/** `grove search QUERY`: BM25-ranked chunks with path, lines, symbol and a snippet. */
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import { readFreshness } from '../../query/freshness.js';
import { Store } from '../../store/store.js';
import type { CommandIo } from '../command-io.js';
import { locateIndexDb } from '../locate-index.js';
import { staleWarning } from './stale-warning.js';

const DEFAULT_LIMIT = 10;

export async function runSearchCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      index: { type: 'string' },
      limit: { type: 'string' },
      lang: { type: 'string' },
      path: { type: 'string' },
      kind: { type: 'string' },
    },
  });
  const query = positionals.join(' ').trim();
  if (!query) throw new GroveError('USAGE', 'grove search needs a QUERY');
  const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new GroveError('USAGE', '--limit must be a whole number from 1 to 1000');
  }
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
