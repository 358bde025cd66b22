/** `grove status`: index health: files by state and reason, symbols, chunks, freshness, schema, size. */
import { parseArgs } from 'node:util';
import { readFreshness } from '../../query/freshness.js';
import { Store } from '../../store/store.js';
import type { CommandIo } from '../command-io.js';
import { formatBytes, formatCount } from '../format.js';
import { locateIndexDb } from '../locate-index.js';
import { staleWarning } from './stale-warning.js';

/** Enough failed files to act on without flooding a terminal; --json carries the same list. */
const MAX_LISTED_FAILURES = 50;

export async function runStatusCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      index: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
  });
  const dbPath = locateIndexDb(io.cwd, values.index);
  const store = Store.open(dbPath, { readonly: true });
  try {
    // Before anything else: a damaged index must fail with INDEX_CORRUPT, not print half a status.
    if (values.check) store.check();
    const status = store.status();
    const freshness = readFreshness(store);
    const failures = [];
    for (const file of store.files()) {
      if (file.state !== 'failed') continue;
      failures.push({ path: file.path, reason: file.reason, error: file.error });
      if (failures.length >= MAX_LISTED_FAILURES) break;
    }
    if (values.json) {
      const checked = values.check ? { check: 'ok' } : {};
      io.out(`${JSON.stringify({ ...status, freshness, index: dbPath, failures, ...checked })}\n`);
      return 0;
    }
    const { files } = status;
    const lines = [
      `index: ${dbPath} (${formatBytes(status.dbBytes)}, schema v${status.schemaVersion})${values.check ? ', every page checked: ok' : ''}`,
      `files: ${formatCount(files.indexed)} indexed, ${formatCount(files.textOnly)} text-only, ${formatCount(files.skipped)} skipped, ${formatCount(files.failed)} failed`,
      `symbols: ${formatCount(status.symbols)}  chunks: ${formatCount(status.chunks)}  refs: ${formatCount(status.refs)}`,
      `indexed at: ${freshness.indexedAt ?? 'never completed'}${freshness.commit ? ` (commit ${freshness.commit.slice(0, 12)})` : ''}`,
      `changed on disk since: ${formatCount(freshness.dirtyFiles)} files`,
      `reasons: ${Object.entries(status.reasons)
        .map(([reason, count]) => `${reason} ${formatCount(count)}`)
        .join(', ')}`,
      ...failures.map((failure) => `  failed: ${failure.path}: ${failure.error?.message ?? failure.reason}`),
    ];
    io.out(`${lines.join('\n')}\n`);
    const warning = staleWarning(freshness);
    if (warning) io.err(`${warning}\n`);
    return 0;
  } finally {
    store.close();
  }
}
