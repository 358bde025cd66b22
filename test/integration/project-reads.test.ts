/**
 * A project's reads over a real index: a repeated question is answered from the kept answers, a commit
 * by another connection (an index run) makes every kept answer stale, cheap answers are not kept, and
 * the answers are those of the index opened directly, freshness included.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroveIndex } from '../../src/query/open-index.js';
import { ProjectReads } from '../../src/server/project-reads.js';
import { index } from '../helpers/index-runs.js';
import { type IndexedSample, indexedSample } from '../helpers/indexed-sample.js';

let sample: IndexedSample;
let repo: string;
let indexDir: string;
let opened: GroveIndex;

beforeEach(async () => {
  sample = await indexedSample('grove-reads-');
  ({ repo, indexDir, opened } = sample);
});

afterEach(() => sample.remove());

const paths = (answer: { results: Array<{ path: string }> }) => answer.results.map((result) => result.path);

describe('ProjectReads', () => {
  it('answers a repeated question from the kept answer until an index run commits', async () => {
    const reads = new ProjectReads(indexDir, undefined, { keepAboveMs: 0 });
    const first = await reads.read(opened, 'search', ['wombatCount', { limit: 5 }]);
    expect(first).toEqual(opened.search('wombatCount', { limit: 5 }));
    expect(paths(first)).toEqual([]);
    expect(await reads.read(opened, 'search', ['wombatCount', { limit: 5 }])).toEqual(first);
    expect(reads.stats).toMatchObject({ entries: 1, hits: 1, misses: 1 });

    writeFileSync(join(repo, 'web/wombat.ts'), 'export function wombatCount(): number {\n  return 3;\n}\n');
    await index(repo, { indexDir });
    const after = await reads.read(opened, 'search', ['wombatCount', { limit: 5 }]);
    expect(paths(after)).toContain('web/wombat.ts');
    expect(reads.stats).toMatchObject({ entries: 1, hits: 1, misses: 2 });
    const refs = await reads.read(opened, 'refs', ['fetchJson', {}]);
    expect(refs).toEqual(opened.refs('fetchJson', {}));
  });

  it('does not keep answers computed faster than its threshold', async () => {
    const reads = new ProjectReads(indexDir, undefined, { keepAboveMs: 60_000 });
    await reads.read(opened, 'refs', ['route_request', {}]);
    await reads.read(opened, 'refs', ['route_request', {}]);
    expect(reads.stats).toMatchObject({ entries: 0, hits: 0, misses: 2 });
  });

  it('forgets its kept answers when the index file is closed or replaced', async () => {
    const reads = new ProjectReads(indexDir, undefined, { keepAboveMs: 0 });
    await reads.read(opened, 'map', [{ tokens: 200 }]);
    expect(reads.stats.entries).toBe(1);
    reads.forget();
    expect(reads.stats.entries).toBe(0);
    expect(await reads.read(opened, 'map', [{ tokens: 200 }])).toEqual(await opened.map({ tokens: 200 }));
  });
});
