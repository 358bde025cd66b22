/**
 * The query layer on a repository with known answers, through the library (openIndex) and the CLI:
 * ranking, references, the repository map and file context, freshness in every answer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroveIndex, openIndex } from '../../src/query/open-index.js';
import { loadTokenCounter } from '../../src/query/token-count.js';
import { Store } from '../../src/store/store.js';
import { QUERY_REPO } from '../fixtures/query-repo.js';
import { runGrove } from '../helpers/run-grove.js';

let root: string;
let indexDir: string;
let index: GroveIndex;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'grove-query-'));
  for (const [path, text] of Object.entries(QUERY_REPO)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  indexDir = join(root, '.grove');
  const run = await runGrove(['index', root, '--json']);
  expect(run.code, run.stderr).toBe(0);
  index = openIndex(indexDir);
});

afterAll(() => {
  index?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Whether one of the top 3 chunks holds the definition `expected` (`path:name`); small files are one chunk. */
function inTop3(query: string, expected: string): boolean {
  const [path, name] = expected.split(':');
  const definition = index.symbols(name ?? '').results.find((s) => s.path === path);
  expect(definition, `${expected} is defined`).toBeDefined();
  const line = definition?.line ?? -1;
  return index
    .search(query, { limit: 3 })
    .results.some((r) => r.path === path && r.startLine <= line && r.endLine >= line);
}

