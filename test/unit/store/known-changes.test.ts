import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { mergeKnownChanges, trackKnownChanges } from '../../../src/store/known-changes.js';
import { type KnownStatPage, knownStatPages, PAGE_ROWS } from '../../../src/store/known-files.js';
import { loadKnownSnapshot } from '../../../src/store/known-snapshot.js';
import type { Store } from '../../../src/store/store.js';
import { inOtherConnection, knownRows as rowsOf } from './known-rows.js';
import { fileRecord, type TempDir, useTempStore } from './store-fixtures.js';

const ctx = useTempStore();
let tmp: TempDir;
let store: Store;

const inOther = <T>(fn: (db: Database.Database) => T): T => inOtherConnection(tmp.dbPath, fn);
const scannedRows = () => inOther((db) => rowsOf(knownStatPages(db)));

beforeEach(() => {
  ({ tmp, store } = ctx);
  const files = Array.from({ length: PAGE_ROWS + 40 }, (_, i) =>
    fileRecord(`src/${i % 2 ? 'ü' : 'f'}${String(i).padStart(4, '0')}.ts`, { size: i, ino: 1000 + i }),
  );
  store.writeBatch(files.map((file) => ({ file, extraction: null })));
  store.saveKnownSnapshot();
});

describe('known-files changes since the snapshot', () => {
  it('apply inserts, updates, deletes and new kinds to the snapshot read before them', () => {
    expect(rowsOf(store.knownStatPages())).toEqual(scannedRows()); // read from the snapshot: tracking starts
    store.writeBatch([
      { file: fileRecord('a-first.ts', { hash: 'n1' }), extraction: null },
      {
        file: fileRecord('src/f0002.ts', { size: 7, mtimeMs: 2e12 }),
        extraction: null,
        reuse: { kind: 'same' },
      },
      {
        file: fileRecord('src/ü0005.ts', { state: 'failed', reason: 'unreadable', hash: null }),
        extraction: null,
      },
      { file: fileRecord('src/\u{1F600}.ts', { hash: 'n2' }), extraction: null },
      { file: fileRecord('zz-last.ts', { hash: 'n3' }), extraction: null },
    ]);
    store.deleteFiles(['src/f0000.ts', 'src/ü0001.ts']);
    // A streamed file rolled back leaves no trace in the log either.
    store.beginStreamedFile(fileRecord('big.txt', { state: 'text-only', reason: 'too-big' })).rollback();
    expect(store.saveKnownSnapshot()).toBe(true);
    expect(inOther((db) => rowsOf(loadKnownSnapshot(db) ?? []))).toEqual(scannedRows());
  });

  it('merge what this connection logged, and give up when another writer changed the row count', () => {
    const db = new Database(tmp.dbPath);
    try {
      const baseRows = scannedRows();
      trackKnownChanges(db);
      db.prepare("UPDATE files SET mtime_ms = 5 WHERE path = 'src/f0010.ts'").run();
      const merged = mergeKnownChanges(db, snapshotOf(baseRows));
      expect(merged).not.toBeNull();
      expect(rowsOf(merged ?? [])).toEqual(scannedRows());

      const mergedRows = scannedRows();
      inOther((other) => other.prepare("DELETE FROM files WHERE path = 'src/f0012.ts'").run());
      expect(mergeKnownChanges(db, snapshotOf(mergedRows))).toBeNull();
    } finally {
      db.close();
    }
  });

  it('are not merged when too many rows changed, nor without tracking', () => {
    const db = new Database(tmp.dbPath);
    try {
      const baseRows = scannedRows();
      expect(mergeKnownChanges(db, snapshotOf(baseRows))).toBeNull();
      trackKnownChanges(db);
      db.prepare('UPDATE files SET size = size + 1').run();
      expect(mergeKnownChanges(db, snapshotOf(baseRows))).toBeNull();
    } finally {
      db.close();
    }
  });
});

/** Pages (of PAGE_ROWS) holding `rows` as `rowsOf` gives them: the base a merge starts from. */
function snapshotOf(rows: unknown[]): KnownStatPage[] {
  const kinds: KnownStatPage['newKinds'] = [];
  const kindIndex = new Map<string, number>();
  const pages: KnownStatPage[] = [];
  for (let first = 0; first < rows.length; first += PAGE_ROWS) {
    const slice = rows.slice(first, first + PAGE_ROWS) as [string, number, number, number, number, never][];
    const newKinds: KnownStatPage['newKinds'] = [];
    const kindOf = slice.map(([, , , , , kind]) => {
      const key = JSON.stringify(kind);
      if (!kindIndex.has(key)) {
        kindIndex.set(key, kinds.length);
        kinds.push(kind);
        newKinds.push(kind);
      }
      return kindIndex.get(key) as number;
    });
    pages.push({
      paths: slice.map(([path]) => path),
      stats: Float64Array.from(slice.flatMap(([, size, mtime, ino, dev]) => [size, mtime, ino, dev])),
      kindOf: Uint32Array.from(kindOf),
      newKinds,
    });
  }
  return pages;
}
