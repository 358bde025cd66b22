/** `grove symbols NAME|PATTERN`: definitions (exact, prefix `name*`, glob); `--refs` lists the uses of NAME. */
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import { openIndex } from '../../query/open-index.js';
import type { CommandIo } from '../command-io.js';
import { locateIndexDir } from '../locate-index.js';
import { parseLimit, QUERY_OPTIONS } from './query-args.js';
import { staleWarning } from './stale-warning.js';

export async function runSymbolsCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...QUERY_OPTIONS,
      limit: { type: 'string' },
      kind: { type: 'string' },
      refs: { type: 'boolean', default: false },
    },
  });
  const name = positionals.join(' ').trim();
  if (!name) throw new GroveError('USAGE', 'grove symbols needs a NAME or PATTERN');
  const limit = parseLimit(values.limit, 100, 10_000);
  const index = openIndex(locateIndexDir(io.cwd, values.index));
  try {
    if (values.refs) {
      const { results, freshness } = index.refs(name, { limit, kind: values.kind });
      if (values.json) return printJson(io, { results, freshness });
      const warning = staleWarning(freshness);
      if (warning) io.err(`${warning}\n`);
      if (results.length === 0) io.out(`no references to "${name}"\n`);
      for (const ref of results) {
        const target = ref.definition ? `${ref.definition.path}:${ref.definition.line}` : ref.resolution;
        io.out(`${ref.path}:${ref.line}  ${ref.kind} ${ref.name}  -> ${target}\n`);
      }
      return 0;
    }
    const { results, freshness } = index.symbols(name, { limit, kind: values.kind });
    if (values.json) {
      const shaped = results.map(({ name, kind, path, line, endLine, signature, parent }) => ({
        name,
        kind,
        path,
        line,
        endLine,
        signature,
        parent,
      }));
      return printJson(io, { results: shaped, freshness });
    }
    const warning = staleWarning(freshness);
    if (warning) io.err(`${warning}\n`);
    if (results.length === 0) io.out(`no definitions of "${name}"\n`);
    for (const s of results) io.out(`${s.path}:${s.line}  ${s.kind} ${s.name}\n    ${s.signature}\n`);
    return 0;
  } finally {
    index.close();
  }
}

function printJson(io: CommandIo, value: unknown): number {
  io.out(`${JSON.stringify(value)}\n`);
  return 0;
}
