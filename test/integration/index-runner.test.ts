/**
 * The daemon's index runs in a real worker thread: the same index as a run on this thread, one warm
 * worker reused across runs and gone once idle, errors rebuilt from their codes, and a run stopped by
 * its consumer releasing the index lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../src/errors.js';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import { IndexRunner } from '../../src/server/index-runner.js';
import { acquireIndexLock } from '../../src/store/index-lock.js';
import { eventually } from '../helpers/daemon-process.js';
import { index } from '../helpers/index-runs.js';
import { indexSnapshot } from '../helpers/index-snapshot.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

const MAX_MEMORY = 256 * 1024 * 1024;
let dir: string;
let repo: string;
let runner: IndexRunner;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grove-runner-'));
  repo = join(dir, 'repo');
  writeSampleRepo(repo);
});

afterEach(async () => {
  await runner?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function summaryOf(events: AsyncIterable<{ type: string }>): Promise<SummaryEvent> {
  let summary: SummaryEvent | undefined;
  for await (const event of events) if (event.type === 'summary') summary = event as SummaryEvent;
  if (!summary) throw new Error('no summary');
  return summary;
}

describe('IndexRunner', () => {
  it('builds the same index in its worker as a run on this thread', async () => {
    runner = new IndexRunner({ maxMemory: MAX_MEMORY });
    const inWorker = join(dir, 'worker-index');
    const here = join(dir, 'here-index');
    const summary = await summaryOf(runner.run(repo, { indexDir: inWorker, maxMemory: MAX_MEMORY }, false));
    await index(repo, { indexDir: here });
    expect(summary.files.indexed).toBeGreaterThan(0);
    expect(await indexSnapshot(inWorker)).toEqual(await indexSnapshot(here));
  });

  it('keeps one worker warm across runs and lets it go once idle', async () => {
    runner = new IndexRunner({ maxMemory: MAX_MEMORY, keepWarmMs: 200 });
    const indexDir = join(dir, 'index');
    await summaryOf(runner.run(repo, { indexDir, maxMemory: MAX_MEMORY }, false));
    writeFileSync(join(repo, 'web/added.ts'), 'export function addedLater(): number {\n  return 1;\n}\n');
    const batch = await summaryOf(
      runner.run(repo, { indexDir, maxMemory: MAX_MEMORY, paths: ['web/added.ts'] }, true),
    );
    expect(batch.run.filesWritten).toBe(1);
    expect(batch.run.link.mode).toBe('none');
    expect(runner.started).toBe(1);
    await eventually(async () => !runner.running);
    await summaryOf(runner.run(repo, { indexDir, maxMemory: MAX_MEMORY }, false));
    expect(runner.started).toBe(2);
  });

  it('warms up ahead of the first run in the worker that run then uses, and lets it go once idle', async () => {
    runner = new IndexRunner({ maxMemory: MAX_MEMORY, keepWarmMs: 300 });
    runner.warm(['typescript', 'python']);
    expect(runner.running).toBe(true);
    const indexDir = join(dir, 'index');
    const summary = await summaryOf(runner.run(repo, { indexDir, maxMemory: MAX_MEMORY }, false));
    expect(summary.files.failed).toBe(0);
    expect(runner.started).toBe(1);
    await eventually(async () => !runner.running);
    // Warming alone (no run follows) also ends in an idle exit.
    runner.warm(['go']);
    expect(runner.started).toBe(2);
    await eventually(async () => !runner.running);
  });

  it('rethrows a failed run as the GroveError its code names', async () => {
    runner = new IndexRunner({ maxMemory: MAX_MEMORY });
    const indexDir = join(dir, 'index');
    const lock = await acquireIndexLock(join(indexDir, 'index.db'), { command: 'test holder' });
    try {
      const failure = await summaryOf(runner.run(repo, { indexDir, maxMemory: MAX_MEMORY }, false)).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(GroveError);
      expect((failure as GroveError).code).toBe('INDEX_LOCKED');
    } finally {
      lock.release();
    }
    // The worker survived its failed run and indexes once the lock is free.
    expect(
      (await summaryOf(runner.run(repo, { indexDir, maxMemory: MAX_MEMORY }, false))).files.indexed,
    ).toBeGreaterThan(0);
  });

  it('stops a run whose consumer stops reading, and releases the index lock', async () => {
    runner = new IndexRunner({ maxMemory: MAX_MEMORY });
    const indexDir = join(dir, 'index');
    for await (const event of runner.run(repo, { indexDir, maxMemory: MAX_MEMORY }, false)) {
      if (event.type === 'start') break;
    }
    const lock = await acquireIndexLock(join(indexDir, 'index.db'), { command: 'test after stop' });
    lock.release();
  });
});
