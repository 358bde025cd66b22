/**
 * Open file handles stay bounded: grove holds a fixed number of descriptors (Node, the parse workers,
 * SQLite and one file at a time per reader), never one per file of the repository. A run under a small
 * descriptor limit must index a repository of hundreds of files without a single failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import { writeMediumRepo } from '../helpers/medium-repo.js';
import { ndjson, runGrove } from '../helpers/run-grove.js';

/** Node's own descriptors (event loops, the module loader, worker threads) take ~40; grove adds a few. */
const DESCRIPTOR_LIMIT = 56;

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'grove-fds-'));
  writeMediumRepo(repo);
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('open file handles', () => {
  it(`stay under a limit of ${DESCRIPTOR_LIMIT} while indexing hundreds of files`, async () => {
    const indexDir = `${repo}-index`;
    try {
      const run = await runGrove(['index', repo, '--index', indexDir, '--json'], {
        maxOpenFiles: DESCRIPTOR_LIMIT,
      });
      expect(run.code, run.stderr).toBe(0);
      const summary = ndjson(run.stdout).at(-1) as unknown as SummaryEvent;
      expect(summary.files.failed, `peak descriptors ${run.peakOpenFiles}`).toBe(0);
      expect(summary.run.filesWritten).toBeGreaterThan(DESCRIPTOR_LIMIT * 10);
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
  }, 120_000);
});