describe('search ranking', () => {
  it.each([
    ['TokenBucket', 'src/limits/token-bucket.ts:TokenBucket'],
    ['retryWithBackoff', 'src/net/retry.ts:retryWithBackoff'],
    ['parse_config_file', 'src/config/parse-config.ts:parseConfigFile'],
    ['crc32_checksum', 'native/checksum.c:crc32_checksum'],
    ['summarize access log', 'scripts/report.py:summarize_access_log'],
  ])('finds the definition for the identifier query %s in the top 3', (query, expected) => {
    expect(inTop3(query, expected)).toBe(true);
  });

  it.each([
    ['rate limiter that rejects requests when empty', 'src/limits/token-bucket.ts:TokenBucket'],
    ['exponential backoff retry', 'src/net/retry.ts:retryWithBackoff'],
    ['read configuration file defaults', 'src/config/parse-config.ts:parseConfigFile'],
    ['count requests per status code', 'scripts/report.py:summarize_access_log'],
  ])('finds the answering chunk for the natural-language query "%s" in the top 3', (query, expected) => {
    expect(inTop3(query, expected)).toBe(true);
  });

  it('carries freshness', () => {
    const { freshness } = index.search('sleep');
    expect(freshness.indexedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(freshness.dirtyFiles).toBe(0);
  });

  it('says whether the ranking is exact, and ranks every match on request (library and CLI)', async () => {
    const keys = (results: Array<{ path: string; startLine: number }>) =>
      results.map((r) => `${r.path}:${r.startLine}`);
    for (const query of ['retryWithBackoff', 'read configuration file defaults']) {
      const fast = index.search(query, { limit: 5 });
      const exact = index.search(query, { limit: 5, exhaustive: true });
      expect(exact.approximate).toBe(false);
      // This repository has no common words: the fast path ranks every match too.
      expect(fast.approximate).toBe(false);
      expect(keys(fast.results)).toEqual(keys(exact.results));
      const cli = await runGrove(['search', query, '--limit', '5', '--exhaustive', '--json'], { cwd: root });
      expect(cli.code, cli.stderr).toBe(0);
      const answer = JSON.parse(cli.stdout) as { approximate: boolean; results: typeof exact.results };
      expect(answer.approximate).toBe(false);
      expect(keys(answer.results)).toEqual(keys(exact.results));
    }
  });
});

describe('references', () => {
  it('lists the uses of a name, resolved through imports', () => {
    const { results } = index.refs('sleep');
    const uses = results.map(
      (r) => `${r.path}:${r.line} -> ${r.definition?.path}:${r.definition?.line} (${r.resolution})`,
    );
    expect(uses).toEqual([
      'src/config/parse-config.ts:16 -> src/util/sleep.ts:2 (import)',
      'src/net/retry.ts:11 -> src/util/sleep.ts:2 (import)',
    ]);
  });

  it('resolves a C call to the definition, not only the header', () => {
    const [use] = index.refs('crc32_checksum').results;
    expect(use).toMatchObject({ path: 'native/verify.c', line: 4, kind: 'call' });
    expect(use?.definition?.path).toBe('native/checksum.c');
  });
});

describe('repository map', () => {
  it('ranks the most depended-on files first and lists their definitions', async () => {
    const map = await index.map({ tokens: 400 });
    const paths = map.files.map((f) => f.path);
    expect(paths.indexOf('src/util/sleep.ts')).toBeLessThan(paths.indexOf('src/main.ts'));
    expect(
      map.files.find((f) => f.path === 'src/limits/token-bucket.ts')?.symbols.map((s) => s.name),
    ).toContain('TokenBucket');
    expect(map.freshness.dirtyFiles).toBe(0);
  });

  it.each([
    20, 60, 150, 1000,
  ])('never exceeds a budget of %i tokens, counted by the tokenizer', async (tokens) => {
    const count = await loadTokenCounter();
    const map = await index.map({ tokens });
    expect(map.tokens).toBeLessThanOrEqual(tokens);
    expect(count(map.text)).toBe(map.tokens);
  });

  it('is deterministic', async () => {
    const first = await index.map({ tokens: 300 });
    const second = await index.map({ tokens: 300 });
    expect(second.text).toBe(first.text);
  });

  it('ranks around focus files', async () => {
    const focused = await index.map({ tokens: 300, focus: ['native/verify.c'] });
    expect(focused.files[0]?.path).toBe('native/verify.c');
    expect(focused.files[1]?.path).toBe('native/checksum.c');
    const unknown = await index.map({ tokens: 100, focus: ['nope.c'] });
    expect(unknown.unknownFocus).toEqual(['nope.c']);
  });
});

describe('file context', () => {
  it('puts the enclosing definition first and shows imports, users and related chunks', async () => {
    const context = await index.context('src/net/retry.ts', { line: 9, tokens: 2000 });
    expect(context.symbols[0]).toMatchObject({ name: 'retryWithBackoff', enclosing: true });
    expect(context.imports.map((i) => i.source)).toEqual(['../util/sleep.js']);
    expect(context.importedFiles).toEqual(['src/util/sleep.ts']);
    expect(context.dependents.map((d) => d.path)).toEqual(['src/net/http-client.ts']);
    const related = context.related.map((c) => `${c.path} ${c.reason}`);
    expect(related).toContain('src/net/http-client.ts uses retryWithBackoff');
    expect(related).toContain('src/util/sleep.ts defines sleep');
    expect(context.text).toContain('# src/net/retry.ts:9');
  });

  it('stays within its token budget', async () => {
    const count = await loadTokenCounter();
    for (const tokens of [30, 120, 500]) {
      const context = await index.context('src/net/http-client.ts', { tokens });
      expect(context.tokens).toBeLessThanOrEqual(tokens);
      expect(count(context.text)).toBe(context.tokens);
    }
  });

  it('refuses paths outside the root and names unknown files', async () => {
    await expect(index.context('../etc/passwd')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
    await expect(index.context('src/missing.ts')).rejects.toMatchObject({ code: 'FILE_NOT_INDEXED' });
  });
});

describe('freshness with a caller-known dirty count (the daemon)', () => {
  it('takes the dirty count from the caller and sees a run stamp committed by another connection', () => {
    let dirty = 3;
    const watched = openIndex(indexDir, { dirtyFiles: () => dirty });
    const writer = Store.open(join(indexDir, 'index.db'));
    const before = writer.getMeta('indexedAt');
    try {
      expect(watched.symbols('sleep').freshness).toMatchObject({ indexedAt: before, dirtyFiles: 3 });
      dirty = 0;
      writer.setMetas({ indexedAt: '2030-01-02T03:04:05.000Z', commit: 'f'.repeat(40) });
      expect(watched.search('sleep').freshness).toEqual({
        indexedAt: '2030-01-02T03:04:05.000Z',
        commit: 'f'.repeat(40),
        dirtyFiles: 0,
      });
    } finally {
      writer.setMetas({ indexedAt: before ?? '', commit: '' });
      writer.close();
      watched.close();
    }
  });
});

describe('CLI', () => {
  it('prints references, the map and context as JSON with freshness', async () => {
    const refs = await runGrove(['symbols', 'sleep', '--refs', '--json'], { cwd: root });
    expect(refs.code, refs.stderr).toBe(0);
    const parsedRefs = JSON.parse(refs.stdout);
    expect(parsedRefs.results).toHaveLength(2);
    expect(parsedRefs.freshness).toHaveProperty('dirtyFiles', 0);

    const map = await runGrove(['map', '--tokens', '200', '--json'], { cwd: root });
    expect(map.code, map.stderr).toBe(0);
    expect(JSON.parse(map.stdout).tokens).toBeLessThanOrEqual(200);

    // A path relative to the working directory, with a line.
    const context = await runGrove(['context', 'retry.ts:9'], { cwd: join(root, 'src/net') });
    expect(context.code, context.stderr).toBe(0);
    expect(context.stdout).toContain('* 4-');
  });

  it('exits 2 with a coded message for a path outside the root or not indexed', async () => {
    const outside = await runGrove(['context', '/etc/passwd'], { cwd: root });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('[PATH_OUTSIDE_ROOT]');
    const missing = await runGrove(['context', 'src/missing.ts'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[FILE_NOT_INDEXED]');
  });

  it('warns on stderr when the index is stale', async () => {
    writeFileSync(join(root, 'src/util/sleep.ts'), `${QUERY_REPO['src/util/sleep.ts']}\n// edited\n`);
    try {
      const result = await runGrove(['symbols', 'sleep'], { cwd: root });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('1 file has changed');
    } finally {
      writeFileSync(join(root, 'src/util/sleep.ts'), QUERY_REPO['src/util/sleep.ts'] ?? '');
    }
  });
});

describe('releasing memory', () => {
  it('answers the same after its page cache was dropped', () => {
    const before = [
      index.search('retry backoff', { limit: 5 }).results,
      index.symbols('TokenBucket').results,
    ];
    index.releaseMemory();
    const after = [index.search('retry backoff', { limit: 5 }).results, index.symbols('TokenBucket').results];
    expect(after).toEqual(before);
    expect(before[0]).not.toHaveLength(0);
  });
});
