import fs from 'node:fs';
import { rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeScan } from '../../../src/pipeline/stages/native-scan.js';
import { countDirtyFiles, countDirtyFilesByStat, type StatedFile } from '../../../src/query/dirty-files.js';
import { tempDir, writeTree } from '../pipeline/helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

/** Rows as an index records them: the stat (through links) of each path. */
function rowsOf(root: string, paths: string[]): StatedFile[] {
  return paths.map((p) => {
    const st = fs.statSync(path.join(root, p));
    return { path: p, size: st.size, mtimeMs: st.mtimeMs };
  });
}

describe('dirty files', () => {
  it('counts changed, touched and vanished files as a stat of each would, through links too', async () => {
    expect(nativeScan()).not.toBeNull();
    const files: Record<string, string> = { 'top.c': 'x', 'ü/文件.py': 'y' };
    for (let i = 0; i < 40; i++) files[`src/m${i % 5}/f${i}.c`] = `int f${i};`;
    for (let i = 0; i < 30; i++) files[`node_modules/p${i}/index.js`] = 'ignored';
    await writeTree(dir, files);
    await symlink('top.c', path.join(dir, 'link.c'));
    await symlink('src/m1', path.join(dir, 'linked-dir'));
    const indexed = [
      'link.c',
      'linked-dir/f1.c',
      'linked-dir/f6.c',
      ...Object.keys(files).filter((p) => !p.startsWith('node_modules/')),
    ];
    const rows = rowsOf(dir, indexed);
    expect(countDirtyFiles(rows, dir)).toBe(0);
    expect(countDirtyFilesByStat(rows, dir)).toBe(0);

    await writeFile(path.join(dir, 'src/m0/f0.c'), 'changed size'); // 1
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(dir, 'src/m2/f2.c'), later, later); // 2
    await rm(path.join(dir, 'src/m3/f3.c')); // 3
    await rm(path.join(dir, 'src/m4'), { recursive: true }); // 4..11: its 8 files
    await writeFile(path.join(dir, 'top.c'), 'longer now'); // 12 and 13: top.c and link.c
    await writeFile(path.join(dir, 'src/m1/f6.c'), 'through the dir link'); // 14 and 15
    await writeFile(path.join(dir, 'node_modules/p1/index.js'), 'not indexed, not counted');
    expect(countDirtyFilesByStat(rows, dir)).toBe(15);
    expect(countDirtyFiles(rows, dir)).toBe(15);
  });

  it('counts every file of a root that is gone', async () => {
    await writeTree(dir, { 'a/b.c': '1', 'c.c': '2' });
    const rows = rowsOf(dir, ['a/b.c', 'c.c']);
    await rm(dir, { recursive: true });
    expect(countDirtyFiles(rows, dir)).toBe(2);
  });
});
