/**
 * A full disk while storing: the run stops with DISK_FULL (its exit status from the registry) and a
 * message naming the index, the index still opens and answers with everything committed before, and
 * once there is space again the next run completes to the same result as a clean run.
 *
 * The disk is "full" through SQLite's own limit (`max_page_count`, set by the GROVE_FAULT_MAX_DB_PAGES
 * seam): writes that need a new page fail with SQLITE_FULL, exactly as on a full file system.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { Store } from '../../src/store/store.js';
import { type IndexSnapshot, indexSnapshot } from '../helpers/index-snapshot.js';
import { writeMediumRepo } from '../helpers/medium-repo.js';
import { runGrove } from '../helpers/run-grove.js';

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'grove-full-'));
  writeMediumRepo(repo);
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** New content that needs more pages than an index of the medium repository has free. */
function addFiles(root: string): void {
  for (let i = 0; i < 150; i++) {
    const fns = Array.from(
      { length: 60 },
      (_, j) => `int extra${i}_fn${j}(int x) { return x * ${j} + extra${i}_fn${(j + 1) % 60}(x - 1); }`,
    );
    writeFileSync(join(root, `extra_${i}.c`), `${fns.join('\n')}\n`);
  }
}

/** Only the rows of the files in `paths` (the path is the first column of every snapshot row). */
function rowsOfFiles(snapshot: IndexSnapshot, paths: Set<string>): IndexSnapshot {
  const keep = (rows: string[]) => rows.filter((row) => paths.has(JSON.parse(row)[0] as string));
  return {
    files: keep(snapshot.files),
    symbols: keep(snapshot.symbols),
    refs: keep(snapshot.refs),
    imports: keep(snapshot.imports),
    chunks: keep(snapshot.chunks),
    // The graph of a run that stopped early is linked by the next run: not compared here.
    fts: 0,
    fileImports: [],
    fileDeps: [],
    indexes: snapshot.indexes,
  };
}

describe('a full disk while storing', () => {
  it('stops with DISK_FULL, keeps a usable index, and the next run completes it', async () => {
    const indexDir = `${repo}-index`;
    const cleanDir = `${repo}-clean`;
    try {
      const first = await runGrove(['index', repo, '--index', indexDir, '--json']);
      expect(first.code, first.stderr).toBe(0);
      const committed = await indexSnapshot(indexDir);
      const committedPaths = new Set(committed.files.map((row) => JSON.parse(row)[0] as string));

      addFiles(repo);
      // A cap of one page is raised by SQLite to the current size: only the free pages are left.
      const full = await runGrove(['index', repo, '--index', indexDir], {
        env: { GROVE_FAULT_MAX_DB_PAGES: '1' },
      });
      expect(full.code, full.stderr).toBe(ERROR_CODES.DISK_FULL.exit);
      expect(full.stderr).toContain('[DISK_FULL]');
      expect(full.stderr).toContain(join(indexDir, 'index.db'));
      expect(full.stderr).toMatch(/disk is full/);
      expect(full.stderr).toMatch(/Free disk space/);

      const store = Store.open(join(indexDir, 'index.db'), { readonly: true });
      try {
        expect(store.search('helper_3').length).toBeGreaterThan(0);
      } finally {
        store.close();
      }
      const after = await indexSnapshot(indexDir);
      expect(rowsOfFiles(after, committedPaths)).toEqual(rowsOfFiles(committed, committedPaths));

      const resumed = await runGrove(['index', repo, '--index', indexDir, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const clean = await runGrove(['index', repo, '--index', cleanDir, '--json']);
      expect(clean.code, clean.stderr).toBe(0);
      expect(await indexSnapshot(indexDir)).toEqual(await indexSnapshot(cleanDir));
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
      rmSync(cleanDir, { recursive: true, force: true });
    }
  }, 120_000);
});
