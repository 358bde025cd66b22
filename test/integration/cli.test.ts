/** The CLI as a user runs it: output contracts (--json shapes), human output and exit codes. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { ndjson, runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-cli-'));
  writeSampleRepo(dir);
  const run = await runGrove(['index', '--json'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grove index --json', () => {
  it('prints NDJSON events ending with the summary object of the spec', async () => {
    const run = await runGrove(['index', dir, '--json']);
    const events = ndjson(run.stdout);
    expect(events[0]).toMatchObject({ type: 'start', root: dir });
    const summary = events.at(-1);
    expect(summary).toMatchObject({
      type: 'summary',
      files: { indexed: 6, textOnly: 3, skipped: 0, failed: 0 },
      symbols: expect.any(Number),
      chunks: expect.any(Number),
      bytes: expect.any(Number),
      wallMs: expect.any(Number),
      peakRssBytes: expect.any(Number),
      languages: expect.objectContaining({ c: 2, go: 1 }),
    });
    expect(run.stderr).toBe('');
  });

  it('prints a human summary without --json', async () => {
    const run = await runGrove(['index', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/files: 6 indexed, 3 text-only, 0 skipped, 0 failed/);
    expect(run.stderr).toMatch(/peak RSS/);
  });
});

describe('grove search and status', () => {
  it('finds a definition by identifier, with the spec JSON shape and freshness', async () => {
    const run = await runGrove(['search', 'route_request', '--json', '--limit', '3'], {
      cwd: join(dir, 'src'),
    });
    expect(run.code, run.stderr).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(Object.keys(body.results[0]).sort()).toEqual(
      ['endLine', 'kind', 'path', 'score', 'snippet', 'startLine', 'symbol'].sort(),
    );
    expect(body.results.length).toBeLessThanOrEqual(3);
    expect(body.results.map((r: { path: string }) => r.path)).toContain('src/server/router.h');
    expect(body.freshness).toEqual({ indexedAt: expect.any(String), commit: null, dirtyFiles: 0 });
  });

  it('filters by language and prints snippets with line numbers for humans', async () => {
    const run = await runGrove(['search', 'profile', '--lang', 'typescript'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^web\/userProfile\.ts:\d+-\d+/m);
    expect(run.stdout).not.toMatch(/\.py:/);
  });

  it('warns on stderr when files changed since the index was built', async () => {
    writeFileSync(join(dir, 'tools/report.py'), 'def changed():\n    pass\n');
    const run = await runGrove(['search', 'ReportWriter'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/1 file has changed since the index was built/);
    const status = JSON.parse((await runGrove(['status', '--json'], { cwd: dir })).stdout);
    expect(status).toMatchObject({
      files: { indexed: 6, textOnly: 3, skipped: 0, failed: 0 },
      freshness: { dirtyFiles: 1 },
    });
    expect(status.schemaVersion).toBe(SCHEMA_VERSION);
  });
});

describe('exit codes and messages', () => {
  it.each([
    [['frobnicate'], 2, /unknown command "frobnicate"/, 'USAGE'],
    [['index', '--max-memory', 'lots'], 2, /--max-memory: cannot read "lots"/, 'CONFIG_INVALID'],
    [['index', '--bogus'], 2, /Unknown option '--bogus'/, 'USAGE'],
    [['index', '/definitely/not/here'], 2, /is not a directory/, 'ROOT_NOT_FOUND'],
    [['search'], 2, /needs a QUERY/, 'USAGE'],
  ])('grove %j exits %i with a clear message', async (args, code, message, errorCode) => {
    const run = await runGrove(args as string[], { cwd: dir });
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(`[${errorCode}]`);
  });

  it.each([
    [['index', '--help'], '--max-memory SIZE     hard memory budget', '--socket PATH'],
    [['search', '-h'], '--limit N', '--max-memory'],
    [['help', 'serve'], '--socket PATH', '--dry-run'],
  ])('grove %j prints the options of that command and exits 0', async (args, shown, notShown) => {
    const run = await runGrove(args, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(shown);
    expect(run.stdout).toContain('Common options:');
    expect(run.stdout).not.toContain(notShown);
  });

  it('reads --help after -- as an argument, not as a request for help', async () => {
    const run = await runGrove(['search', '--', '--help'], { cwd: dir });
    expect(run.stdout).not.toContain('Usage:');
  });

  it('grove --version prints the version of package.json and exits 0', async () => {
    const run = await runGrove(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`grove ${PACKAGE_VERSION}`);
  });

  it('exits 3 with INDEX_NOT_FOUND where there is no index', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'grove-empty-'));
    try {
      const run = await runGrove(['status'], { cwd: empty, env: { GROVE_INDEX_DIR: '' } });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/no grove index/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 4 with INDEX_CORRUPT naming the file when the index is garbage', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'grove-broken-'));
    try {
      const indexDir = join(broken, 'idx');
      rmSync(indexDir, { recursive: true, force: true });
      await runGrove(['index', broken, '--index', indexDir, '--json']);
      corruptIndex(indexDir);
      const run = await runGrove(['search', 'x', '--index', indexDir]);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(join(indexDir, 'index.db'));
      expect(run.stderr).toMatch(/--full|\[INDEX_CORRUPT\]/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('grove index --full', () => {
  it('rebuilds a corrupt index from scratch', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'grove-full-'));
    try {
      writeSampleRepo(repo);
      const indexDir = join(repo, '.grove');
      expect((await runGrove(['index', repo, '--json'])).code).toBe(0);
      corruptIndex(indexDir);
      const refused = await runGrove(['index', repo]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/grove index --full/);
      const rebuilt = await runGrove(['index', repo, '--full', '--json']);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(ndjson(rebuilt.stdout).at(-1)).toMatchObject({ files: { indexed: 6, textOnly: 3 } });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('grove index --dry-run', () => {
  it('plans without parsing or writing anything', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'grove-dry-'));
    try {
      writeSampleRepo(repo);
      const run = await runGrove(['index', repo, '--dry-run', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({
        type: 'dry-run',
        byState: { indexed: 6, textOnly: 3, skipped: 0, failed: 0 },
      });
      expect(report.excluded).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'build/', reason: '.gitignore' })]),
      );
      expect(report.estimate.seconds).toBeGreaterThan(0);
      expect(existsSync(join(repo, '.grove'))).toBe(false);
      const human = await runGrove(['index', repo, '--dry-run']);
      expect(human.stdout).toMatch(/nothing was parsed or written/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

/** Replaces an index with bytes that are not a SQLite database (and drops its WAL), as a damaged disk would. */
function corruptIndex(indexDir: string): void {
  writeFileSync(join(indexDir, 'index.db'), Buffer.alloc(8192, 0x5a));
  for (const suffix of ['-wal', '-shm']) rmSync(join(indexDir, `index.db${suffix}`), { force: true });
}
