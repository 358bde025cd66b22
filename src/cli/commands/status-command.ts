/** `grove status`: index health: files by state and reason, symbols, chunks, freshness, schema, size. */
import { parseArgs } from 'node:util';
import type { StoredSettings } from '../../config/index-settings.js';
import type { Freshness } from '../../query/freshness.js';
import type { FailedFile } from '../../query/open-index.js';
import type { IndexStatus } from '../../store/store.js';
import type { CommandIo } from '../command-io.js';
import { formatBytes, formatCount } from '../format.js';
import { queryViaBackend } from '../query-via-backend.js';
import { staleWarning } from './stale-warning.js';

export async function runStatusCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      index: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
  });
  // With --check every page is read first: a damaged index fails with INDEX_CORRUPT, not half a status.
  const check = values.check ? { check: true } : {};
  const answer = (await queryViaBackend(io, values.index, 'status', check)) as StatusAnswer;
  if (values.json) {
    io.out(`${JSON.stringify(answer)}\n`);
    return 0;
  }
  const { freshness, failures, index: dbPath, files } = answer;
  const status = answer;
  const lines = [
    `index: ${dbPath} (${formatBytes(status.dbBytes)}, schema v${status.schemaVersion})${values.check ? ', every page checked: ok' : ''}`,
    `files: ${formatCount(files.indexed)} indexed, ${formatCount(files.textOnly)} text-only, ${formatCount(files.skipped)} skipped, ${formatCount(files.failed)} failed`,
    `symbols: ${formatCount(status.symbols)}  chunks: ${formatCount(status.chunks)}  refs: ${formatCount(status.refs)}`,
    `indexed at: ${freshness.indexedAt ?? 'never completed'}${freshness.commit ? ` (commit ${freshness.commit.slice(0, 12)})` : ''}`,
    `changed on disk since: ${formatCount(freshness.dirtyFiles)} files`,
    ...(answer.settings ? [`settings (kept by later runs): ${formatSettings(answer.settings)}`] : []),
    `reasons: ${Object.entries(status.reasons)
      .map(([reason, count]) => `${reason} ${formatCount(count)}`)
      .join(', ')}`,
    ...failures.map((failure) => `  failed: ${failure.path}: ${failure.error?.message ?? failure.reason}`),
  ];
  io.out(`${lines.join('\n')}\n`);
  const warning = staleWarning(freshness);
  if (warning) io.err(`${warning}\n`);
  return 0;
}

type StatusAnswer = IndexStatus & {
  freshness: Freshness;
  index: string;
  failures: FailedFile[];
  settings: StoredSettings | null;
};

function formatSettings(settings: StoredSettings): string {
  const globs = (list: readonly string[] | undefined, none: string) => (list?.length ? list.join(' ') : none);
  return [
    `include ${globs(settings.include, 'all')}`,
    `exclude ${globs(settings.exclude, 'none')}`,
    ...(settings.macros?.length ? [`macros ${settings.macros.join(' ')}`] : []),
    ...(settings.maxFileSize ? [`max file size ${formatBytes(settings.maxFileSize)}`] : []),
    ...(settings.hardCap ? [`hard cap ${formatBytes(settings.hardCap)}`] : []),
  ].join(', ');
}
