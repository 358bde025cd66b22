/**
 * Incremental indexing: unchanged files cost a stat, identical content is never parsed twice (renames,
 * copies, branch switches), extractor changes redo exactly their files, and the result always equals a
 * clean full run.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanSnapshot, index } from '../helpers/index-runs.js';
import { indexSnapshot } from '../helpers/index-snapshot.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grove-incr-'));
  writeSampleRepo(dir);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('incremental indexing', () => {
  it('skips every unchanged file by its stat and parses nothing', async () => {
    const first = await index(dir);
    expect(first.run.parsed).toBe(6);
    const second = await index(dir);
    expect(second.run).toMatchObject({ parsed: 0, filesWritten: 0, filesUnchanged: 9, filesRemoved: 0 });
    expect(second.files).toEqual(first.files);
  });

  it('does not re-parse a touched file whose content is unchanged', async () => {
    await index(dir);
    const path = join(dir, 'web/http.ts');
    writeFileSync(
      path,
      `${'export async function fetchJson'}<T>(url: string): Promise<T> {\n  const response = await fetch(url);\n  return (await response.json()) as T;\n}\n`,
    );
    const second = await index(dir);
    expect(second.run).toMatchObject({ parsed: 0, filesWritten: 1, filesUnchanged: 8 });
  });

  it('reuses rows for renamed and copied files instead of parsing them', async () => {
    await index(dir);
    renameSync(join(dir, 'tools/report.py'), join(dir, 'tools/weekly_report.py'));
    copyFileSync(join(dir, 'cmd/main.go'), join(dir, 'cmd/main_copy.go'));
    const second = await index(dir);
    expect(second.run).toMatchObject({ parsed: 0, filesRemoved: 1 });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('handles a branch switch and a switch back without parsing known content again', async () => {
    await index(dir);
    const original = 'int route_request(int fd);\n';
    const branch = 'int route_request(int fd, int flags);\nint route_close(int fd);\n';
    writeFileSync(join(dir, 'src/server/router.h'), branch);
    writeFileSync(join(dir, 'src/server/new_feature.c'), 'int feature(void) { return route_close(1); }\n');
    const onBranch = await index(dir);
    expect(onBranch.run.parsed).toBe(2);
    writeFileSync(
      join(dir, 'src/server/router.h'),
      `#ifndef ROUTER_H\n#define ROUTER_H\n${original}#endif\n`,
    );
    rmSync(join(dir, 'src/server/new_feature.c'));
    const back = await index(dir);
    // router.h is back to content the index no longer holds (it was replaced), so it is parsed once.
    expect(back.run).toMatchObject({ parsed: 1, filesRemoved: 1 });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('redoes exactly the files whose rows came from another extractor version', async () => {
    await index(dir);
    const db = new Database(join(dir, '.grove', 'index.db'));
    db.prepare("UPDATE files SET extractor = 'python@0.0.1+x0' WHERE language = 'python'").run();
    db.close();
    const second = await index(dir);
    expect(second.run).toMatchObject({ parsed: 1, filesWritten: 1, filesUnchanged: 8 });
  });

  it('parses again a C file an older classifier kept as text (a .c file opening with #defines)', async () => {
    const defines = Array.from({ length: 2000 }, (_, i) => `#define REG_${i} 0x${i.toString(16)}`).join('\n');
    writeFileSync(join(dir, 'src/regs.c'), `${defines}\nint reg_read(int r) { return r; }\n`);
    const first = await index(dir);
    expect(first.run.parsed).toBe(7);
    // What an index made before only headers were macro tables holds for this file.
    const db = new Database(join(dir, '.grove', 'index.db'));
    db.prepare(
      "UPDATE files SET state = 'text-only', reason = 'macro-table', extractor = 'text+t2' WHERE path = 'src/regs.c'",
    ).run();
    db.close();
    const second = await index(dir);
    expect(second.run).toMatchObject({ parsed: 1, filesWritten: 1 });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('writes nothing for recorded link verdicts and keeps files a directory link walks out of order', async () => {
    // `lnk` sorts before `lnk.c` as a name but its files (`lnk/...`) after it in byte order: out of order.
    mkdirSync(join(dir, 'zz'));
    writeFileSync(join(dir, 'zz/inner.c'), 'int inner(void) { return 1; }\n');
    writeFileSync(join(dir, 'lnk.c'), 'int beside(void) { return 2; }\n');
    symlinkSync('zz', join(dir, 'lnk'));
    symlinkSync('zz', join(dir, 'lnk2'));
    writeFileSync(join(dir, 'gone.c'), 'int gone(void) { return 3; }\n');
    const first = await index(dir);
    expect(first.files.skipped).toBe(1); // lnk2: symlink-duplicate
    rmSync(join(dir, 'gone.c'));
    const second = await index(dir);
    expect(second.run).toMatchObject({ filesWritten: 0, filesRemoved: 1, parsed: 0 });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('compares with the snapshot of the last complete run only while no write came after it', async () => {
    await index(dir);
    const dbPath = join(dir, '.grove', 'index.db');
    const snapshotSaved = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare("SELECT 1 FROM meta WHERE key = 'known-snapshot'").get() !== undefined;
      } finally {
        db.close();
      }
    };
    expect(snapshotSaved()).toBe(true);
    // Moved away and back, a file keeps its inode and mtime: only the index can tell it was dropped.
    renameSync(join(dir, 'tools/report.py'), join(dir, 'report.py.away'));
    const dropped = await index(dir, { paths: ['tools/report.py'] });
    expect(dropped.run.filesRemoved).toBe(1);
    expect(snapshotSaved()).toBe(false);
    renameSync(join(dir, 'report.py.away'), join(dir, 'tools/report.py'));
    const back = await index(dir);
    expect(back.run).toMatchObject({ filesWritten: 1, filesUnchanged: 8 });
    expect(snapshotSaved()).toBe(true);
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('rebuilds everything with --full', async () => {
    await index(dir);
    const full = await index(dir, { full: true });
    expect(full.run).toMatchObject({ parsed: 6, filesUnchanged: 0, filesWritten: 9 });
  });
});
