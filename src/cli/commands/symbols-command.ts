/** `grove symbols NAME|PATTERN`: definitions (exact, prefix `name*`, glob); `--refs` lists the uses of NAME. */
import { parseArgs } from 'node:util';
import { GroveError } from '../../errors.js';
import type { Freshness, RefResult } from '../../query/open-index.js';
import type { SymbolResult } from '../../store/store.js';
import type { CommandIo } from '../command-io.js';
import { queryViaBackend } from '../query-via-backend.js';
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
  const kind = values.kind !== undefined ? { kind: values.kind } : {};
  if (values.refs) {
    const answer = (await queryViaBackend(io, values.index, 'refs', { name, limit, ...kind })) as {
      results: RefResult[];
      freshness: Freshness;
    };
    if (values.json) return printJson(io, answer);
    warnIfStale(io, answer.freshness);
    if (answer.results.length === 0) io.out(`no references to "${name}"\n`);
    for (const ref of answer.results) {
      const target = ref.definition ? `${ref.definition.path}:${ref.definition.line}` : ref.resolution;
      io.out(`${ref.path}:${ref.line}  ${ref.kind} ${ref.name}  -> ${target}\n`);
    }
    return 0;
  }
  const answer = (await queryViaBackend(io, values.index, 'symbols', { name, limit, ...kind })) as {
    results: SymbolResult[];
    freshness: Freshness;
  };
  if (values.json) return printJson(io, answer);
  warnIfStale(io, answer.freshness);
  if (answer.results.length === 0) io.out(`no definitions of "${name}"\n`);
  for (const s of answer.results) io.out(`${s.path}:${s.line}  ${s.kind} ${s.name}\n    ${s.signature}\n`);
  return 0;
}

function warnIfStale(io: CommandIo, freshness: Freshness): void {
  const warning = staleWarning(freshness);
  if (warning) io.err(`${warning}\n`);
}

function printJson(io: CommandIo, value: unknown): number {
  io.out(`${JSON.stringify(value)}\n`);
  return 0;
}
