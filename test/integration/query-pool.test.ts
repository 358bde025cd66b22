/**
 * The daemon's query threads, real worker threads over a real index: the same answers as the index
 * opened here, declining until a thread is ready, a second thread only while queries wait, errors
 * rebuilt from their codes, a replaced index file read anew after `forget`, a dead thread failing only
 * its own query, and every thread gone once idle.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../src/errors.js';
import type { GroveIndex } from '../../src/query/open-index.js';
import { QueryPool } from '../../src/server/query-pool.js';
import type { PooledMethod } from '../../src/server/query-worker-protocol.js';
import { eventually } from '../helpers/daemon-process.js';
import { index } from '../helpers/index-runs.js';
import { type IndexedSample, indexedSample } from '../helpers/indexed-sample.js';

let sample: IndexedSample;
let repo: string;
let indexDir: string;
let here: GroveIndex;
let pool: QueryPool;

beforeEach(async () => {
  sample = await indexedSample('grove-query-pool-');
  ({ repo, indexDir, opened: here } = sample);
});

afterEach(async () => {
  await pool?.close();
  sample.remove();
});

/** Runs on a thread, waiting for one to be ready first (the pool declines until then). */
async function onThread(method: PooledMethod, args: unknown[]): Promise<Record<string, unknown>> {
  let answer = pool.run(indexDir, method, args);
  await eventually(async () => {
    answer ??= pool.run(indexDir, method, args);
    return answer !== null;
  });
  return answer!;
}

const withoutFreshness = ({ freshness: _, ...rest }: { freshness: unknown }) => rest;

describe('QueryPool', () => {
  it('answers search, refs, map and context exactly as the index opened here', async () => {
    pool = new QueryPool({ threads: 1 });
    expect(pool.run(indexDir, 'search', ['route request', { limit: 5 }])).toBeNull();
    expect(pool.stats).toMatchObject({ declined: 1, started: 1 });
    const cases: Array<[PooledMethod, unknown[], () => unknown]> = [
      ['search', ['route request', { limit: 5 }], () => here.search('route request', { limit: 5 })],
      ['refs', ['route_request', {}], () => here.refs('route_request', {})],
      ['map', [{ tokens: 300 }], () => here.map({ tokens: 300 })],
      [
        'context',
        ['src/server/http_server.c', { line: 12 }],
        () => here.context('src/server/http_server.c', { line: 12 }),
      ],
    ];
    for (const [method, args, direct] of cases) {
      const expected = withoutFreshness((await direct()) as { freshness: unknown });
      expect(await onThread(method, args), method).toEqual(expected);
    }
    const search = (await onThread('search', ['route request', { limit: 5 }])) as { results: unknown[] };
    expect(search.results.length).toBeGreaterThan(0);
    expect(pool.stats).toMatchObject({ threads: 1, started: 1, answered: 5, inFlight: 0, waiting: 0 });
  });

  it('starts a second thread only while queries wait, and answers every one', async () => {
    pool = new QueryPool({ threads: 2 });
    await onThread('search', ['cache', {}]);
    expect(pool.stats.started).toBe(1);
    const queries = ['route request', 'profile cache', 'fetch json', 'http server', 'user profile'];
    const answers = await Promise.all(
      [...queries, ...queries].map((query) => pool.run(indexDir, 'search', [query, { limit: 3 }])),
    );
    expect(pool.stats.started).toBe(2);
    for (const [i, answer] of answers.entries()) {
      expect(answer).toEqual(withoutFreshness(here.search(queries[i % queries.length]!, { limit: 3 })));
    }
    expect(pool.stats).toMatchObject({ answered: 11, inFlight: 0, waiting: 0 });
  });

  it('queues a map or a context for its first thread instead of declining it while that thread starts', async () => {
    pool = new QueryPool({ threads: 2 });
    const map = pool.run(indexDir, 'map', [{ tokens: 300 }]);
    expect(map).not.toBeNull();
    expect(pool.stats).toMatchObject({ declined: 0, started: 1, waiting: 1 });
    expect(await map).toEqual(withoutFreshness(await here.map({ tokens: 300 })));
  });

  it('rejects with the same coded error as the index opened here', async () => {
    pool = new QueryPool({ threads: 1 });
    const expected = await here.context('no/such/file.c', {}).catch((error: unknown) => error);
    expect(expected).toBeInstanceOf(GroveError);
    const failed = await onThread('context', ['no/such/file.c', {}]).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(GroveError);
    expect((failed as GroveError).code).toBe((expected as GroveError).code);
    expect((failed as GroveError).message).toBe((expected as GroveError).message);
  });

  it('reads a replaced index file anew once told to forget the old one', async () => {
    pool = new QueryPool({ threads: 1 });
    const before = (await onThread('search', ['replacementMarker', {}])) as { results: unknown[] };
    expect(before.results).toEqual([]);
    writeFileSync(
      join(repo, 'web/marker.ts'),
      'export function replacementMarker(): number {\n  return 7;\n}\n',
    );
    await index(repo, { indexDir, full: true });
    pool.forget(indexDir);
    const after = (await onThread('search', ['replacementMarker', {}])) as {
      results: Array<{ path: string }>;
    };
    expect(after.results.map((result) => result.path)).toContain('web/marker.ts');
  });

  it('fails only the query of a thread that died, with INTERNAL, starts another, and stops a stuck one', async () => {
    const workerUrl = new URL('../fixtures/workers/dying-query-worker.mjs', import.meta.url);
    pool = new QueryPool({ threads: 1, workerUrl, closeGraceMs: 100 });
    const failed = await onThread('search', ['route', {}]).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(GroveError);
    expect((failed as GroveError).code).toBe('INTERNAL');
    await eventually(async () => pool.stats.threads === 0);
    expect(pool.run(indexDir, 'search', ['route', {}])).toBeNull();
    expect(pool.stats.started).toBe(2);
    // A query that never ends: close() stops its thread after the grace, and the query fails.
    const stuck = onThread('search', ['hang', {}]).catch((error: unknown) => error);
    await eventually(async () => pool.stats.inFlight === 1);
    await pool.close();
    expect(await stuck).toMatchObject({ code: 'INTERNAL' });
    expect(pool.stats.threads).toBe(0);
  });

  it('lets every thread go once idle, and starts again on the next query', async () => {
    pool = new QueryPool({ threads: 2, keepWarmMs: 200 });
    await onThread('search', ['route request', {}]);
    expect(pool.stats.threads).toBe(1);
    await eventually(async () => pool.stats.threads === 0);
    expect(pool.run(indexDir, 'search', ['route request', {}])).toBeNull();
    expect(pool.stats).toMatchObject({ threads: 1, started: 2 });
  });

  it('never starts a thread when it has none to start', () => {
    pool = new QueryPool({ threads: 0 });
    expect(pool.run(indexDir, 'search', ['route request', {}])).toBeNull();
    expect(pool.stats).toMatchObject({ threads: 0, started: 0, declined: 0 });
  });
});
