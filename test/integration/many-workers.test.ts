/**
 * A machine with many cores: every file task of a run may wait on the memory budget at once, each with
 * an abort listener on the run's signal. Eight workers mean 26 tasks, and Node printed a leak warning
 * past 10 listeners. The run must print nothing but its own output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runGrove } from '../helpers/run-grove.js';

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'grove-many-workers-'));
  // 300 C files of ~24 KiB: each costs ~1 MiB of the in-flight budget, so the readers wait for room.
  for (let i = 0; i < 300; i++) {
    const lines = Array.from(
      { length: 400 },
      (_, j) => `int fn_${i}_${j}(int x) { return x * ${j} + fn_${i}_${(j + 1) % 400}(x - 1); }`,
    );
    writeFileSync(join(repo, `f${i}.c`), `${lines.join('\n')}\n`);
  }
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('grove index with eight workers', () => {
  it('indexes everything without a listener-leak warning', async () => {
    const indexDir = `${repo}-index`;
    try {
      const run = await runGrove([
        'index',
        repo,
        '--index',
        indexDir,
        '--json',
        '--concurrency',
        '8',
        '--max-memory',
        '512M',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
      const summary = ndjson(run.stdout).at(-1) as unknown as { files: { indexed: number } };
      expect(summary.files.indexed).toBe(300);
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
  }, 120_000);
});
