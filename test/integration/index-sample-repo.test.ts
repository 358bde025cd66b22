import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexRepository, openIndex } from '../../src/index.js';
import type { IndexEvent, SummaryEvent } from '../../src/pipeline/index-events.js';
import {
  BULK_MERGING,
  LIVE_MERGING,
  type MergeSettings,
  readMergeSettings,
} from '../../src/store/fts-merging.js';
import { Store } from '../../src/store/store.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;
let expectedPaths: string[];

async function indexAll(
  root: string,
  options = {},
): Promise<{ events: IndexEvent[]; summary: SummaryEvent }> {
  const events: IndexEvent[] = [];
  for await (const event of indexRepository(root, options)) events.push(event);
  const summary = events.at(-1);
  if (summary?.type !== 'summary') throw new Error('no summary event at the end');
  return { events, summary };
}

/** The full-text merge settings stored in the index of `root`. */
function mergeSettingsOf(root: string): MergeSettings {
  const db = new Database(join(root, '.grove', 'index.db'), { readonly: true });
  try {
    return readMergeSettings(db);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'grove-sample-'));
  expectedPaths = writeSampleRepo(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('indexing a small multi-language repository', () => {
  it('records every walked file exactly once, honouring .gitignore', async () => {
    const { events, summary } = await indexAll(dir, { concurrency: 2 });
    expect(events[0]?.type).toBe('start');
    const store = Store.open(join(dir, '.grove', 'index.db'), { readonly: true });
    const paths = [...store.files()].map((file) => file.path).sort();
    store.close();
    expect(paths).toEqual([...expectedPaths].sort());
    expect(summary.files.failed).toBe(0);
    expect(summary.files.indexed).toBe(6);
    expect(summary.files.textOnly).toBe(3);
    expect(summary.languages).toMatchObject({ c: 2, python: 1, typescript: 2, go: 1 });
    expect(summary.symbols).toBeGreaterThan(10);
    expect(summary.chunks).toBeGreaterThanOrEqual(9);
    expect(summary.peakRssBytes).toBeGreaterThan(0);
    // The first build loaded with the bulk merge settings and left the live ones (fts-merging.ts).
    expect(mergeSettingsOf(dir)).toEqual(LIVE_MERGING);
  });

  it('answers searches and symbol lookups from the stored index', () => {
    const index = openIndex(join(dir, '.grove'));
    try {
      const byIdentifier = index.search('start_http_server');
      expect(byIdentifier.results[0]?.path).toBe('src/server/http_server.c');
      const byWords = index.search('user profile cache');
      expect(byWords.results.slice(0, 3).map((result) => result.path)).toContain('web/userProfile.ts');
      const symbols = index.symbols('ReportWriter').results;
      expect(symbols).toEqual([
        expect.objectContaining({ name: 'ReportWriter', kind: 'class', path: 'tools/report.py', line: 5 }),
      ]);
      expect(byIdentifier.freshness.indexedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(byIdentifier.freshness.dirtyFiles).toBe(0);
    } finally {
      index.close();
    }
  });

  it('removes deleted files and reports edited ones as dirty until re-indexed', async () => {
    unlinkSync(join(dir, 'cmd/main.go'));
    writeFileSync(join(dir, 'web/http.ts'), 'export const changed = true;\n');
    const before = openIndex(join(dir, '.grove'));
    expect(before.status().freshness.dirtyFiles).toBe(2);
    before.close();
    const { summary } = await indexAll(dir, { concurrency: 1 });
    expect(summary.run.filesRemoved).toBe(1);
    const after = openIndex(join(dir, '.grove'));
    try {
      expect(after.status().freshness.dirtyFiles).toBe(0);
      expect(after.symbols('Greeter').results).toEqual([]);
      expect(after.search('fetchJson').results.map((result) => result.path)).not.toContain('web/http.ts');
    } finally {
      after.close();
    }
  });

  it('stops on abort and leaves an index that opens', async () => {
    const controller = new AbortController();
    const events: IndexEvent[] = [];
    for await (const event of indexRepository(dir, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'start') controller.abort(new Error('stop now'));
    }
    const summary = events.at(-1) as SummaryEvent;
    expect(summary.type).toBe('summary');
    expect(summary.run.aborted).toBe(true);
    // An already cancelled run does not start at all.
    await expect(indexAll(dir, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    const index = openIndex(join(dir, '.grove'));
    expect(index.status().files.indexed).toBeGreaterThan(0);
    index.close();
  });

  it('leaves a stopped first build its bulk merge settings, and the next run restores them', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'grove-sample-'));
    try {
      writeSampleRepo(fresh);
      const controller = new AbortController();
      for await (const event of indexRepository(fresh, { signal: controller.signal })) {
        if (event.type === 'start') controller.abort(new Error('stop now'));
      }
      expect(mergeSettingsOf(fresh)).toEqual(BULK_MERGING);
      await indexAll(fresh);
      expect(mergeSettingsOf(fresh)).toEqual(LIVE_MERGING);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('stops on abort while the walk is thousands of entries ahead of the readers', async () => {
    // More files than the walk may queue ahead (8,192): the walk fills its queue long before the readers
    // catch up, and an abort must not leave it waiting for room that never comes.
    const wide = mkdtempSync(join(tmpdir(), 'grove-wide-'));
    try {
      for (let d = 0; d < 50; d++) {
        const sub = join(wide, `d${d}`);
        mkdirSync(sub);
        for (let f = 0; f < 200; f++)
          writeFileSync(join(sub, `f${f}.c`), `int f${d}_${f}(void) { return ${f}; }\n`);
      }
      const controller = new AbortController();
      let last: IndexEvent | undefined;
      for await (const event of indexRepository(wide, { signal: controller.signal })) {
        last = event;
        if (event.type === 'progress' && event.filesDone > 0) controller.abort(new Error('stop now'));
      }
      expect(last?.type).toBe('summary');
      const summary = last as SummaryEvent;
      expect(summary.run.aborted).toBe(true);
      expect(summary.run.filesWritten).toBeLessThan(10_000);
    } finally {
      rmSync(wide, { recursive: true, force: true });
    }
  }, 60_000);
});
