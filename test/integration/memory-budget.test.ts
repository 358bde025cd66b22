/**
 * The hard memory budget, measured from outside: a child `grove index` over a repository several times
 * larger than `--max-memory` must keep the peak RSS of its whole process (workers are threads) under it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import { writeBigRepo } from '../helpers/big-repo.js';
import { ndjson, runGrove } from '../helpers/run-grove.js';

const MIB = 1024 * 1024;
const MAX_MEMORY_MIB = 160;

let dir: string;
let repoBytes: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'grove-big-'));
  repoBytes = writeBigRepo(dir, { logs: 3, logMiB: 144, singleLineMiB: 64, cFiles: 1500 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the memory budget', () => {
  it(
    'indexes a repository 3x larger than --max-memory without exceeding it',
    {
      timeout: 240_000,
    },
    async () => {
      expect(repoBytes).toBeGreaterThan(3 * MAX_MEMORY_MIB * MIB);
      const run = await runGrove([
        'index',
        dir,
        '--json',
        '--max-memory',
        `${MAX_MEMORY_MIB}M`,
        '--concurrency',
        '2',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const summary = ndjson(run.stdout).at(-1) as unknown as SummaryEvent;
      expect(summary.type).toBe('summary');
      expect(summary.files).toEqual({ indexed: 1500, textOnly: 4, skipped: 0, failed: 0 });
      expect(summary.bytes).toBe(repoBytes);
      // Both the kernel's high-water mark seen from outside and the one grove reports stay under budget.
      expect(run.peakRssBytes).toBeGreaterThan(0);
      expect(run.peakRssBytes).toBeLessThan(MAX_MEMORY_MIB * MIB);
      expect(summary.peakRssBytes).toBeLessThan(MAX_MEMORY_MIB * MIB);
    },
  );
});
