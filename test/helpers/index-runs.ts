/** Library index runs for integration tests: one run to its summary, and a clean run's snapshot. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IndexOptions, indexRepository } from '../../src/index.js';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import type { RunResources } from '../../src/pipeline/run-pipeline.js';
import { indexSnapshot } from './index-snapshot.js';

/** Runs `indexRepository` (2 workers) to the end and returns its summary. */
export async function index(
  root: string,
  options: IndexOptions = {},
  resources: RunResources = {},
): Promise<SummaryEvent> {
  let summary: SummaryEvent | undefined;
  for await (const event of indexRepository(root, { concurrency: 2, ...options }, resources)) {
    if (event.type === 'summary') summary = event;
  }
  if (!summary) throw new Error('no summary');
  return summary;
}

/** The snapshot of a clean full run of the same tree, into a separate index. */
export async function cleanSnapshot(root: string) {
  const indexDir = mkdtempSync(join(tmpdir(), 'grove-clean-'));
  try {
    await index(root, { full: true, indexDir });
    return await indexSnapshot(indexDir);
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}
