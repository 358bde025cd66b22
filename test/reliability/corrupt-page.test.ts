/**
 * A damaged page inside an existing index (seeded: a different table or index each trial, a random page
 * of it): `grove status --check` reports INDEX_CORRUPT naming the file; every query, through the CLI and
 * the library, either answers or fails with INDEX_CORRUPT (never a crash or another code); an incremental
 * run does the same and leaves no lock behind; `grove index --full` rebuilds an index equal to a clean one.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroveError } from '../../src/errors.js';
import { openIndex } from '../../src/query/open-index.js';
import { type IndexSnapshot, indexSnapshot } from '../helpers/index-snapshot.js';
import { type GroveRun, runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { btreePages, damagePage } from './damage-page.js';
import { report, SCALE, SEED } from './scale.js';

const QUERIES = ['connection', 'route request', 'worker run', 'nothing_matches_this'];

let root: string;
let repo: string;
let cleanIndex: string;
let clean: IndexSnapshot;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'grove-corrupt-'));
  repo = join(root, 'repo');
  writeSampleRepo(repo);
  // Enough files that every table and index spans several pages, so a damaged page is one of many.
  mkdirSync(join(repo, 'many'));
  for (let i = 0; i < 120; i++) writeFileSync(join(repo, 'many', `unit${i}.c`), unitSource(i));
  cleanIndex = join(root, 'clean');
  const run = await runGrove(['index', repo, '--index', cleanIndex, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const db = new Database(join(cleanIndex, 'index.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  clean = await indexSnapshot(cleanIndex);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A run either succeeded or failed with INDEX_CORRUPT naming the file: nothing else, no stack trace. */
function expectAnswerOrCorrupt(run: GroveRun, dbPath: string, what: string): 'ok' | 'corrupt' {
  expect(run.stderr, what).not.toMatch(/at .*\.js:\d+/);
  expect([0, 4], `${what}: ${run.stderr}`).toContain(run.code);
  if (run.code === 0) return 'ok';
  expect(run.stderr, what).toContain('[INDEX_CORRUPT]');
  expect(run.stderr, what).toContain(dbPath);
  return 'corrupt';
}

function libraryOutcome(indexDir: string, call: (index: ReturnType<typeof openIndex>) => unknown): string {
  let index: ReturnType<typeof openIndex> | null = null;
  try {
    index = openIndex(indexDir);
    call(index);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(GroveError);
    expect((error as GroveError).code).toBe('INDEX_CORRUPT');
    expect((error as GroveError).message).toContain(join(indexDir, 'index.db'));
    return 'corrupt';
  } finally {
    index?.close();
  }
}

describe('a damaged page inside an index', () => {
  it(
    `is detected and reported, queries fail with a code, and --full rebuilds (${SCALE.corruptTrials} seeded trials)`,
    async () => {
      const random = seededRandom(SEED);
      const pages = btreePages(join(cleanIndex, 'index.db'));
      // The files table's unique index first: every incremental run reads it for each file it walks.
      const first = ['sqlite_autoindex_files_1', 'chunks_fts_data', 'symbols', 'files'];
      const objects = [...first, ...[...pages.keys()].filter((name) => !first.includes(name))];
      expect([...pages.keys()]).toEqual(expect.arrayContaining([...first, 'chunks']));
      const outcomes: string[] = [];
      for (let trial = 0; trial < SCALE.corruptTrials; trial++) {
        const object = objects[trial % objects.length]!;
        const candidates = pages.get(object)!;
        const page = candidates[Math.floor(random() * candidates.length)]!;
        const label = `trial ${trial}: ${object} page ${page.pageno} (${page.pagetype})`;
        const indexDir = join(root, `trial-${trial}`);
        const dbPath = join(indexDir, 'index.db');
        cpSync(cleanIndex, indexDir, { recursive: true });
        damagePage(dbPath, page.pageno, random);

        const checked = await runGrove(['status', '--check', '--index', indexDir]);
        expect(checked.code, `${label}: ${checked.stderr}`).toBe(4);
        expect(checked.stderr, label).toContain('[INDEX_CORRUPT]');
        expect(checked.stderr, label).toContain(dbPath);
        expect(checked.stderr, label).toContain('grove index --full');

        const seen: string[] = [
          expectAnswerOrCorrupt(await runGrove(['status', '--json', '--index', indexDir]), dbPath, label),
        ];
        seen.push(
          expectAnswerOrCorrupt(
            await runGrove(['search', QUERIES[trial % QUERIES.length]!, '--index', indexDir]),
            dbPath,
            label,
          ),
        );
        for (const query of QUERIES)
          seen.push(libraryOutcome(indexDir, (index) => index.search(query, { limit: 50 })));
        seen.push(libraryOutcome(indexDir, (index) => index.symbols('worker_*_run_*', { limit: 1000 })));
        seen.push(libraryOutcome(indexDir, (index) => index.status()));
        seen.push(libraryOutcome(indexDir, (index) => index.check()));
        expect(seen.at(-1), `${label}: the library check`).toBe('corrupt');

        writeFileSync(join(repo, 'many', 'unit0.c'), `int edited_${trial}(void) { return ${trial}; }\n`);
        const incremental = await runGrove(['index', repo, '--index', indexDir, '--json']);
        seen.push(expectAnswerOrCorrupt(incremental, dbPath, `${label}: incremental run`));
        outcomes.push(`${object}:${seen.join(',')}`);

        const rebuilt = await runGrove(['index', repo, '--index', indexDir, '--full', '--json']);
        expect(rebuilt.code, `${label}: ${rebuilt.stderr}`).toBe(0);
        expect((await runGrove(['status', '--check', '--index', indexDir])).code, label).toBe(0);
        const snapshot = await indexSnapshot(indexDir);
        writeFileSync(join(repo, 'many', 'unit0.c'), unitSource(0));
        const restored = await runGrove(['index', repo, '--index', indexDir, '--json']);
        expect(restored.code, restored.stderr).toBe(0);
        expect(await indexSnapshot(indexDir), label).toEqual(clean);
        expect(snapshot.files.length, label).toBe(clean.files.length);
        rmSync(indexDir, { recursive: true, force: true });
      }
      report('damaged pages (object: status, search, library x7, incremental)', { outcomes });
      // Across the trials, some damage was met by ordinary commands too, not only by --check.
      expect(
        outcomes.some((outcome) => outcome.includes('corrupt')),
        outcomes.join('\n'),
      ).toBe(true);
    },
    SCALE.timeoutMs,
  );
});

function unitSource(i: number): string {
  const body = Array.from(
    { length: 8 },
    (_, f) => `int worker_${i}_run_${f}(int x) { return route_${f}(x) + ${i}; }`,
  );
  return `#include "router.h"\n${body.join('\n')}\n`;
}
