/**
 * SIGINT and SIGTERM stop `grove index` gracefully: the open batch is committed, workers are released,
 * the process exits with ABORTED's status after printing what was done, the index opens and answers,
 * and the next run resumes from there and ends identical to a clean run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import type { ProgressEvent, SummaryEvent } from '../../src/pipeline/index-events.js';
import { Store } from '../../src/store/store.js';
import { type IndexSnapshot, indexSnapshot } from '../helpers/index-snapshot.js';
import { writeMediumRepo } from '../helpers/medium-repo.js';
import { GROVE_BIN, ndjson, runGrove } from '../helpers/run-grove.js';

let repo: string;
let clean: IndexSnapshot;

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'grove-signal-'));
  // Progress comes every 250 ms: the default repository (~0.6 s) could pass from no file done to more
  // than half of them between two events, and the test then had no moment to stop it. 48 modules take
  // ~1.3 s, with two or three events inside that window.
  writeMediumRepo(repo, 48);
  const cleanDir = `${repo}-clean`;
  const run = await runGrove(['index', repo, '--index', cleanDir, '--json']);
  expect(run.code, run.stderr).toBe(0);
  clean = await indexSnapshot(cleanDir);
  rmSync(cleanDir, { recursive: true, force: true });
}, 120_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

interface StoppedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The progress event after which the signal was sent. */
  at: ProgressEvent;
}

/**
 * Runs `grove index --json` (progress events are how the test sees it is mid-run) and sends `signal`
 * once some files are done and many are not.
 */
function stopMidRun(indexDir: string, signal: NodeJS.Signals, extraArgs: string[] = []): Promise<StoppedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(GROVE_BIN, ['index', repo, '--index', indexDir, '--json', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let at: ProgressEvent | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (at !== undefined) return;
      const events = ndjson(stdout.slice(0, stdout.lastIndexOf('\n') + 1)) as unknown as ProgressEvent[];
      const mid = events.find(
        (event) =>
          event.type === 'progress' && event.filesDone >= 1 && event.filesDone < event.filesFound / 2,
      );
      if (mid) {
        at = mid;
        child.kill(signal);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (at === undefined) reject(new Error(`the run ended before it could be stopped: ${stderr}`));
      else resolve({ code, stdout, stderr, at });
    });
  });
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during grove index', (signal) => {
  it('stops gracefully, leaves an index that answers, and the next run resumes to a clean result', async () => {
    const indexDir = `${repo}-${signal}`;
    try {
      const stopped = await stopMidRun(indexDir, signal);
      expect(stopped.code, stopped.stderr).toBe(ERROR_CODES.ABORTED.exit);
      expect(stopped.stderr).toMatch(/stopping/);
      // What was done: the summary is the last line, marked aborted, counting the files committed.
      const summary = ndjson(stopped.stdout).at(-1) as unknown as SummaryEvent;
      expect(summary.type).toBe('summary');
      expect(summary.run.aborted).toBe(true);
      expect(summary.run.filesWritten).toBeGreaterThanOrEqual(stopped.at.filesDone);
      expect(summary.run.filesWritten).toBeLessThan(clean.files.length);

      const store = Store.open(join(indexDir, 'index.db'), { readonly: true });
      try {
        const status = store.status();
        const { indexed, textOnly, skipped, failed } = status.files;
        const committed = indexed + textOnly + skipped + failed;
        expect(committed).toBe(summary.run.filesWritten);
        // It answers: a word of a committed file finds that file.
        const file = [...store.files()].find((row) => row.state === 'indexed' || row.state === 'text-only');
        const word = /[A-Za-z_]{5,}/.exec(readFileSync(join(repo, file?.path ?? ''), 'utf8'))?.[0] ?? '';
        expect(store.search(word).map((hit) => hit.path)).toContain(file?.path);
      } finally {
        store.close();
      }

      const resumed = await runGrove(['index', repo, '--index', indexDir, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = ndjson(resumed.stdout).at(-1) as unknown as SummaryEvent;
      expect(after.run.filesUnchanged).toBe(summary.run.filesWritten);
      expect(after.run.filesUnchanged + after.run.filesWritten).toBe(clean.files.length);
      expect(await indexSnapshot(indexDir)).toEqual(clean);
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('SIGINT without --json', () => {
  it('prints what was done for a human', async () => {
    const indexDir = `${repo}-human`;
    try {
      // --json is how the test sees progress; the human summary is checked through a run that prints it.
      const child = spawn(GROVE_BIN, ['index', repo, '--index', indexDir], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
      });
      const code = await new Promise<number | null>((resolve) => {
        // Without a TTY there is no progress output: the signal goes once the index file exists and grew.
        const timer = setInterval(() => {
          const db = join(indexDir, 'index.db');
          try {
            const reader = Store.open(db, { readonly: true });
            const done = reader.status().files.indexed;
            reader.close();
            if (done >= 10) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          } catch {
            // Not created or not migrated yet.
          }
        }, 20);
        child.on('exit', (exitCode) => {
          clearInterval(timer);
          resolve(exitCode);
        });
      });
      expect(code, stderr).toBe(ERROR_CODES.ABORTED.exit);
      expect(stderr).toMatch(/Stopped early: run `grove index` again to finish\./);
      expect(stderr).toMatch(/files: [\d,]+ indexed, [\d,]+ text-only, \d+ skipped, \d+ failed/);
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
  }, 120_000);
});
