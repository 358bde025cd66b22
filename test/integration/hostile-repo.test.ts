/**
 * The hostile fixture set through the real CLI: every file the walk can see ends in exactly one recorded
 * state with a reason, and the run exits cleanly (0, or 1 for per-file failures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { makeHostileRepo } from '../fixtures/hostile.js';
import { ndjson, runGrove } from '../helpers/run-grove.js';

let dir: string;
let created: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-hostile-'));
  created = await makeHostileRepo(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grove index on a hostile repository', () => {
  it('exits cleanly and records every file with a state and a reason', async () => {
    const run = await runGrove(['index', dir, '--json', '--max-memory', '192M']);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/); // no stack traces
    expect([0, 1]).toContain(run.code);
    const events = ndjson(run.stdout);
    const summary = events.at(-1);
    expect(summary?.type).toBe('summary');

    const store = Store.open(join(dir, '.grove', 'index.db'), { readonly: true });
    const files = new Map([...store.files()].map((file) => [file.path, file]));
    store.close();
    const ignored = new Set(['sub/debug.log', 'sub/note.excluded']); // .gitignore, .git/info/exclude
    for (const path of ignored) expect(files.has(path), path).toBe(false);
    for (const path of created.filter((created) => !ignored.has(created))) {
      const file = files.get(path);
      expect(file, `no row for ${JSON.stringify(path)}`).toBeDefined();
      expect(['indexed', 'text-only', 'skipped', 'failed']).toContain(file?.state);
      expect(file?.reason).not.toBe('');
    }
    const byName = (suffix: string) => [...files.values()].find((file) => file.path.endsWith(suffix));
    expect(byName('big-line.min.js')?.state).toBe('text-only');
    const counts = summary?.files as Record<string, number>;
    const total = counts.indexed! + counts.textOnly! + counts.skipped! + counts.failed!;
    expect(total).toBe(files.size);
    expect(run.peakRssBytes).toBeLessThan(192 * 1024 * 1024);
  });

  it('shows the failures in grove status --json', async () => {
    const run = await runGrove(['status', '--json', '--index', join(dir, '.grove')]);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.schemaVersion).toBeGreaterThan(0);
    expect(status.failures.length).toBe(status.files.failed);
    expect(status.freshness).toHaveProperty('dirtyFiles');
  });
});
