/** The sample repository indexed into its own directory, and the index opened read-only on it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GroveIndex, openIndex } from '../../src/query/open-index.js';
import { index } from './index-runs.js';
import { writeSampleRepo } from './sample-repo.js';

export interface IndexedSample {
  repo: string;
  indexDir: string;
  opened: GroveIndex;
  /** Closes the index and removes the repository and its index. */
  remove(): void;
}

export async function indexedSample(prefix: string): Promise<IndexedSample> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const repo = join(dir, 'repo');
  const indexDir = join(dir, 'index');
  writeSampleRepo(repo);
  await index(repo, { indexDir });
  const opened = openIndex(indexDir, { dirtyFiles: () => 0 });
  return {
    repo,
    indexDir,
    opened,
    remove: () => {
      opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
