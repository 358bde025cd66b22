/**
 * Runs one query for a CLI command through the daemon when one is running (warm, watcher-fresh), else
 * in-process over the index found by `locateIndexDb`: the same handlers either way, so the same answers.
 */
import { openQueryBackend } from '../server/query-backend.js';
import type { CommandIo } from './command-io.js';
import { locateIndexDir } from './locate-index.js';

export async function queryViaBackend(
  io: CommandIo,
  indexOption: string | undefined,
  method: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  const indexDir = locateIndexDir(io.cwd, indexOption);
  const backend = await openQueryBackend();
  try {
    return await backend.call(method, { ...params, index: indexDir });
  } finally {
    await backend.close();
  }
}
