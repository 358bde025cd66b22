/**
 * Crash safety: SIGKILL `grove index` at seeded random instants; the index must open after every kill,
 * and the next run must resume (not redo committed files) and end identical to a clean full run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import { Store } from '../../src/store/store.js';
import { type IndexSnapshot, indexSnapshot } from '../helpers/index-snapshot.js';
import { writeMediumRepo } from '../helpers/medium-repo.js';
import { GROVE_BIN, ndjson, runGrove } from '../helpers/run-grove.js';
import { seededRandom } from '../helpers/seeded-random.js';

const TRIALS = 20;
const SEED = 0x67726f76;

let repo: string;
let clean: IndexSnapshot;
let fullRunMs: number;

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'grove-kill-'));
  writeMediumRepo(repo);
  const cleanDir = join(repo, '..', `${repo.split('/').pop()}-clean`);
  const started = performance.now();
  const run = await runGrove(['index', repo, '--index', cleanDir, '--json']);
  fullRunMs = performance.now() - started;
  expect(run.code, run.stderr).toBe(0);
  clean = await indexSnapshot(cleanDir);
  rmSync(cleanDir, { recursive: true, force: true });
}, 120_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** Starts `grove index` and SIGKILLs it after `delayMs`; resolves once it is gone. */
function killAfter(indexDir: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(GROVE_BIN, ['index', repo, '--index', indexDir, '--json'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('SIGKILL at any instant', () => {
  it(`leaves an index that opens, and the next run ends identical to a clean run (${TRIALS} seeded trials)`, async () => {
    const random = seededRandom(SEED);
    const indexDir = join(repo, '..', `${repo.split('/').pop()}-killed`);
    let resumedWithWorkDone = 0;
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        rmSync(indexDir, { recursive: true, force: true });
        const delays = [Math.floor(random() * fullRunMs)];
        // Every fourth trial also kills the resuming run: resume must survive its own crash too.
        if (trial % 4 === 3) delays.push(Math.floor(random() * fullRunMs * 0.6));
        for (const delay of delays) {
          await killAfter(indexDir, delay);
          const dbPath = join(indexDir, 'index.db');
          if (existsSync(dbPath)) {
            const store = Store.open(dbPath, { readonly: true, create: false });
            expect(store.status().schemaVersion, `trial ${trial}`).toBeGreaterThan(0);
            store.close();
          }
        }
        const resumed = await runGrove(['index', repo, '--index', indexDir, '--json']);
        expect(resumed.code, `trial ${trial}: ${resumed.stderr}`).toBe(0);
        const summary = ndjson(resumed.stdout).at(-1) as unknown as SummaryEvent;
        if (summary.run.filesUnchanged > 0) resumedWithWorkDone++;
        expect(
          await indexSnapshot(indexDir),
          `trial ${trial} after kills at ${delays.join(', ')} ms`,
        ).toEqual(clean);
      }
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
    // The kills landed after some commits in most trials, and those files were not redone.
    expect(resumedWithWorkDone).toBeGreaterThan(TRIALS / 3);
  }, 600_000);
});

describe('the index lock', () => {
  it('refuses a second run on the same index with INDEX_LOCKED naming the holder', async () => {
    const indexDir = join(repo, '..', `${repo.split('/').pop()}-locked`);
    try {
      const first = spawn(GROVE_BIN, ['index', repo, '--index', indexDir, '--full', '--json'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      // Wait for the first run's start event: it holds the lock from before then.
      await new Promise<void>((resolve) => first.stdout.once('data', () => resolve()));
      const second = await runGrove(['index', repo, '--index', indexDir]);
      expect(second.code).toBe(5);
      expect(second.stderr).toMatch(/INDEX_LOCKED/);
      expect(second.stderr).toContain(String(first.pid));
      await new Promise((resolve) => first.on('exit', resolve));
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
  }, 120_000);
});
