import { beforeEach, describe, expect, it } from 'vitest';
import { KnownCursor } from '../../../src/pipeline/known-cursor.js';
import type { Store } from '../../../src/store/store.js';
import { fileRecord, useTempStore } from '../store/store-fixtures.js';

const ctx = useTempStore();
let store: Store;
beforeEach(() => {
  store = ctx.store;
});

function indexPaths(paths: string[]): void {
  store.writeBatch(paths.map((path) => ({ file: fileRecord(path), extraction: null })));
}

function cursorOver(s: Store): KnownCursor {
  return new KnownCursor({ pages: s.knownStatPages(), lookup: (path) => s.knownFile(path) });
}

describe('KnownCursor', () => {
  it('answers each walked path from one ordered scan and reports the rows the walk passed over', () => {
    indexPaths(['a.c', 'b/x.c', 'b/y.c', 'c.c', 'z.c']);
    const cursor = cursorOver(store);
    expect(cursor.known('a.c')).toMatchObject({
      path: 'a.c',
      size: 100,
      mtimeMs: 1_700_000_000_000.5,
      ino: 42,
      dev: 7,
      state: 'indexed',
      reason: 'parsed',
      language: 'typescript',
    });
    expect(cursor.known('b/y.c')?.path).toBe('b/y.c');
    expect(cursor.known('b0.c')).toBeUndefined();
    expect(cursor.known('c.c')?.path).toBe('c.c');
    expect(cursor.unseen()).toEqual(['b/x.c', 'z.c']);
  });

  it('answers a walk that matches the index row for row, then reports nothing unseen', () => {
    const paths = Array.from({ length: 1_200 }, (_, i) => `m/${String(i).padStart(4, '0')}.c`);
    indexPaths(paths);
    const cursor = cursorOver(store);
    for (const path of paths) expect(cursor.known(path)?.path).toBe(path);
    // A path seen again after the merge moved past it is out of order: looked up, not lost.
    expect(cursor.known('m/0005.c')?.path).toBe('m/0005.c');
    expect(cursor.known('m/9999.c')).toBeUndefined();
    expect(cursor.unseen()).toEqual([]);
  });

  it('compares in UTF-8 byte order, the order of the walk and of SQLite', () => {
    // UTF-16 order puts U+FF5E before U+1F600 (a surrogate pair); UTF-8 byte order puts it after.
    indexPaths(['a/\u{1F600}.c', 'a/\uFF5E.c', 'a/b.c']);
    const cursor = cursorOver(store);
    expect(cursor.known('a/b.c')?.path).toBe('a/b.c');
    expect(cursor.known('a/\u{1F600}.c')?.path).toBe('a/\u{1F600}.c');
    expect(cursor.known('a/\uFF5E.c')?.path).toBe('a/\uFF5E.c');
    expect(cursor.unseen()).toEqual([]);
  });

  it('looks up a path that arrives out of order and never reports it as unseen', () => {
    // A directory symlink `lib` sorts under its own name, so `lib/x.c` arrives after `main.c`.
    indexPaths(['lib.c', 'lib/x.c', 'main.c', 'old.c']);
    const cursor = cursorOver(store);
    expect(cursor.known('lib.c')?.path).toBe('lib.c');
    expect(cursor.known('main.c')?.path).toBe('main.c');
    expect(cursor.known('lib/x.c')?.path).toBe('lib/x.c');
    expect(cursor.unseen()).toEqual(['old.c']);
  });

  it('scans across pages, keeps each row its own kind, and sees no row written behind it', () => {
    const many = Array.from({ length: 9_000 }, (_, i) => `d/${String(i).padStart(5, '0')}.c`);
    store.writeBatch(
      many
        .filter((_, i) => i % 3 !== 0)
        .map((path, i) => ({
          file: fileRecord(path, { size: i, language: i % 2 === 0 ? 'c' : null, extractor: `x${i % 5}` }),
          extraction: null,
        })),
    );
    const cursor = cursorOver(store);
    let found = 0;
    for (const path of many) {
      const row = cursor.known(path);
      if (row !== undefined) {
        expect(row).toMatchObject({
          size: found,
          language: found % 2 === 0 ? 'c' : null,
          extractor: `x${found % 5}`,
        });
        found++;
      }
      // The pipeline writes walked files while the scan goes on; a new row must not come back as unseen.
      else indexPaths([path]);
    }
    expect(found).toBe(6_000);
    expect(cursor.unseen()).toEqual([]);
  });
});
