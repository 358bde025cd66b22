/**
 * The per-file parse timeout end to end: `grove index --parse-timeout` stops a pathological file instead
 * of hanging on it, records it as failed (PARSE_TIMEOUT) with its text still searchable, counts it in the
 * summary, and indexes every other file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import { ndjson, runGrove } from '../helpers/run-grove.js';

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'grove-timeout-'));
  // ~1 s of tree-sitter work on this machine (under the 1 MiB parse cap): five times the limit below.
  const nested = `int f(void) { return ${'('.repeat(5000)}1${')'.repeat(5000)}; }\n`.repeat(90);
  writeFileSync(join(repo, 'slow.c'), `int slowMarkerToken = 1;\n${nested}`);
  for (let i = 0; i < 20; i++) writeFileSync(join(repo, `ok${i}.c`), `int ok${i}(void) { return ${i}; }\n`);
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('grove index --parse-timeout', () => {
  it('fails only the slow file, keeps its text searchable, and counts it', async () => {
    const run = await runGrove(['index', repo, '--json', '--parse-timeout', '200ms', '--concurrency', '2']);
    expect(run.code, run.stderr).toBe(1);
    const events = ndjson(run.stdout);
    const failed = events.filter((event) => event.type === 'file-failed');
    expect(failed).toEqual([
      expect.objectContaining({
        path: 'slow.c',
        reason: 'parse_timeout',
        error: expect.objectContaining({ code: 'PARSE_TIMEOUT' }),
      }),
    ]);
    const summary = events.at(-1) as unknown as SummaryEvent;
    expect(summary.files).toEqual({ indexed: 20, textOnly: 0, skipped: 0, failed: 1 });
    expect(summary.run.parseTimeouts).toBe(1);
    const search = await runGrove(['search', 'slowMarkerToken', '--json', '--index', join(repo, '.grove')]);
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout).results[0]).toMatchObject({ path: 'slow.c', startLine: 1 });
  });

  it('refuses a duration it cannot read with CONFIG_INVALID', async () => {
    const run = await runGrove(['index', repo, '--parse-timeout', 'forever']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--parse-timeout.*\n.*\[CONFIG_INVALID\]/);
  });
});
